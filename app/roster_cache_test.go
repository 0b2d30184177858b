package app

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/fuzhi/eventdesk/model"
)

// rosterTruth is what the roster cache must answer, worked out from scratch:
// the list's order, a filter, the role counts and the clashing credit
// codes.
type rosterTruth map[string]model.Participant

func (r rosterTruth) filter(text, role string) []string {
	text = strings.ToLower(text)
	type keyed struct{ order, id string }
	var ps []keyed
	for _, p := range r {
		hay := strings.ToLower(strings.Join([]string{p.Name, p.Org, p.Mobile, p.Title, p.Email}, "\x00"))
		if (text == "" || strings.Contains(hay, text)) && (role == "" || string(p.Role) == role) {
			ps = append(ps, keyed{orderOf(&p), p.ID})
		}
	}
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].order != ps[j].order {
			return ps[i].order < ps[j].order
		}
		return ps[i].id < ps[j].id
	})
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.id
	}
	return ids
}

func (r rosterTruth) roles() map[string]int {
	out := map[string]int{}
	for _, p := range r {
		out[string(p.Role)]++
	}
	return out
}

func (r rosterTruth) clashes() []OrgClash {
	codes := map[string]map[string]bool{}
	for _, p := range r {
		if p.Org != "" && p.CreditCode != "" {
			if codes[orgKey(p.Org)] == nil {
				codes[orgKey(p.Org)] = map[string]bool{}
			}
			codes[orgKey(p.Org)][p.CreditCode] = true
		}
	}
	var out []OrgClash
	for key, set := range codes {
		if len(set) > 1 {
			out = append(out, OrgClash{Name: key, Codes: slices.Sorted(maps.Keys(set))})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func randomPerson(rng *rand.Rand, id string) model.Participant {
	pick := func(s ...string) string { return s[rng.IntN(len(s))] }
	return model.Participant{
		ID:         id,
		Name:       pick("张伟", "王芳", "李娜", "詹姆斯", "Zhang Wei", "赵敏") + pick("", "一", "二"),
		Org:        pick("济南精工科技", "青岛精工", "山东大学", "山东 大学", "ABC Tech", ""),
		Mobile:     fmt.Sprintf("13%09d", rng.IntN(1000)),
		Title:      pick("经理", "教授", "", "Engineer"),
		Email:      pick("", fmt.Sprintf("u%d@Mail.cn", rng.IntN(50))),
		Role:       model.Roles[rng.IntN(len(model.Roles))],
		CreditCode: pick("", "A", "B", "C"),
	}
}

// TestTheListFollowsEveryChange: random registrations, edits, removals
// and imports of many at once, with lists read in between so the order is
// merged rather than sorted afresh. After every step, pages of filtered
// lists, the role counts and the organization clashes equal a rosterTruth.
func TestTheListFollowsEveryChange(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	c := newRosterCache()
	truth := rosterTruth{}
	queries := []string{"", "张", "精工", "山东 大", "13000", "mail", "MAIL.CN", "经理", "zhang", "詹姆斯一", "u1"}
	for step := 0; step < 1200; step++ {
		var saved []model.Participant
		var removed []string
		switch k := rng.IntN(10); {
		case k == 0:
			for i := 0; i < 30; i++ { // an import
				p := randomPerson(rng, fmt.Sprintf("P%03d", rng.IntN(400)))
				saved = append(saved, p)
			}
		case k < 3:
			removed = append(removed, fmt.Sprintf("P%03d", rng.IntN(400)))
		default:
			saved = append(saved, randomPerson(rng, fmt.Sprintf("P%03d", rng.IntN(400))))
		}
		c.apply(saved, nil, removed, nil)
		for _, p := range saved {
			truth[p.ID] = p
		}
		for _, id := range removed {
			delete(truth, id)
		}
		if step == 200 {
			c.textIndex() // built once there are people; kept by apply after
		}
		if rng.IntN(3) != 0 {
			continue // several changes between two reads
		}
		q, role := queries[rng.IntN(len(queries))], ""
		if rng.IntN(3) == 0 {
			role = string(model.Roles[rng.IntN(len(model.Roles))])
		}
		want := truth.filter(q, role)
		offset := rng.IntN(len(want) + 1)
		total, items := c.filter(q, role, offset, 7)
		got := make([]string, len(items))
		for i, p := range items {
			got[i] = p.ID
		}
		if total != len(want) || !slices.Equal(got, want[offset:min(offset+7, len(want))]) {
			t.Fatalf("step %d, %q role %q from %d: got %d %v, want %d %v", step, q, role, offset,
				total, got, len(want), want[offset:min(offset+7, len(want))])
		}
		all := c.all()
		if len(all) != len(truth) {
			t.Fatalf("step %d: all() has %d, the roster %d", step, len(all), len(truth))
		}
		if len(all) > 0 && q == "" && role == "" && all[0].p.ID != want[0] {
			t.Fatalf("step %d: all() starts with %s, the order with %s", step, all[0].p.ID, want[0])
		}
		if got, want := c.byRole(), truth.roles(); !maps.Equal(got, want) {
			t.Fatalf("step %d: roles %v, rosterTruth %v", step, got, want)
		}
		got2, want2 := c.orgClashes(), truth.clashes()
		if len(got2) != len(want2) {
			t.Fatalf("step %d: clashes %v, rosterTruth %v", step, got2, want2)
		}
		for i := range got2 {
			if orgKey(got2[i].Name) != want2[i].Name || !slices.Equal(got2[i].Codes, want2[i].Codes) {
				t.Fatalf("step %d: clashes %v, rosterTruth %v", step, got2, want2)
			}
		}
	}
}

// TestTheFilterIndexIsBuiltWhileTheRosterChanges: the list's index is
// built from a copy without the lock while walk-ins keep coming; the ones
// written meanwhile are found afterwards. Run with -race.
func TestTheFilterIndexIsBuiltWhileTheRosterChanges(t *testing.T) {
	c := newRosterCache()
	var ppl []model.Participant
	for i := 0; i < 20_000; i++ {
		ppl = append(ppl, model.Participant{ID: fmt.Sprintf("P%05d", i), Name: fmt.Sprintf("参会人%d", i), Org: "济南精工"})
	}
	c.apply(ppl, nil, nil, nil)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 300; i++ {
			c.apply([]model.Participant{{ID: fmt.Sprintf("W%03d", i), Name: fmt.Sprintf("现场%d", i), Org: "青岛"}}, nil, []string{fmt.Sprintf("P%05d", i)}, nil)
		}
	}()
	c.textIndex()
	wg.Wait()
	if total, _ := c.filter("现场", "", 0, 10); total != 300 {
		t.Fatalf("walk-ins found: %d of 300", total)
	}
	if total, _ := c.filter("精工", "", 0, 10); total != 20_000-300 {
		t.Fatalf("精工 after 300 removals: %d, want %d", total, 20_000-300)
	}
}

// TestALateOlderWriteDoesNotUndoANewerOne: the commit hooks of two writes
// can run in the other order than their commits (a desk's edit right after
// a large import, whose hooks hear of 200,000 people after the swap); the
// roster keeps what the file keeps, the newer write, and a removal is not
// undone by an older write heard of late.
func TestALateOlderWriteDoesNotUndoANewerOne(t *testing.T) {
	c := newRosterCache()
	person := func(name string) model.Participant {
		return model.Participant{ID: "P1", Name: name, Org: "青岛精工", Role: model.RoleSME}
	}
	c.apply([]model.Participant{person("张三（前台改过）")}, []uint64{11}, nil, nil)
	c.apply([]model.Participant{person("张三（导入）")}, []uint64{10}, nil, nil)
	if got := c.byID["P1"].Name; got != "张三（前台改过）" {
		t.Fatalf("after the older write heard of late: %q", got)
	}
	if total, items := c.filter("导入", "", 0, 5); total != 0 {
		t.Fatalf("the list finds the older write: %v", items)
	}
	c.apply(nil, nil, []string{"P1"}, []uint64{12})
	c.apply([]model.Participant{person("张三（导入）")}, []uint64{11}, nil, nil)
	if _, ok := c.byID["P1"]; ok {
		t.Fatal("an older write brought a removed person back")
	}
	if got := c.byRole()[string(model.RoleSME)]; got != 0 {
		t.Fatalf("role count %d after the removal", got)
	}
	c.apply([]model.Participant{person("张三（再次登记）")}, []uint64{13}, nil, nil)
	if got := c.byID["P1"]; got == nil || got.Name != "张三（再次登记）" {
		t.Fatalf("a newer write after the removal: %v", got)
	}
	// Writes without clocks (a roster loaded from the file) are all taken.
	c.apply([]model.Participant{person("李四")}, nil, nil, nil)
	if got := c.byID["P1"].Name; got != "李四" {
		t.Fatalf("an unstamped write: %q", got)
	}
}

// TestTheDeskFindsWhatTheRosterHasWhicheverWriteIsToldFirst: two writes to
// one person, the older one's roster update first (it was current then),
// the newer one's next, and the desk's index told of the newer one first.
// The desk must find the newer name, as the roster and the file have it,
// and not the older one that was told last.
func TestTheDeskFindsWhatTheRosterHasWhicheverWriteIsToldFirst(t *testing.T) {
	c := newRosterCache()
	person := func(name string) model.Participant {
		return model.Participant{ID: "P1", Name: name, Org: "青岛精工", Role: model.RoleSME}
	}
	c.apply([]model.Participant{person("张三")}, []uint64{10}, nil, nil)
	if hits := c.search.find(c, "张三", 5); len(hits) != 1 {
		t.Fatalf("before the edits: %v", hits) // builds the desk's index
	}
	var told atomic.Int32
	held, release, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
	c.beforeNote = func() {
		if told.Add(1) == 1 { // the older write: held until the newer one is told
			close(held)
			<-release
		}
	}
	go func() {
		defer close(done)
		c.apply([]model.Participant{person("王五")}, []uint64{11}, nil, nil)
	}()
	<-held // the older write is in the roster, its notice not yet given
	c.apply([]model.Participant{person("李四")}, []uint64{12}, nil, nil)
	close(release)
	<-done
	if got := c.byID["P1"].Name; got != "李四" {
		t.Fatalf("the roster has %q", got)
	}
	if hits := c.search.find(c, "王五", 5); len(hits) != 0 {
		t.Fatalf("the desk finds the older name: %v", hits[0].Name)
	}
	if hits := c.search.find(c, "李四", 5); len(hits) != 1 || hits[0].Name != "李四" {
		t.Fatalf("the desk does not find the newer name: %v", hits)
	}
}

// TestOrgKeyIsNameWithoutCaseOrSpaces: the quick path for names that are
// their own key gives what lowering and joining the words gives, for any
// text (spaces of every kind, capitals, invalid UTF-8, Chinese).
func TestOrgKeyIsNameWithoutCaseOrSpaces(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	parts := []string{"山东", "精工", "Co", "LTD", "ltd", " ", "\u3000", "\t", "\xff", "Σ", "ǅ", "İ", "科技", "a", "9"}
	for i := 0; i < 50000; i++ {
		var b strings.Builder
		for range r.IntN(6) {
			b.WriteString(parts[r.IntN(len(parts))])
		}
		org := b.String()
		if got, want := orgKey(org), strings.ToLower(strings.Join(strings.Fields(org), "")); got != want {
			t.Fatalf("orgKey(%q) = %q, want %q", org, got, want)
		}
	}
}
