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

// find returns up to limit people, best matches first: exact name or key,
// then prefixes, then organization matches.
func (ix *searchIndex) find(q string, limit int) []*model.Participant {
	q = strings.ToLower(strings.Join(strings.Fields(q), ""))
	if q == "" || limit <= 0 {
		return nil
	}
	seen := map[int32]bool{}
	var exact, prefix []int32
	i := sort.Search(len(ix.keys), func(i int) bool { return ix.keys[i].key >= q })
	for ; i < len(ix.keys) && strings.HasPrefix(ix.keys[i].key, q); i++ {
		w := ix.keys[i].who
		if seen[w] {
			continue
		}
		seen[w] = true
		if ix.keys[i].key == q {
			exact = append(exact, w)
		} else if len(prefix) < limit {
			prefix = append(prefix, w)
		}
		if len(exact) >= limit {
			break
		}
	}
	out := make([]*model.Participant, 0, limit)
	for _, list := range [][]int32{exact, prefix} {
		for _, w := range list {
			if len(out) == limit {
				return out
			}
			out = append(out, ix.ppl[w])
		}
	}
	if len([]rune(q)) >= 2 {
		for _, o := range ix.orgs {
			if !strings.Contains(o.lower, q) {
				continue
			}
			for _, w := range o.who {
				if len(out) == limit {
					return out
				}
				if !seen[w] {
					seen[w] = true
					out = append(out, ix.ppl[w])
				}
			}
		}
	}
	return out
}

// searchCache rebuilds the index after the roster changes, on first use.
type searchCache struct {
	mu    sync.Mutex
	ix    *searchIndex
	stamp []rosterEntry // the roster snapshot the index was built from
}

func (c *searchCache) get(r *rosterCache) *searchIndex {
	all := r.all()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ix == nil || len(c.stamp) != len(all) || (len(all) > 0 && &c.stamp[0] != &all[0]) {
		ppl := make([]*model.Participant, len(all))
		for i, e := range all {
			ppl[i] = e.p
		}
		c.ix, c.stamp = buildSearchIndex(ppl), all
	}
	return c.ix
}
