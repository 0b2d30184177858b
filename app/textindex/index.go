// Package textindex finds the items whose fields contain a piece of text —
// "精工" inside an organization, "5678" anywhere in a mobile — without
// reading every item. The participant list filters 200,000 people on every
// keystroke; a substring scan over all of them took 31 ms there.
//
// The index works on distinct field values, not on items: an organization
// shared by 500 people, or a title shared by 50,000, is one value, tested
// once. Each value is filed under every character and every pair of
// adjacent characters it holds. A query of one or two characters is then
// exactly the values filed under it; a longer one is the values filed
// under its rarest pair that also contain the whole query.
//
// Values are never taken out of the lists when their last item leaves (a
// value id keeps its place, so the lists stay in ascending order and are
// only ever appended to); a match skips them, and the whole index is laid
// out again once the dead values outnumber the live ones.
package textindex

import (
	"encoding/binary"
	"slices"
	"strings"
	"unicode/utf8"
)

// Index maps items (small dense numbers chosen by the caller) to the
// values of their fields. It is not safe for concurrent writes; reads may
// run together while nothing writes.
type Index struct {
	values []value
	texts  []string // by value id
	byText map[string]int32
	grams  map[uint64]*postings // the characters and pairs beyond ascii's
	// ascii holds the lists of the ASCII characters and pairs (digits, Latin
	// letters, an e-mail's punctuation) by asciiSlot, without hashing: a
	// mobile and an e-mail are filed under fifty of them, and the map's
	// look-ups were a third of what indexing 200,000 people cost.
	ascii []*postings
	items [][]int32 // by item: the values it holds now; nil when absent
	live  int       // values held by at least one item
}

// value is one distinct lower-cased field text and the items that held it
// when they were linked to it: first, then rest. An item unlinked since,
// or linked twice, is told apart by Index.holds; held counts the items that
// hold it now. Most values (a mobile, an e-mail, most names) have one item,
// kept in first so a match need not follow a pointer to a list of one.
// The text itself is in Index.texts, apart, so a match that needs no text
// (one or two characters) reads 32 bytes per value, not 48.
type value struct {
	first int32 // -1 when there is none
	held  int32
	rest  []int32
}

// listed is how many items the value's list names, current or not.
func (v *value) listed() int {
	if v.first < 0 {
		return 0
	}
	return 1 + len(v.rest)
}

// each calls fn for every item the value's list names.
func (v *value) each(fn func(item int32)) {
	if v.first < 0 {
		return
	}
	fn(v.first)
	for _, item := range v.rest {
		fn(item)
	}
}

// postings are the ids of the values filed under one character or pair,
// ascending, each written as its distance from the one before (a uvarint,
// usually one byte: the digit pairs of 200,000 mobiles would take 8 MB as
// plain numbers).
type postings struct {
	buf  []byte
	last int32
	n    int
}

// compactAfter is how many dead values the index tolerates before laying
// itself out again, on top of one per live value.
const compactAfter = 1024

// New returns an empty index.
func New() *Index {
	return &Index{byText: map[string]int32{}, grams: map[uint64]*postings{}}
}

// Set replaces what item holds with fields (lower-cased here; empty ones
// are skipped).
func (x *Index) Set(item int32, fields ...string) {
	ids := make([]int32, 0, len(fields))
	for _, f := range fields {
		if f == "" {
			continue
		}
		id := x.intern(strings.ToLower(f))
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	x.replace(item, ids)
}

// Remove takes item out of the index.
func (x *Index) Remove(item int32) {
	x.replace(item, nil)
}

// Items is one more than the largest item ever set: the size of a set
// that can hold every match.
func (x *Index) Items() int { return len(x.items) }

func (x *Index) replace(item int32, ids []int32) {
	if item < 0 {
		return
	}
	for int(item) >= len(x.items) {
		x.items = append(x.items, nil)
	}
	old := x.items[item]
	for _, id := range old {
		if !slices.Contains(ids, id) {
			x.unlink(id)
		}
	}
	x.items[item] = ids
	for _, id := range ids {
		if !slices.Contains(old, id) {
			x.link(id, item)
		}
	}
	if len(x.values) > 2*x.live+compactAfter {
		x.compact()
	}
}

func (x *Index) link(id, item int32) {
	v := &x.values[id]
	if v.held == 0 {
		x.live++
	}
	v.held++
	if v.first < 0 {
		v.first = item
		return
	}
	v.rest = append(v.rest, item)
}

// unlink lets the item go from the value's count only; its number stays in
// the list until the list is more stale than not.
func (x *Index) unlink(id int32) {
	v := &x.values[id]
	v.held--
	if v.held == 0 {
		x.live--
		v.first, v.rest = -1, nil
		return
	}
	if v.listed() > 2*int(v.held)+8 {
		x.sweep(id)
	}
}

// sweep drops from a value's list the items that no longer hold it and
// the second mention of an item linked twice.
func (x *Index) sweep(id int32) {
	v := &x.values[id]
	kept := make([]int32, 0, v.held)
	v.each(func(item int32) {
		if x.holds(item, id) {
			kept = append(kept, item)
		}
	})
	slices.Sort(kept)
	kept = slices.Compact(kept)
	v.first, v.rest = kept[0], slices.Clip(kept[1:])
}

// holds reports whether item holds value id now.
func (x *Index) holds(item, id int32) bool {
	return int(item) < len(x.items) && slices.Contains(x.items[item], id)
}

// intern returns the id of a value text, filing a new one under its
// characters and pairs. The text is kept as given, not copied: callers
// pass whole field values (a person's name, already lower-case, is the
// roster's own string), and a copy of each was 11.5 MB at 200,000 people.
func (x *Index) intern(text string) int32 {
	if id, ok := x.byText[text]; ok {
		return id
	}
	id := int32(len(x.values))
	x.values = append(x.values, value{first: -1})
	x.texts = append(x.texts, text)
	x.byText[text] = id
	var prev rune = -1
	for _, r := range text {
		x.file(r, -1, id)
		if prev >= 0 {
			x.file(prev, r, id)
		}
		prev = r
	}
	return id
}

func (x *Index) file(a, b rune, id int32) {
	p := x.list(a, b)
	if p == nil {
		p = &postings{last: -1}
		if i, ok := asciiSlot(a, b); ok {
			if x.ascii == nil {
				x.ascii = make([]*postings, 128*129)
			}
			x.ascii[i] = p
		} else {
			x.grams[key(a, b)] = p
		}
	}
	if p.last == id {
		return // the same character or pair twice in one value
	}
	p.buf = binary.AppendUvarint(p.buf, uint64(id-p.last))
	p.last = id
	p.n++
}

// compact lays the index out again from what the items hold now.
func (x *Index) compact() {
	fresh := New()
	fresh.items = make([][]int32, len(x.items))
	for item, ids := range x.items {
		if ids == nil {
			continue
		}
		fields := make([]string, len(ids))
		for i, id := range ids {
			fields[i] = x.texts[id]
		}
		fresh.Set(int32(item), fields...)
	}
	*x = *fresh
}

// list is the list of the character a (b < 0) or of the pair a, b; nil
// when no value holds it.
func (x *Index) list(a, b rune) *postings {
	if i, ok := asciiSlot(a, b); ok {
		if x.ascii == nil {
			return nil
		}
		return x.ascii[i]
	}
	return x.grams[key(a, b)]
}

// asciiSlot is where Index.ascii keeps the list of a character a (b < 0)
// or of a pair a, b, when both are ASCII.
func asciiSlot(a, b rune) (int, bool) {
	if uint32(a) >= 128 || b >= 128 {
		return 0, false
	}
	if b < 0 {
		b = 128
	}
	return int(a)*129 + int(b), true
}

// key is the grams key of a character a (b < 0) or of a pair a, b. A rune
// fits in 32 bits; a character alone pairs with a value no rune has.
func key(a, b rune) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

// Set is a set of items, one bit each.
type Set []uint64

// NewSet holds items below n.
func NewSet(n int) Set { return make(Set, (n+63)/64) }

// Has reports whether item is in the set.
func (s Set) Has(item int32) bool {
	return item >= 0 && int(item/64) < len(s) && s[item/64]&(1<<(item%64)) != 0
}

func (s Set) add(item int32) {
	if int(item/64) < len(s) {
		s[item/64] |= 1 << (item % 64)
	}
}

// Match adds to into every item one of whose fields contains q (compared
// lower-cased); into should hold Items() items. An empty q matches
// nothing: the caller lists everyone itself.
func (x *Index) Match(q string, into Set) {
	q = strings.ToLower(q)
	n := utf8.RuneCountInString(q)
	if n == 0 {
		return
	}
	var best *postings
	if n == 1 {
		r, _ := utf8.DecodeRuneInString(q)
		best = x.list(r, -1)
	} else {
		var prev rune = -1
		for _, r := range q {
			if prev >= 0 {
				p := x.list(prev, r)
				if p == nil {
					return // a pair no value has: nothing can match
				}
				if best == nil || p.n < best.n {
					best = p
				}
			}
			prev = r
		}
	}
	if best == nil {
		return
	}
	exact := n <= 2 // the list of a character or a pair is the answer
	var id int32 = -1
	for buf := best.buf; len(buf) > 0; {
		if buf[0] < 0x80 { // most gaps fit in one byte
			id += int32(buf[0])
			buf = buf[1:]
		} else {
			d, k := binary.Uvarint(buf)
			id += int32(d)
			buf = buf[k:]
		}
		v := &x.values[id]
		if v.held == 0 || (!exact && !strings.Contains(x.texts[id], q)) {
			continue
		}
		if v.held == 1 && len(v.rest) == 0 {
			into.add(v.first) // a mobile, an e-mail: one item, current
			continue
		}
		if v.listed() == int(v.held) {
			// Nothing left or came back since the last sweep: the list is
			// exact, which spares a look at each item (200,000 people under
			// one organization took 16 ms with it).
			v.each(into.add)
			continue
		}
		v.each(func(item int32) {
			if x.holds(item, id) {
				into.add(item)
			}
		})
	}
}
