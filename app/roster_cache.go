package app

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/fuzhi/eventdesk/app/textindex"
	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
)

// rosterCache keeps participants in memory so lists and searches over tens
// of thousands of people answer while the user types; the store stays the
// truth and every write goes through it first.
//
// Each person has a slot, a small number kept for their id for as long as
// the event is open, so the list's order and its text index can refer to
// people by number and tell a current entry from an out-of-date one by
// comparing bySlot[slot] with the entry's pointer (a write replaces it).
type rosterCache struct {
	mu       sync.RWMutex
	byID     map[string]*model.Participant
	slots    map[string]int32
	bySlot   []*model.Participant // nil for a removed person
	slotIDs  []string             // by slot: whose it is
	stamps   []uint64             // by slot: the clock (HLC) of the op its entry came from; see apply
	order    []int32              // slots in the list's order; nil until first needed
	entries  []rosterEntry        // all's copy of order; nil when out of date
	changed  map[int32]bool       // slots written since order was last brought up to date
	text     *textindex.Index     // nil until first needed
	textLog  []int32              // while text is built: slots written meanwhile
	building sync.Mutex           // one build of text at a time
	search   searchCache          // the desk's index, told of every change by apply
	words    interner             // one copy of each organization, title, chain… (see interner)

	// beforeNote, when a test sets it, runs in apply between letting the
	// roster's lock go and telling the desk's index (see apply).
	beforeNote func()

	// Kept by apply so the event's header, sent after every write, costs
	// nothing (counting everyone took 80 ms per walk-in at 200,000 people).
	roles    map[string]int
	orgs     map[string]*orgCodes // by orgKey
	clashing map[string]bool      // orgKeys with more than one credit code
	orderKey []string             // by slot: its place in order (organization, then name, in pinyin)
}

// orgCodes counts, for one organization name, the people per credit code.
type orgCodes struct {
	name  string // as first written
	codes map[string]int
}

// orgKey is an organization name compared without case or spaces.
func orgKey(org string) string {
	// Most names (Chinese, no spaces) are their own key: lowering and
	// splitting them cost every person written a copy of the name.
	for _, r := range org {
		if r == utf8.RuneError || unicode.IsSpace(r) || unicode.ToLower(r) != r {
			return strings.ToLower(strings.Join(strings.Fields(org), ""))
		}
	}
	return org
}

// rosterEntry is a participant in the list's order.
type rosterEntry struct {
	p *model.Participant
}

// orderOf is where a person goes in the list: organization, then name, in
// pinyin order; their id breaks a tie.
func orderOf(p *model.Participant) string {
	return pinyinOrder(p.Org) + "\x01" + pinyinOrder(p.Name)
}

// before compares two slots by orderKey, then id.
func (c *rosterCache) before(a, b int32) bool {
	if ka, kb := c.orderKey[a], c.orderKey[b]; ka != kb {
		return ka < kb
	}
	return c.slotIDs[a] < c.slotIDs[b]
}

func (c *rosterCache) compare(a, b int32) int {
	switch {
	case c.before(a, b):
		return -1
	case c.before(b, a):
		return 1
	}
	return 0
}

func loadRoster(s *store.Store) (*rosterCache, error) {
	c := newRosterCache()
	err := store.Participants.Each(s, func(id string, p model.Participant) error {
		c.words.participant(&p)
		c.byID[id] = &p
		c.slotFor(id, &p)
		c.count(&p, 1)
		return nil
	})
	return c, err
}

func newRosterCache() *rosterCache {
	return &rosterCache{byID: map[string]*model.Participant{}, slots: map[string]int32{},
		roles: map[string]int{}, orgs: map[string]*orgCodes{}, clashing: map[string]bool{}}
}

// count adds (+1) or takes away (-1) a person's share of the role counts
// and the credit codes of their organization. Called with mu held for
// writing.
func (c *rosterCache) count(p *model.Participant, by int) {
	if p == nil {
		return
	}
	c.roles[string(p.Role)] += by
	if c.roles[string(p.Role)] == 0 {
		delete(c.roles, string(p.Role))
	}
	if p.Org == "" || p.CreditCode == "" {
		return
	}
	key := orgKey(p.Org)
	o := c.orgs[key]
	if o == nil {
		o = &orgCodes{name: p.Org, codes: map[string]int{}}
		c.orgs[key] = o
	}
	o.codes[p.CreditCode] += by
	if o.codes[p.CreditCode] == 0 {
		delete(o.codes, p.CreditCode)
	}
	switch {
	case len(o.codes) == 0:
		delete(c.orgs, key)
		delete(c.clashing, key)
	case len(o.codes) > 1:
		c.clashing[key] = true
	default:
		delete(c.clashing, key)
	}
}

// slotFor returns id's slot, giving it the next one the first time, and
// files p there. Called with mu held for writing.
func (c *rosterCache) slotFor(id string, p *model.Participant) int32 {
	slot, ok := c.slots[id]
	if !ok {
		slot = int32(len(c.bySlot))
		c.slots[id] = slot
		c.bySlot = append(c.bySlot, nil)
		c.slotIDs = append(c.slotIDs, id)
		c.stamps = append(c.stamps, 0)
	}
	c.bySlot[slot] = p
	return slot
}

// apply brings a commit's participants in: saved ones replace their old
// copy, removed ones go. One lock for a whole import. savedAt and
// removedAt are the clocks of their ops: a write older than the entry the
// roster has is not taken. The commit hooks of two writes can run in the
// other order than their commits (each runs after its own transaction,
// outside the store's write lock), and the later write must win here as it
// won in the file. A nil list of clocks takes every write.
func (c *rosterCache) apply(saved []model.Participant, savedAt []uint64, removed []string, removedAt []uint64) {
	if len(saved) == 0 && len(removed) == 0 {
		return
	}
	written := make([]string, 0, len(saved)+len(removed))
	c.mu.Lock()
	if len(c.slots) == 0 && len(saved) > 1024 {
		// A first import: sized once instead of grown (rehashed) a dozen
		// times on the way to its size.
		c.byID = make(map[string]*model.Participant, len(saved))
		c.slots = make(map[string]int32, len(saved))
	}
	for i := range saved {
		p := saved[i]
		if savedAt != nil && c.older(p.ID, savedAt[i]) {
			continue
		}
		c.words.participant(&p)
		c.count(c.byID[p.ID], -1)
		c.count(&p, 1)
		c.byID[p.ID] = &p
		written = append(written, p.ID)
		slot := c.slotFor(p.ID, &p)
		if savedAt != nil {
			c.stamps[slot] = savedAt[i]
		}
		c.touch(slot)
	}
	for i, id := range removed {
		slot, ok := c.slots[id]
		if !ok || removedAt != nil && c.older(id, removedAt[i]) {
			continue
		}
		if removedAt != nil {
			c.stamps[slot] = removedAt[i] // kept: a late, older write must not bring them back
		}
		c.count(c.byID[id], -1)
		delete(c.byID, id)
		c.bySlot[slot] = nil
		c.touch(slot)
		written = append(written, id)
	}
	c.mu.Unlock()
	if c.beforeNote != nil {
		c.beforeNote()
	}
	// After the roster lock is let go: a search that is rebuilding holds
	// the index's lock and reads the roster (lock order: index, roster).
	// The desk's index is told who changed, not what they became: it reads
	// their copies from the roster, so two writes told in the other order
	// than the roster took them still leave it with the roster's.
	c.search.note(c, written)
}

// current is the roster's copy of each of ids, nil for one it no longer
// has.
func (c *rosterCache) current(ids []string) []*model.Participant {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]*model.Participant, len(ids))
	for i, id := range ids {
		out[i] = c.byID[id]
	}
	return out
}

// older reports whether a write of id stamped at is older than the entry
// (or removal) the roster has. Called with mu held.
func (c *rosterCache) older(id string, at uint64) bool {
	slot, ok := c.slots[id]
	return ok && at < c.stamps[slot]
}

// touch tells the list's order and text index that a slot was written.
// Called with mu held for writing.
func (c *rosterCache) touch(slot int32) {
	c.entries = nil
	if c.order != nil {
		if c.changed == nil {
			c.changed = map[int32]bool{}
		}
		c.changed[slot] = true
	}
	switch {
	case c.text != nil:
		c.indexSlot(c.text, slot)
	case c.textLog != nil:
		c.textLog = append(c.textLog, slot)
	}
}

// indexSlot files the slot's person under the fields the list filters on:
// name, organization, mobile, title and e-mail.
func (c *rosterCache) indexSlot(ix *textindex.Index, slot int32) {
	p := c.bySlot[slot]
	if p == nil {
		ix.Remove(slot)
		return
	}
	ix.Set(slot, p.Name, p.Org, p.Mobile, p.Title, p.Email)
}

func (c *rosterCache) get(id string) (model.Participant, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	p, ok := c.byID[id]
	if !ok {
		return model.Participant{}, false
	}
	return *p, true
}

// ids is everyone's id, in no order.
func (c *rosterCache) ids() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]string, 0, len(c.byID))
	for id := range c.byID {
		out = append(out, id)
	}
	return out
}

func (c *rosterCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.byID)
}

func (c *rosterCache) byRole() map[string]int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make(map[string]int, len(c.roles))
	for role, n := range c.roles {
		out[role] = n
	}
	return out
}

// orgClashes lists the organization names that came with several credit
// codes, by name.
func (c *rosterCache) orgClashes() []OrgClash {
	c.mu.RLock()
	out := make([]OrgClash, 0, len(c.clashing))
	for key := range c.clashing {
		o := c.orgs[key]
		clash := OrgClash{Name: o.name, Codes: make([]string, 0, len(o.codes))}
		for code := range o.codes {
			clash.Codes = append(clash.Codes, code)
		}
		sort.Strings(clash.Codes)
		out = append(out, clash)
	}
	c.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// all returns participants ordered by organization, then name. The slice
// is replaced, never modified, after a write, so callers may keep reading
// it without the lock.
func (c *rosterCache) all() []rosterEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sort()
	if c.entries == nil {
		c.entries = make([]rosterEntry, len(c.order))
		for i, slot := range c.order {
			c.entries[i] = rosterEntry{p: c.bySlot[slot]}
		}
	}
	return c.entries
}

// sort brings order up to date. After the first sort a change costs a
// merge of the people written since, not a sort of everyone (450 ms at
// 200,000 people): slots are plain numbers, so the merge copies 800 KB the
// collector need not scan. Called with mu held for writing.
func (c *rosterCache) sort() {
	for len(c.orderKey) < len(c.bySlot) {
		c.orderKey = append(c.orderKey, "")
	}
	switch {
	case c.order == nil:
		order := make([]int32, 0, len(c.byID))
		for slot, p := range c.bySlot {
			if p != nil {
				c.orderKey[slot] = orderOf(p)
				order = append(order, int32(slot))
			}
		}
		slices.SortFunc(order, c.compare)
		c.order, c.changed = order, nil
	case len(c.changed) > 0:
		c.order, c.changed = c.merged(), nil
	}
}

// merged is order with the changed people's old places dropped and their
// new ones put in: binary searches, then the runs in between copied whole.
func (c *rosterCache) merged() []int32 {
	old := c.order
	var drop []int
	for slot := range c.changed {
		if c.orderKey[slot] == "" {
			continue // new since the sort
		}
		i, found := slices.BinarySearchFunc(old, slot, c.compare)
		if found {
			drop = append(drop, i)
		}
	}
	slices.Sort(drop)
	kept := make([]int32, 0, len(old)-len(drop)+len(c.changed))
	from := 0
	for _, i := range drop {
		kept = append(kept, old[from:i]...)
		from = i + 1
	}
	kept = append(kept, old[from:]...)
	// Only now the changed take their new keys: the searches above went
	// by the old ones.
	fresh := make([]int32, 0, len(c.changed))
	for slot := range c.changed {
		c.orderKey[slot] = ""
		if p := c.bySlot[slot]; p != nil {
			c.orderKey[slot] = orderOf(p)
			fresh = append(fresh, slot)
		}
	}
	slices.SortFunc(fresh, c.compare)
	out := make([]int32, 0, len(kept)+len(fresh))
	at := 0
	for _, slot := range fresh {
		next := at + sort.Search(len(kept)-at, func(k int) bool { return !c.before(kept[at+k], slot) })
		out = append(out, kept[at:next]...)
		out = append(out, slot)
		at = next
	}
	return append(out, kept[at:]...)
}

// warm builds what the desk's search and the list's filter need, now
// rather than on the first search (at 200,000 people that took 1.8 s while
// the first guest waited): when an event opens, and after an import, whose
// changes (more than rebuildAfter) let go of the desk's index. When they
// are up to date it costs next to nothing.
func (c *rosterCache) warm() {
	c.search.layers(c)
	c.textIndex()
}

// textIndex returns the list's substring index, building it the first
// time. The build reads a copy of the roster without the lock, so writes
// go on meanwhile; what they touched is filed afterwards.
func (c *rosterCache) textIndex() *textindex.Index {
	c.mu.RLock()
	ix := c.text
	c.mu.RUnlock()
	if ix != nil {
		return ix
	}
	c.building.Lock()
	defer c.building.Unlock()
	c.mu.Lock()
	if c.text != nil {
		c.mu.Unlock()
		return c.text
	}
	ppl := slices.Clone(c.bySlot)
	c.textLog = []int32{}
	c.mu.Unlock()
	ix = textindex.New()
	for slot, p := range ppl {
		if p != nil {
			ix.Set(int32(slot), p.Name, p.Org, p.Mobile, p.Title, p.Email)
		}
	}
	c.mu.Lock()
	for _, slot := range c.textLog {
		c.indexSlot(ix, slot)
	}
	c.text, c.textLog = ix, nil
	c.mu.Unlock()
	return ix
}

// filter is one page of the list: the people whose name, organization,
// mobile, title or e-mail contains text (lower-cased) and whose role is
// role, when given, in the list's order, and how many there are.
func (c *rosterCache) filter(text, role string, offset, limit int) (int, []model.Participant) {
	var ix *textindex.Index
	if text != "" {
		ix = c.textIndex()
	}
	for {
		c.mu.Lock()
		c.sort()
		c.mu.Unlock()
		c.mu.RLock()
		if len(c.changed) > 0 {
			c.mu.RUnlock()
			continue // written between the sort and the read lock: sort again
		}
		var hit textindex.Set
		if ix != nil {
			hit = textindex.NewSet(ix.Items())
			ix.Match(text, hit)
		}
		total, items := 0, []model.Participant{}
		for _, slot := range c.order {
			if hit != nil && !hit.Has(slot) {
				continue
			}
			p := c.bySlot[slot]
			if role != "" && string(p.Role) != role {
				continue
			}
			if total >= offset && len(items) < limit {
				items = append(items, *p)
			}
			total++
		}
		c.mu.RUnlock()
		return total, items
	}
}

// interner keeps one copy of the texts many people share. Every person
// read from the file comes with a copy of their organization, title,
// chain, note, source and time of writing of their own: at 200,000 people
// that was 29 MB of the 268 MB an open event keeps. It holds at most
// internerCap texts and starts again when full, so an event's many
// distinct times of writing cannot grow it without end.
type interner struct {
	texts map[string]string
}

const internerCap = 1 << 16

func (in *interner) word(s string) string {
	if s == "" {
		return s
	}
	if w, ok := in.texts[s]; ok {
		return w
	}
	if in.texts == nil || len(in.texts) >= internerCap {
		in.texts = make(map[string]string, 1024)
	}
	// A copy of its own: s may be part of a larger text (a CSV file's
	// line), which the kept word would otherwise keep whole.
	s = strings.Clone(s)
	in.texts[s] = s
	return s
}

// participant replaces p's shared texts with the kept copies. Called with
// the roster's lock held for writing (or before the cache is shared).
func (in *interner) participant(p *model.Participant) {
	p.Org, p.OrgID, p.Title, p.Chain = in.word(p.Org), in.word(p.OrgID), in.word(p.Title), in.word(p.Chain)
	p.Note, p.Source, p.Updated = in.word(p.Note), in.word(p.Source), in.word(p.Updated)
	p.Role, p.Tier, p.Category = model.Role(in.word(string(p.Role))), model.Tier(in.word(string(p.Tier))), model.Category(in.word(string(p.Category)))
}
