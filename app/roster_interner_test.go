package app

import (
	"fmt"
	"strings"
	"testing"
	"unsafe"

	"github.com/fuzhi/eventdesk/model"
)

// TestRosterKeepsOneCopyOfSharedTexts: two people of one organization,
// read separately, hold one copy of its name (and of their title and
// chain) once in the roster, with every field as it was; the copies kept
// stay bounded however many distinct texts come.
func TestRosterKeepsOneCopyOfSharedTexts(t *testing.T) {
	c := newRosterCache()
	org := func() string { return strings.Repeat("山东精工", 3) } // a new copy each call
	a := model.Participant{ID: "P1", Name: "张三", Org: org(), Title: "总" + "监", Chain: "高端" + "装备", Role: model.Role("s" + "me"), Updated: "2026-05-20T09:00:00+08:00"}
	b := model.Participant{ID: "P2", Name: "李四", Org: org(), Title: "总" + "监", Chain: "高端" + "装备", Role: model.Role("s" + "me"), Updated: "2026-05-20T09:00:00+08:00"}
	if unsafe.StringData(a.Org) == unsafe.StringData(b.Org) {
		t.Fatal("the test needs two copies to begin with")
	}
	c.apply([]model.Participant{a, b}, nil, nil, nil)
	pa, pb := c.byID["P1"], c.byID["P2"]
	if *pa != a || *pb != b {
		t.Fatalf("fields changed: %+v %+v", *pa, *pb)
	}
	for _, pair := range [][2]string{{pa.Org, pb.Org}, {pa.Title, pb.Title}, {pa.Chain, pb.Chain}, {string(pa.Role), string(pb.Role)}, {pa.Updated, pb.Updated}} {
		if unsafe.StringData(pair[0]) != unsafe.StringData(pair[1]) {
			t.Errorf("%q is kept twice", pair[0])
		}
	}
	for i := 0; i < 3*internerCap; i++ {
		c.words.word(fmt.Sprintf("2026-05-20T09:%06d", i))
	}
	if n := len(c.words.texts); n > internerCap {
		t.Fatalf("%d texts kept, at most %d", n, internerCap)
	}
}
