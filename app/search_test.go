package app

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mozillazg/go-pinyin"

	"github.com/fuzhi/eventdesk/model"
)

// The table's fast tone stripping must read every character of the
// dictionary exactly as go-pinyin's own Normal style does, or search keys
// and the list order would drift from what people type.
func TestSyllablesReadAsGoPinyin(t *testing.T) {
	args := pinyin.NewArgs()
	args.Style = pinyin.Normal
	table := syllables()
	checked := 0
	for r := range pinyin.PinyinDict {
		want := ""
		if syl := pinyin.SinglePinyin(rune(r), args); len(syl) > 0 {
			want = syl[0]
		}
		if got := table[rune(r)]; got != want {
			t.Errorf("%c (U+%04X): table reads %q, go-pinyin %q", rune(r), r, got, want)
			if t.Failed() && checked > 20 {
				t.FailNow()
			}
		}
		checked++
	}
	for _, c := range []struct {
		r    rune
		want string
	}{{'张', "zhang"}, {'绿', "lv"}, {'詹', "zhan"}, {'嗯', "n"}} {
		if got := syllableOf(c.r); got != c.want {
			t.Errorf("syllableOf(%c) = %q, want %q", c.r, got, c.want)
		}
	}
	t.Logf("%d characters read alike", checked)
}

// A change reaches the desk's search at once, without building the whole
// index again: an edited name is found by the new name and no longer by
// the old, a deleted person is gone, a walk-in is there, and after more
// changes than rebuildAfter the rebuilt index says the same.
func TestSearchFollowsChangesWithoutRebuilding(t *testing.T) {
	svc, ws, ppl := seedEvent(t, 2000)
	if hits, _ := svc.Checkin.Search(ppl[10].Name, 200); len(hits) == 0 {
		t.Fatal("the seeded person is not found")
	}
	ws.roster.search.mu.Lock()
	base := ws.roster.search.base
	ws.roster.search.mu.Unlock()
	sameBase := func() bool {
		ws.roster.search.mu.Lock()
		defer ws.roster.search.mu.Unlock()
		return ws.roster.search.base == base
	}

	edited := ppl[10]
	edited.Name = "欧阳改名"
	if _, err := svc.Roster.Save(edited); err != nil {
		t.Fatal(err)
	}
	if err := svc.Roster.Delete(ppl[11].ID); err != nil {
		t.Fatal(err)
	}
	walkIn, err := svc.Roster.Save(model.Participant{Name: "司马新来", Org: "临时单位", Mobile: "13912345678"})
	if err != nil {
		t.Fatal(err)
	}
	found := func(q, id string) bool {
		hits, err := svc.Checkin.Search(q, 200)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hits {
			if h.Participant.ID == id {
				return true
			}
		}
		return false
	}
	check := func(when string) {
		t.Helper()
		if !found("欧阳改名", edited.ID) || !found("oygm", edited.ID) {
			t.Errorf("%s: the edited person is not found by the new name", when)
		}
		if found(ppl[10].Name, edited.ID) {
			t.Errorf("%s: the edited person is still found by the old name %s", when, ppl[10].Name)
		}
		if found(ppl[11].Name, ppl[11].ID) || found(ppl[11].Mobile[7:], ppl[11].ID) {
			t.Errorf("%s: the deleted person is still found", when)
		}
		if !found("司马新来", walkIn.ID) || !found("5678", walkIn.ID) || !found("临时单位", walkIn.ID) {
			t.Errorf("%s: the walk-in is not found", when)
		}
	}
	check("after three changes")
	if !sameBase() {
		t.Error("three changes rebuilt the whole index")
	}
	ws.roster.search.mu.Lock()
	ws.roster.search.limit = 40
	ws.roster.search.mu.Unlock()
	for i := 0; i <= 40; i++ {
		p := ppl[100+i]
		p.Title = fmt.Sprintf("职务%d", i)
		if _, err := svc.Roster.Save(p); err != nil {
			t.Fatal(err)
		}
	}
	svc.Checkin.Search("x", 1)
	if sameBase() {
		t.Error("the index was not rebuilt after rebuildAfter changes")
	}
	check("after the rebuild")
}

// Searches and saves at once, under -race: the index's layers are read
// without a lock while changes arrive.
func TestSearchWhileTheRosterChanges(t *testing.T) {
	svc, _, ppl := seedEvent(t, 500)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 200; i++ {
			p := ppl[i%len(ppl)]
			p.Name = fmt.Sprintf("并发%d", i)
			if _, err := svc.Roster.Save(p); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for i := 0; ; i++ {
		select {
		case <-done:
			if hits, _ := svc.Checkin.Search("并发199", 5); len(hits) != 1 {
				t.Fatalf("the last rename is not found: %+v", hits)
			}
			return
		default:
		}
		if _, err := svc.Checkin.Search(fmt.Sprintf("并发%d", i%200), 5); err != nil {
			t.Fatal(err)
		}
	}
}

// TestTheDeskIndexIsBuiltAgainAfterALargeImport: an import of more people
// than the desk's index takes as changes lets go of it; it is built again
// in the background, so the first search after the import does not wait
// for it. Nobody searches here: the index must come back by itself.
func TestTheDeskIndexIsBuiltAgainAfterALargeImport(t *testing.T) {
	svc, ws, _ := seedEvent(t, 100)
	if _, err := svc.Checkin.Search("x", 1); err != nil { // the index is built
		t.Fatal(err)
	}
	ws.roster.search.mu.Lock()
	ws.roster.search.limit = 40
	ws.roster.search.mu.Unlock()
	var csv strings.Builder
	csv.WriteString("姓名,单位名称,手机号\n")
	for i := range 60 {
		fmt.Fprintf(&csv, "后来%02d,青岛精工,1370000%04d\n", i, i)
	}
	if _, err := svc.Roster.Import(ImportRequest{FileName: "more.csv", Data: []byte(csv.String())}); err != nil {
		t.Fatal(err)
	}
	built := func() bool {
		ws.roster.search.mu.Lock()
		defer ws.roster.search.mu.Unlock()
		return ws.roster.search.base != nil
	}
	for deadline := time.Now().Add(10 * time.Second); !built(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the desk's index was not built again after the import")
		}
	}
	if hits, _ := svc.Checkin.Search("后来59", 5); len(hits) != 1 {
		t.Fatalf("the imported person is not found: %v", hits)
	}
}

// TestWritesDoNotWaitForTheDeskIndex: while a search builds the desk's
// index again after a large change, a walk-in's write goes through at once
// (its notice used to wait for the whole build, 2 s at 200,000 people), and
// both the large change and the walk-in are found once the build ends.
func TestWritesDoNotWaitForTheDeskIndex(t *testing.T) {
	c := newRosterCache()
	person := func(id, name string) model.Participant {
		return model.Participant{ID: id, Name: name, Org: "青岛精工", Mobile: "13900000000"}
	}
	c.apply([]model.Participant{person("P0", "张三")}, nil, nil, nil)
	if hits := c.search.find(c, "张三", 5); len(hits) != 1 {
		t.Fatalf("before: %v", hits)
	}
	held, release := make(chan struct{}), make(chan struct{})
	var first atomic.Bool
	c.search.mu.Lock()
	c.search.limit = 10
	c.search.buildStarts = func() {
		if first.CompareAndSwap(false, true) { // the first build only
			close(held)
			<-release
		}
	}
	c.search.mu.Unlock()
	var many []model.Participant
	for i := range 11 {
		many = append(many, person(fmt.Sprintf("P%02d", i+1), fmt.Sprintf("批量%02d", i+1)))
	}
	c.apply(many, nil, nil, nil) // more than the small index holds: let go
	go c.search.find(c, "批量", 5) // builds it again, held
	<-held
	wrote := make(chan struct{})
	go func() {
		defer close(wrote)
		c.apply([]model.Participant{person("W1", "现场报名")}, nil, nil, nil)
	}()
	select {
	case <-wrote:
	case <-time.After(10 * time.Second):
		t.Fatal("a walk-in's write waited for the desk's index")
	}
	close(release)
	for _, q := range []string{"批量11", "现场报名", "张三"} {
		if hits := c.search.find(c, q, 5); len(hits) != 1 {
			t.Fatalf("%s after the build: %v", q, hits)
		}
	}
}
