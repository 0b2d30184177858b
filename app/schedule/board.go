package schedule

import (
	"sort"

	"github.com/fuzhi/eventdesk/model"
)

// Board is the published schedule on the event day as the conflict rules
// see it: the session (slots, tables, fixed tables, blocked slots) and
// every meeting. Its methods only read, so a move can be checked before
// anything is written: a station's refused proposal writes nothing.
type Board struct {
	Session  *model.MatchSession
	Meetings []model.Meeting
}

// ConflictKind names the rule a meeting breaks.
type ConflictKind string

const (
	// PersonTwice: a person has two meetings in the slot.
	PersonTwice ConflictKind = "person_twice"
	// PersonBlocked: a person cannot meet in the slot.
	PersonBlocked ConflictKind = "person_blocked"
	// PersonOffOwnTable: a person with a fixed table meets elsewhere.
	PersonOffOwnTable ConflictKind = "person_off_own_table"
	// TableTwice: a table holds two meetings in the slot.
	TableTwice ConflictKind = "table_twice"
	// TableFixedForOther: the table is someone else's fixed table.
	TableFixedForOther ConflictKind = "table_fixed"
)

// Conflict is one broken rule: Who is the person concerned (empty for a
// table rule), Table the table concerned (the person's own table for
// PersonOffOwnTable).
type Conflict struct {
	Kind  ConflictKind
	Who   string
	Table string
}

// HasSlot reports whether the session has the slot.
func (b Board) HasSlot(id string) bool {
	for _, s := range b.Session.Slots {
		if s.ID == id {
			return true
		}
	}
	return false
}

// HasTable reports whether the session has the table.
func (b Board) HasTable(id string) bool {
	for _, t := range b.Session.Tables {
		if t.ID == id {
			return true
		}
	}
	return false
}

type occupancy struct {
	person map[[2]string]int // (person, slot) -> meetings
	table  map[[2]string]int // (table, slot) -> meetings
}

// occupy counts who and which table is taken when, by the meetings that
// take place, leaving out the meeting skip.
func (b Board) occupy(skip string) occupancy {
	o := occupancy{person: map[[2]string]int{}, table: map[[2]string]int{}}
	for _, m := range b.Meetings {
		if m.ID == skip || !m.Status.TakesPlace() {
			continue
		}
		o.person[[2]string{m.From, m.Slot}]++
		o.person[[2]string{m.To, m.Slot}]++
		o.table[[2]string{m.Table, m.Slot}]++
	}
	return o
}

func (b Board) fixedTables() (owner, own map[string]string) {
	owner, own = map[string]string{}, map[string]string{}
	for _, t := range b.Session.Tables {
		if t.Fixed != "" {
			owner[t.ID], own[t.Fixed] = t.Fixed, t.ID
		}
	}
	return owner, own
}

// check lists the rules m breaks given the others' occupancy (m not in it).
func (b Board) check(m model.Meeting, o occupancy, owner, own map[string]string) []Conflict {
	out := []Conflict{}
	if !m.Status.TakesPlace() {
		return out
	}
	for _, p := range []string{m.From, m.To} {
		if o.person[[2]string{p, m.Slot}] > 0 {
			out = append(out, Conflict{Kind: PersonTwice, Who: p})
		}
		if b.Session.IsBlocked(p, m.Slot) {
			out = append(out, Conflict{Kind: PersonBlocked, Who: p})
		}
		if t := own[p]; t != "" && t != m.Table {
			out = append(out, Conflict{Kind: PersonOffOwnTable, Who: p, Table: t})
		}
	}
	if o.table[[2]string{m.Table, m.Slot}] > 0 {
		out = append(out, Conflict{Kind: TableTwice, Table: m.Table})
	}
	if p := owner[m.Table]; p != "" && p != m.From && p != m.To {
		out = append(out, Conflict{Kind: TableFixedForOther, Table: m.Table})
	}
	return out
}

// Conflicts lists every meeting's broken rules, by meeting id, so a manual
// move that breaks a rule shows at once on the grid.
func (b Board) Conflicts() map[string][]Conflict {
	all := b.occupy("")
	owner, own := b.fixedTables()
	out := make(map[string][]Conflict, len(b.Meetings))
	for _, m := range b.Meetings {
		// the others' occupancy: all of it minus this meeting's own share
		if m.Status.TakesPlace() {
			all.person[[2]string{m.From, m.Slot}]--
			all.person[[2]string{m.To, m.Slot}]--
			all.table[[2]string{m.Table, m.Slot}]--
		}
		out[m.ID] = b.check(m, all, owner, own)
		if m.Status.TakesPlace() {
			all.person[[2]string{m.From, m.Slot}]++
			all.person[[2]string{m.To, m.Slot}]++
			all.table[[2]string{m.Table, m.Slot}]++
		}
	}
	return out
}

// MoveConflicts is what meeting m would break in slot at table; the board
// is not changed.
func (b Board) MoveConflicts(m model.Meeting, slot, table string) []Conflict {
	owner, own := b.fixedTables()
	m.Slot, m.Table = slot, table
	return b.check(m, b.occupy(m.ID), owner, own)
}

// NextFree is the first slot after m's where both people are free and not
// blocked, with the first table free then that is not someone else's.
func (b Board) NextFree(m model.Meeting) (slot, table string, ok bool) {
	o := b.occupy(m.ID)
	after := false
	for _, sl := range b.Session.Slots {
		if sl.ID == m.Slot {
			after = true
			continue
		}
		if !after || o.person[[2]string{m.From, sl.ID}] > 0 || o.person[[2]string{m.To, sl.ID}] > 0 ||
			b.Session.IsBlocked(m.From, sl.ID) || b.Session.IsBlocked(m.To, sl.ID) {
			continue
		}
		for _, t := range b.Session.Tables {
			if o.table[[2]string{t.ID, sl.ID}] > 0 || (t.Fixed != "" && t.Fixed != m.From && t.Fixed != m.To) {
				continue
			}
			return sl.ID, t.ID, true
		}
	}
	return "", "", false
}

// Replacement is the meeting that already re-places missed meeting m: the
// same two people later in the session, scheduled or held. Re-placing is
// then done: a second click (or a second staff member) must not add the
// pair again.
func (b Board) Replacement(m model.Meeting) (model.Meeting, bool) {
	after := false
	later := map[string]bool{}
	for _, sl := range b.Session.Slots {
		if after {
			later[sl.ID] = true
		}
		after = after || sl.ID == m.Slot
	}
	for _, o := range b.Meetings {
		samePair := o.From == m.From && o.To == m.To || o.From == m.To && o.To == m.From
		if o.ID != m.ID && samePair && later[o.Slot] && (o.Status == model.MeetingScheduled || o.Status == model.MeetingHeld) {
			return o, true
		}
	}
	return model.Meeting{}, false
}

// GapFill is the request to hold in a missed meeting's slot and table for
// the person who came: the most wanted of their accepted requests not yet
// scheduled whose other person is free and not blocked then (ties: lowest
// id), or nil.
func (b Board) GapFill(missed model.Meeting, present string, reqs []model.MeetingRequest) *model.MeetingRequest {
	scheduled, busy := map[string]bool{}, map[string]bool{}
	for _, o := range b.Meetings {
		if o.Status == model.MeetingCancelled {
			continue
		}
		scheduled[o.Request] = true
		if o.Slot == missed.Slot && o.ID != missed.ID {
			busy[o.From], busy[o.To] = true, true
		}
	}
	var best *model.MeetingRequest
	for i := range reqs {
		r := &reqs[i]
		if r.Status != model.RequestAccepted || scheduled[r.ID] || (r.From != present && r.To != present) {
			continue
		}
		other := r.To
		if other == present {
			other = r.From
		}
		if busy[other] || b.Session.IsBlocked(other, missed.Slot) {
			continue
		}
		w, bw := 0, 0
		if best != nil {
			w, bw = model.PriorityWeight[r.Priority], model.PriorityWeight[best.Priority]
		}
		if best == nil || w > bw || (w == bw && r.ID < best.ID) {
			best = r
		}
	}
	return best
}

// Stays reports whether a re-schedule keeps the meeting where it is:
// locked, held, missed or agreed on the spot.
func Stays(m model.Meeting) bool {
	return m.Locked || m.Status == model.MeetingHeld || m.Status == model.MeetingNoShow || m.Spontaneous
}

// Instance is the scheduler's input: the accepted requests, blocked slots,
// fixed tables, and the meetings that must stay (locked, held or agreed on
// the spot). A no-show's request is spent: it is re-placed only on purpose.
func (b Board) Instance(reqs map[string]model.MeetingRequest) *Instance {
	in := &Instance{}
	for _, sl := range b.Session.Slots {
		in.Slots = append(in.Slots, Slot{ID: sl.ID, Start: sl.Start, Minutes: sl.Minutes})
	}
	fixed := map[string]string{}
	for _, t := range b.Session.Tables {
		in.Tables = append(in.Tables, Table{ID: t.ID})
		if t.Fixed != "" {
			fixed[t.Fixed] = t.ID
		}
	}
	locked, missed := map[string]bool{}, map[string]bool{}
	for _, m := range b.Meetings {
		switch {
		case m.Status == model.MeetingCancelled:
		case m.Status == model.MeetingNoShow:
			missed[m.Request] = true
		case m.Locked || m.Status == model.MeetingHeld || m.Spontaneous:
			if r, ok := reqs[m.Request]; ok && r.Status == model.RequestAccepted && !locked[m.Request] {
				locked[m.Request] = true
				in.Locked = append(in.Locked, Meeting{Request: m.Request, Slot: m.Slot, Table: m.Table})
			}
		}
	}
	// Oldest request first (then by id): the same requests give the same
	// instance, and so the same schedule, whatever ids they were given.
	ids := make([]string, 0, len(reqs))
	for id := range reqs {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := reqs[ids[i]], reqs[ids[j]]
		if a.Created != b.Created {
			return a.Created < b.Created
		}
		return a.ID < b.ID
	})
	people := map[string]bool{}
	for _, id := range ids {
		r := reqs[id]
		if r.Status != model.RequestAccepted || (missed[id] && !locked[id]) {
			continue
		}
		in.Requests = append(in.Requests, Request{ID: r.ID, From: r.From, To: r.To, Weight: model.PriorityWeight[r.Priority]})
		people[r.From], people[r.To] = true, true
	}
	pids := make([]string, 0, len(people))
	for p := range people {
		pids = append(pids, p)
	}
	sort.Strings(pids)
	for _, p := range pids {
		in.Participants = append(in.Participants, Participant{ID: p, Blocked: b.Session.Blocked[p], MaxMeetings: b.Session.MaxMeetings, FixedTable: fixed[p]})
	}
	return in
}
