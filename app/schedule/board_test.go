package schedule

import (
	"reflect"
	"testing"

	"github.com/fuzhi/eventdesk/model"
)

func testBoard(ms ...model.Meeting) Board {
	return Board{
		Session: &model.MatchSession{
			Slots:   []model.MatchSlot{{ID: "S01"}, {ID: "S02"}, {ID: "S03"}},
			Tables:  []model.MatchTable{{ID: "T001", Fixed: "EX"}, {ID: "T002"}, {ID: "T003"}},
			Blocked: map[string][]string{"B": {"S02"}},
		},
		Meetings: ms,
	}
}

func mt(id, from, to, slot, table string, st model.MeetingStatus) model.Meeting {
	return model.Meeting{ID: id, Request: "R" + id, From: from, To: to, Slot: slot, Table: table, Status: st}
}

func TestBoardConflicts(t *testing.T) {
	const sch = model.MeetingScheduled
	cases := []struct {
		name string
		ms   []model.Meeting
		want map[string][]Conflict
	}{
		{"no rule broken", []model.Meeting{mt("1", "A", "B", "S01", "T002", sch), mt("2", "EX", "C", "S01", "T001", sch)},
			map[string][]Conflict{"1": {}, "2": {}}},
		{"a person twice in a slot", []model.Meeting{mt("1", "A", "B", "S01", "T002", sch), mt("2", "A", "C", "S01", "T003", sch)},
			map[string][]Conflict{"1": {{Kind: PersonTwice, Who: "A"}}, "2": {{Kind: PersonTwice, Who: "A"}}}},
		{"a table twice in a slot", []model.Meeting{mt("1", "A", "C", "S01", "T002", sch), mt("2", "D", "E", "S01", "T002", sch)},
			map[string][]Conflict{"1": {{Kind: TableTwice, Table: "T002"}}, "2": {{Kind: TableTwice, Table: "T002"}}}},
		{"blocked slot", []model.Meeting{mt("1", "A", "B", "S02", "T002", sch)},
			map[string][]Conflict{"1": {{Kind: PersonBlocked, Who: "B"}}}},
		{"fixed table owner elsewhere, another pair at the fixed table", []model.Meeting{mt("1", "EX", "A", "S01", "T002", sch), mt("2", "C", "D", "S02", "T001", sch)},
			map[string][]Conflict{"1": {{Kind: PersonOffOwnTable, Who: "EX", Table: "T001"}}, "2": {{Kind: TableFixedForOther, Table: "T001"}}}},
		{"missed and cancelled meetings free people and tables", []model.Meeting{mt("1", "A", "B", "S01", "T002", model.MeetingNoShow),
			mt("2", "A", "C", "S01", "T002", sch), mt("3", "A", "D", "S01", "T002", model.MeetingCancelled)},
			map[string][]Conflict{"1": {}, "2": {}, "3": {}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := testBoard(c.ms...).Conflicts(); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestMoveConflictsLeavesTheBoardAsItWas(t *testing.T) {
	b := testBoard(mt("1", "A", "B", "S01", "T002", model.MeetingScheduled), mt("2", "C", "D", "S03", "T002", model.MeetingScheduled))
	before := append([]model.Meeting{}, b.Meetings...)
	if got := b.MoveConflicts(b.Meetings[0], "S03", "T002"); !reflect.DeepEqual(got, []Conflict{{Kind: TableTwice, Table: "T002"}}) {
		t.Fatalf("move onto a taken table: %+v", got)
	}
	if got := b.MoveConflicts(b.Meetings[0], "S01", "T002"); len(got) != 0 {
		t.Fatalf("staying put conflicts with itself: %+v", got)
	}
	if !reflect.DeepEqual(b.Meetings, before) {
		t.Fatal("a check changed the board")
	}
}

func TestNextFreeAndGapFill(t *testing.T) {
	b := testBoard(mt("1", "A", "B", "S01", "T002", model.MeetingNoShow), mt("2", "A", "C", "S03", "T002", model.MeetingScheduled))
	// S02: B blocked; S03: A busy → nothing after S01.
	if _, _, ok := b.NextFree(b.Meetings[0]); ok {
		t.Fatal("found a slot where a person is blocked or busy")
	}
	b.Meetings[1].Slot = "S02"
	b.Session.Blocked = nil
	if slot, table, ok := b.NextFree(b.Meetings[0]); !ok || slot != "S03" || table != "T002" {
		t.Fatalf("next free: %s %s %v (T001 is someone else's fixed table)", slot, table, ok)
	}
	reqs := []model.MeetingRequest{
		{ID: "R9", From: "A", To: "E", Priority: "could", Status: model.RequestAccepted},
		{ID: "R8", From: "F", To: "A", Priority: "must", Status: model.RequestAccepted},
		{ID: "R7", From: "A", To: "G", Priority: "must", Status: model.RequestRequested},
		{ID: "R2", From: "A", To: "C", Priority: "must", Status: model.RequestAccepted}, // already scheduled
	}
	if r := b.GapFill(b.Meetings[0], "A", reqs); r == nil || r.ID != "R8" {
		t.Fatalf("gap fill: %+v", r)
	}
	b.Meetings = append(b.Meetings, mt("3", "F", "H", "S01", "T003", model.MeetingScheduled))
	if r := b.GapFill(b.Meetings[0], "A", reqs); r == nil || r.ID != "R9" {
		t.Fatalf("gap fill when the best other is busy: %+v", r)
	}
}

func TestInstanceKeepsWhatStays(t *testing.T) {
	b := testBoard(mt("1", "A", "B", "S01", "T002", model.MeetingHeld), mt("2", "C", "D", "S02", "T002", model.MeetingNoShow),
		mt("3", "E", "F", "S02", "T003", model.MeetingScheduled))
	reqs := map[string]model.MeetingRequest{
		"R1": {ID: "R1", From: "A", To: "B", Priority: "want", Status: model.RequestAccepted},
		"R2": {ID: "R2", From: "C", To: "D", Priority: "want", Status: model.RequestAccepted},
		"R3": {ID: "R3", From: "E", To: "F", Priority: "must", Status: model.RequestAccepted},
		"R4": {ID: "R4", From: "A", To: "F", Priority: "could", Status: model.RequestDeclined},
	}
	in := b.Instance(reqs)
	if !reflect.DeepEqual(in.Locked, []Meeting{{Request: "R1", Slot: "S01", Table: "T002"}}) {
		t.Fatalf("locked: %+v", in.Locked)
	}
	var ids []string
	for _, r := range in.Requests {
		ids = append(ids, r.ID)
	}
	if !reflect.DeepEqual(ids, []string{"R1", "R3"}) || len(in.Participants) != 4 || len(in.Slots) != 3 || len(in.Tables) != 3 {
		t.Fatalf("instance: %+v", in)
	}
}
