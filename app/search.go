package app

import (
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/mozillazg/go-pinyin"

	"github.com/fuzhi/eventdesk/model"
)

// searchIndex answers the desk's search box while the person at the door
// spells their name: 张三 is found by "张三", "三", "zhangsan", "zs" or the
// last four digits of the mobile, and by part of their organization.
// Keys sit in one sorted slice so a query is a binary search plus a short
// walk, a few microseconds even at 50,000 people.
type searchIndex struct {
	keys []indexKey
	orgs []orgEntry // distinct organizations, matched by substring
	ppl  []*model.Participant
}

type indexKey struct {
	key string
	who int32
}

type orgEntry struct {
	lower string
	who   []int32
}

// pinyinOrder is how people in China expect names listed: by pinyin,
// syllable by syllable (a space sorts before any letter, so 詹 zhan comes
// before 张 zhang), with the characters themselves as the tie-break.
func pinyinOrder(s string) string {
	var b strings.Builder
	b.Grow(len(s) * 3)
	for _, r := range s {
		if syl := syllableOf(r); syl != "" {
			b.WriteString(syl)
		}
		b.WriteByte(' ')
	}
	b.WriteByte(0)
	b.WriteString(s)
	return b.String()
}

// syllableOf is a character's first reading without tones ("zhang"), any
// other character lower-cased, and "" for white space.
func syllableOf(r rune) string {
	if syl, ok := syllables()[r]; ok {
		return syl
	}
	if unicode.IsSpace(r) {
		return ""
	}
	return string(unicode.ToLower(r))
}

// syllables is each Han character's first reading without tones, worked
// out once: go-pinyin per call costs ~30 µs a name, which made sorting
// 50,000 people take 1.5 s. The tone marks are taken off with one
// Replacer rather than go-pinyin's regular expressions, which took 150 ms
// for the table (5 s under the race detector, the first roster page of
// every test process).
var syllables = sync.OnceValue(func() map[rune]string {
	m := make(map[rune]string, len(pinyin.PinyinDict))
	for r, readings := range pinyin.PinyinDict {
		first, _, _ := strings.Cut(readings, ",")
		if syl := toneless.Replace(first); syl != "" {
			m[rune(r)] = syl
		}
	}
	return m
})

// toneless takes the tone marks off a reading as go-pinyin's Normal style
// does, ü written v ("lǜ" → "lv"); a test holds the two equal over the
// whole dictionary.
var toneless = strings.NewReplacer(
	"ā", "a", "á", "a", "ǎ", "a", "à", "a",
	"ē", "e", "é", "e", "ě", "e", "è", "e",
	"ō", "o", "ó", "o", "ǒ", "o", "ò", "o",
	"ī", "i", "í", "i", "ǐ", "i", "ì", "i",
	"ū", "u", "ú", "u", "ǔ", "u", "ù", "u",
	"ü", "v", "ǘ", "v", "ǚ", "v", "ǜ", "v",
	"ń", "n", "ň", "n", "ǹ", "n", "ḿ", "m",
)

// pinyinKeys gives the full pinyin and the initials of a name ("zhangsan", "zs").
func pinyinKeys(name string) (full, initials string) {
	var f, i strings.Builder
	for _, r := range name {
		s := syllableOf(r)
		if s == "" {
			continue
		}
		f.WriteString(s)
		i.WriteByte(s[0])
	}
	return f.String(), i.String()
}

func buildSearchIndex(ppl []*model.Participant) *searchIndex {
	ix := &searchIndex{ppl: ppl, keys: make([]indexKey, 0, len(ppl)*6)}
	orgs := map[string]int{}
	for n, p := range ppl {
		who := int32(n)
		add := func(k string) {
			if k != "" {
				ix.keys = append(ix.keys, indexKey{k, who})
			}
		}
		name := strings.ToLower(strings.ReplaceAll(p.Name, " ", ""))
		add(name)
		if r := []rune(name); len(r) > 1 {
			add(string(r[1:])) // the given name alone
		}
		full, initials := pinyinKeys(p.Name)
		if full != name {
			add(full)
			add(initials)
		}
		if len(p.Mobile) == 11 {
			add(p.Mobile)
			add(p.Mobile[7:])
		}
		if p.Org != "" {
			lo := strings.ToLower(p.Org)
			i, ok := orgs[lo]
			if !ok {
				i = len(ix.orgs)
				orgs[lo] = i
				ix.orgs = append(ix.orgs, orgEntry{lower: lo})
			}
			ix.orgs[i].who = append(ix.orgs[i].who, who)
		}
	}
	sort.Slice(ix.keys, func(a, b int) bool {
		if ix.keys[a].key != ix.keys[b].key {
			return ix.keys[a].key < ix.keys[b].key
		}
		return ix.keys[a].who < ix.keys[b].who
	})
	return ix
}

// searchLayer is one index of the live search with the people whose
// entries in it are out of date (changed or removed since it was built).
type searchLayer struct {
	ix    *searchIndex
	stale map[string]*model.Participant
}

// findIn returns up to limit people, best matches first: exact name or
// key, then prefixes, then organization matches, over every layer.
func findIn(layers []searchLayer, q string, limit int) []*model.Participant {
	q = strings.ToLower(strings.Join(strings.Fields(q), ""))
	if q == "" || limit <= 0 {
		return nil
	}
	seen := map[*model.Participant]bool{}
	var exact, prefix []*model.Participant
	for _, l := range layers {
		i := sort.Search(len(l.ix.keys), func(i int) bool { return l.ix.keys[i].key >= q })
		// Keys equal to q sort first among those starting with q, so once
		// the prefixes fill the list nothing better can follow: a one-digit
		// query no longer walks every mobile.
		for ; i < len(l.ix.keys) && strings.HasPrefix(l.ix.keys[i].key, q); i++ {
			isExact := l.ix.keys[i].key == q
			if !isExact && len(prefix) >= limit {
				break
			}
			p := l.ix.ppl[l.ix.keys[i].who]
			if seen[p] || l.isStale(p) {
				continue
			}
			seen[p] = true
			if isExact {
				exact = append(exact, p)
			} else {
				prefix = append(prefix, p)
			}
			if len(exact) >= limit {
				break
			}
		}
	}
	out := make([]*model.Participant, 0, limit)
	for _, list := range [][]*model.Participant{exact, prefix} {
		for _, p := range list {
			if len(out) == limit {
				return out
			}
			out = append(out, p)
		}
	}
	if len([]rune(q)) >= 2 {
		for _, l := range layers {
			for _, o := range l.ix.orgs {
				if !strings.Contains(o.lower, q) {
					continue
				}
				for _, w := range o.who {
					if len(out) == limit {
						return out
					}
					if p := l.ix.ppl[w]; !seen[p] && !l.isStale(p) {
						seen[p] = true
						out = append(out, p)
					}
				}
			}
		}
	}
	return out
}

// isStale reports an entry that a later change replaced or removed.
func (l searchLayer) isStale(p *model.Participant) bool {
	if l.stale == nil {
		return false
	}
	now, changed := l.stale[p.ID]
	return changed && now != p
}

// searchCache keeps the desk's index current without rebuilding it for
// every walk-in: a base index over everyone, a small one over the people
// changed since (rebuilt on the next search, a few microseconds), and the
// base's out-of-date entries skipped. After rebuildAfter changes the base
// is built again, once, without the lock: writes go on meanwhile (their
// ids are noted, and filed when it ends), and only a search waits for it.
// Rebuilding on every change cost 0.5 s at 50,000 people and 2 s at
// 200,000, while every desk waited.
type searchCache struct {
	mu       sync.Mutex
	base     *searchIndex
	fresh    *searchIndex
	changed  map[string]*model.Participant // since base: the current copy, nil when removed
	limit    int                           // rebuildAfter, unless a test set it
	building chan struct{}                 // closed when the build under way ends; nil when none
	noted    map[string]bool               // ids written while it runs

	// buildStarts, when a test sets it, runs in a build before it reads
	// the roster.
	buildStarts func()
}

// rebuildAfter is how many changed people the small index holds before
// the base is built again.
const rebuildAfter = 4096

// rebuildLimit is rebuildAfter, unless a test set another.
func (c *searchCache) rebuildLimit() int {
	if c.limit > 0 {
		return c.limit
	}
	return rebuildAfter
}

// note takes the ids a commit wrote, after the roster has them, and
// files each as the roster has it then (nil when removed). The map is
// replaced, never changed in place, so a search holding the old one reads
// it without a lock.
func (c *searchCache) note(r *rosterCache, ids []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case len(ids) == 0:
		return
	case c.building != nil:
		for _, id := range ids {
			c.noted[id] = true // filed when the build ends
		}
		return
	case c.base == nil:
		return // not built yet: the build reads the roster as it is then
	}
	limit := c.rebuildLimit()
	if len(c.changed)+len(ids) > limit {
		// Built again by the next search, or by warm once a large import
		// has ended (not here: the first of its commits would start a
		// build of a roster the next ones change again), rather than
		// copying an ever larger map at every commit of a large import.
		c.base, c.changed, c.fresh = nil, nil, nil
		return
	}
	next := make(map[string]*model.Participant, len(c.changed)+len(ids))
	for id, p := range c.changed {
		next[id] = p
	}
	for i, p := range r.current(ids) {
		next[ids[i]] = p
	}
	c.changed, c.fresh = next, nil
}

// startBuild builds the base again in the background. Called with mu held
// and no build under way.
func (c *searchCache) startBuild(r *rosterCache) {
	done := make(chan struct{})
	c.building, c.noted = done, map[string]bool{}
	go c.build(r, done)
}

// build reads the roster and indexes everyone without the lock, then
// takes the index and files the people written meanwhile (noted) as the
// roster has them now. More of those than the small index holds: again.
func (c *searchCache) build(r *rosterCache, done chan struct{}) {
	if c.buildStarts != nil {
		c.buildStarts()
	}
	all := r.all()
	ppl := make([]*model.Participant, len(all))
	for i, e := range all {
		ppl[i] = e.p
	}
	ix := buildSearchIndex(ppl)
	c.mu.Lock()
	defer c.mu.Unlock()
	defer close(done)
	ids := make([]string, 0, len(c.noted))
	for id := range c.noted {
		ids = append(ids, id)
	}
	c.building, c.noted = nil, nil
	if len(ids) > c.rebuildLimit() {
		c.startBuild(r)
		return
	}
	changed := make(map[string]*model.Participant, len(ids))
	for i, p := range r.current(ids) {
		changed[ids[i]] = p
	}
	c.base, c.changed, c.fresh = ix, changed, nil
}

// layers brings the index up to date, waiting for a build under way (or
// starting one when there is no base), and returns it to search without
// the lock.
func (c *searchCache) layers(r *rosterCache) []searchLayer {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.building != nil || c.base == nil {
		if c.building == nil {
			c.startBuild(r)
		}
		wait := c.building
		c.mu.Unlock()
		<-wait
		c.mu.Lock()
	}
	if len(c.changed) == 0 {
		return []searchLayer{{ix: c.base}}
	}
	if c.fresh == nil {
		ppl := make([]*model.Participant, 0, len(c.changed))
		for _, p := range c.changed {
			if p != nil {
				ppl = append(ppl, p)
			}
		}
		sort.Slice(ppl, func(i, j int) bool { return ppl[i].ID < ppl[j].ID })
		c.fresh = buildSearchIndex(ppl)
	}
	return []searchLayer{{ix: c.base, stale: c.changed}, {ix: c.fresh}}
}

// find searches the roster as the desk types.
func (c *searchCache) find(r *rosterCache, q string, limit int) []*model.Participant {
	return findIn(c.layers(r), q, limit)
}
