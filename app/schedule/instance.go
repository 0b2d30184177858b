// Package schedule places one-on-one meetings into time slots and tables.
// It is pure Go with no I/O: an Instance in, a Schedule out. With a count
// of rounds (Options.Iterations) the result depends only on the input and
// the seed; with a time budget, on how far the searches got in it.
//
// The contract (also what `fuzhi schedule` reads and writes) is in the
// matchmaking issue: a request is held at most once; a participant is in at
// most one meeting per slot, in none of their blocked slots and in at most
// max_meetings; a table holds one meeting per slot; a participant with a
// fixed table meets there; locked meetings stay exactly as given.
package schedule

import (
	"fmt"
	"sort"
	"strings"
)

// Instance is the problem as organizers set it up.
type Instance struct {
	Slots        []Slot        `json:"slots"`
	Tables       []Table       `json:"tables"`
	Participants []Participant `json:"participants"`
	Requests     []Request     `json:"requests"`
	Locked       []Meeting     `json:"locked,omitempty"`
}

// Slot is one time slot.
type Slot struct {
	ID      string `json:"id"`
	Start   string `json:"start,omitempty"`
	Minutes int    `json:"minutes,omitempty"`
}

// Table is one meeting table.
type Table struct {
	ID string `json:"id"`
}

// Participant is someone who can be in meetings.
type Participant struct {
	ID          string   `json:"id"`
	Blocked     []string `json:"blocked,omitempty"`
	MaxMeetings int      `json:"max_meetings,omitempty"` // 0 = no cap
	FixedTable  string   `json:"fixed_table,omitempty"`
}

// Request asks for a meeting between two participants.
type Request struct {
	ID     string `json:"id"`
	From   string `json:"from"`
	To     string `json:"to"`
	Weight int    `json:"weight"`
}

// Meeting is a request placed in a slot at a table.
type Meeting struct {
	Request string `json:"request"`
	Slot    string `json:"slot"`
	Table   string `json:"table"`
}

// Schedule is the answer.
type Schedule struct {
	Meetings []Meeting `json:"meetings"`
	Weight   int       `json:"weight"`
}

// InputError names the item that makes an instance impossible to use.
type InputError struct {
	Item   string // e.g. `request "R00012"`
	Reason string
}

func (e *InputError) Error() string { return e.Item + ": " + e.Reason }

func bad(item, format string, args ...any) error {
	return &InputError{Item: item, Reason: fmt.Sprintf(format, args...)}
}

// MaxSlots is the most slots one session can have: slot sets are 64-bit masks.
const MaxSlots = 64

// MaxWeight is the heaviest a request can be: weights are kept as int32,
// and a million requests of this weight still add up exactly in a float64
// (the bound's sums). The app's wishes weigh 1 to 3.
const MaxWeight = 1_000_000

// indexed is the instance in index form, checked.
type indexed struct {
	in          *Instance
	nP, nS, nR  int
	slotIx      map[string]int
	tableIx     map[string]int
	partIx      map[string]int
	reqIx       map[string]int
	a, b        []int32 // request ends
	w           []int32
	blocked     [][]bool // [p][s]
	maxDeg      []int32  // per participant; large when uncapped
	fixed       []int32  // participant -> fixed table index, -1
	fixedOwner  []int32  // table -> participant, -1
	freeTables  []int    // tables nobody owns, in input order
	lockedSlot  []int32  // request -> slot, -1
	lockedTable []int32  // request -> table, -1
	// capacity[s]: meetings without a fixed-table participant that slot s
	// can hold: the unowned tables minus those locked meetings claim.
	capacity []int32
	// eligible[r]: request r can be placed at all (ends differ, not two
	// fixed tables, some slot where both are free).
	eligible []bool
}

func newModel(in *Instance) (*indexed, error) {
	m := &indexed{in: in, nP: len(in.Participants), nS: len(in.Slots), nR: len(in.Requests),
		slotIx: map[string]int{}, tableIx: map[string]int{}, partIx: map[string]int{}, reqIx: map[string]int{}}
	if m.nS == 0 {
		return nil, bad("slots", "no slots")
	}
	if m.nS > MaxSlots {
		return nil, bad("slots", "%d slots; at most %d in one session (split the day into sessions)", m.nS, MaxSlots)
	}
	if len(in.Tables) == 0 {
		return nil, bad("tables", "no tables")
	}
	for i, s := range in.Slots {
		if s.ID == "" {
			return nil, bad(fmt.Sprintf("slot #%d", i+1), "empty id")
		}
		if _, dup := m.slotIx[s.ID]; dup {
			return nil, bad(fmt.Sprintf("slot %q", s.ID), "listed twice")
		}
		m.slotIx[s.ID] = i
	}
	for i, t := range in.Tables {
		if t.ID == "" {
			return nil, bad(fmt.Sprintf("table #%d", i+1), "empty id")
		}
		if _, dup := m.tableIx[t.ID]; dup {
			return nil, bad(fmt.Sprintf("table %q", t.ID), "listed twice")
		}
		m.tableIx[t.ID] = i
	}
	m.blocked = make([][]bool, m.nP)
	m.maxDeg = make([]int32, m.nP)
	m.fixed = make([]int32, m.nP)
	m.fixedOwner = make([]int32, len(in.Tables))
	for i := range m.fixedOwner {
		m.fixedOwner[i] = -1
	}
	for i, p := range in.Participants {
		item := fmt.Sprintf("participant %q", p.ID)
		if p.ID == "" {
			return nil, bad(fmt.Sprintf("participant #%d", i+1), "empty id")
		}
		if _, dup := m.partIx[p.ID]; dup {
			return nil, bad(item, "listed twice")
		}
		m.partIx[p.ID] = i
		m.blocked[i] = make([]bool, m.nS)
		for _, sid := range p.Blocked {
			s, ok := m.slotIx[sid]
			if !ok {
				return nil, bad(item, "blocked slot %q does not exist", sid)
			}
			m.blocked[i][s] = true
		}
		switch {
		case p.MaxMeetings < 0:
			return nil, bad(item, "max_meetings %d is negative", p.MaxMeetings)
		case p.MaxMeetings == 0:
			m.maxDeg[i] = int32(m.nS)
		default:
			m.maxDeg[i] = int32(min(p.MaxMeetings, m.nS))
		}
		m.fixed[i] = -1
		if p.FixedTable != "" {
			t, ok := m.tableIx[p.FixedTable]
			if !ok {
				return nil, bad(item, "fixed_table %q does not exist", p.FixedTable)
			}
			if o := m.fixedOwner[t]; o >= 0 {
				return nil, bad(fmt.Sprintf("table %q", p.FixedTable), "fixed to two participants, %q and %q", in.Participants[o].ID, p.ID)
			}
			m.fixedOwner[t] = int32(i)
			m.fixed[i] = int32(t)
		}
	}
	for t, o := range m.fixedOwner {
		if o < 0 {
			m.freeTables = append(m.freeTables, t)
		}
	}
	m.a, m.b, m.w = make([]int32, m.nR), make([]int32, m.nR), make([]int32, m.nR)
	m.eligible = make([]bool, m.nR)
	m.lockedSlot, m.lockedTable = make([]int32, m.nR), make([]int32, m.nR)
	for i, r := range in.Requests {
		item := fmt.Sprintf("request %q", r.ID)
		if r.ID == "" {
			return nil, bad(fmt.Sprintf("request #%d", i+1), "empty id")
		}
		if _, dup := m.reqIx[r.ID]; dup {
			return nil, bad(item, "listed twice")
		}
		m.reqIx[r.ID] = i
		a, ok := m.partIx[r.From]
		if !ok {
			return nil, bad(item, "from %q is not a participant", r.From)
		}
		b, ok := m.partIx[r.To]
		if !ok {
			return nil, bad(item, "to %q is not a participant", r.To)
		}
		if a == b {
			return nil, bad(item, "from and to are the same participant %q", r.From)
		}
		if r.Weight < 1 || r.Weight > MaxWeight {
			return nil, bad(item, "weight %d must be from 1 to %d", r.Weight, MaxWeight)
		}
		m.a[i], m.b[i], m.w[i] = int32(a), int32(b), int32(r.Weight)
		m.lockedSlot[i], m.lockedTable[i] = -1, -1
		if m.fixed[a] >= 0 && m.fixed[b] >= 0 {
			continue // each must meet at their own table: never placeable
		}
		for s := 0; s < m.nS; s++ {
			if !m.blocked[a][s] && !m.blocked[b][s] {
				m.eligible[i] = true
				break
			}
		}
	}
	if err := m.checkLocked(); err != nil {
		return nil, err
	}
	return m, nil
}

// tableOf is where request r must sit if it involves a fixed table, else -1.
func (m *indexed) tableOf(r int) int32 {
	if t := m.fixed[m.a[r]]; t >= 0 {
		return t
	}
	return m.fixed[m.b[r]]
}

func (m *indexed) checkLocked() error {
	m.capacity = make([]int32, m.nS)
	for s := range m.capacity {
		m.capacity[s] = int32(len(m.freeTables))
	}
	busy := map[[2]int]string{}   // participant, slot -> request
	tables := map[[2]int]string{} // table, slot -> request
	deg := make([]int32, m.nP)
	for _, l := range m.in.Locked {
		item := fmt.Sprintf("locked meeting of request %q", l.Request)
		r, ok := m.reqIx[l.Request]
		if !ok {
			return bad(item, "request does not exist")
		}
		if m.lockedSlot[r] >= 0 {
			return bad(item, "locked twice")
		}
		s, ok := m.slotIx[l.Slot]
		if !ok {
			return bad(item, "slot %q does not exist", l.Slot)
		}
		t, ok := m.tableIx[l.Table]
		if !ok {
			return bad(item, "table %q does not exist", l.Table)
		}
		for _, p := range []int32{m.a[r], m.b[r]} {
			pid := m.in.Participants[p].ID
			if m.blocked[p][s] {
				return bad(item, "participant %q is blocked in slot %q", pid, l.Slot)
			}
			if other, clash := busy[[2]int{int(p), s}]; clash {
				return bad(item, "participant %q is already in locked meeting %q in slot %q", pid, other, l.Slot)
			}
			busy[[2]int{int(p), s}] = l.Request
			deg[p]++
			if deg[p] > m.maxDeg[p] {
				return bad(item, "participant %q would exceed max_meetings %d", pid, m.maxDeg[p])
			}
		}
		if other, clash := tables[[2]int{t, s}]; clash {
			return bad(item, "table %q already holds locked meeting %q in slot %q", l.Table, other, l.Slot)
		}
		tables[[2]int{t, s}] = l.Request
		if want := m.tableOf(r); want >= 0 && int(want) != t {
			return bad(item, "a participant's fixed table is %q, not %q", m.in.Tables[want].ID, l.Table)
		}
		if want := m.tableOf(r); want < 0 {
			if o := m.fixedOwner[t]; o >= 0 {
				return bad(item, "table %q is fixed to participant %q", l.Table, m.in.Participants[o].ID)
			}
			m.capacity[s]--
		}
		m.lockedSlot[r], m.lockedTable[r] = int32(s), int32(t)
	}
	return nil
}

// tablesFor gives every placed request a table, slot by slot: fixed and
// locked ones where they must be, the rest on the free tables in order.
func (m *indexed) tablesFor(slot []int32) ([]Meeting, error) {
	var out []Meeting
	for s := 0; s < m.nS; s++ {
		used := make([]bool, len(m.in.Tables))
		var rest []int
		for r := 0; r < m.nR; r++ {
			if slot[r] != int32(s) {
				continue
			}
			switch {
			case m.lockedTable[r] >= 0:
				used[m.lockedTable[r]] = true
				out = append(out, Meeting{m.in.Requests[r].ID, m.in.Slots[s].ID, m.in.Tables[m.lockedTable[r]].ID})
			case m.tableOf(r) >= 0:
				t := m.tableOf(r)
				used[t] = true
				out = append(out, Meeting{m.in.Requests[r].ID, m.in.Slots[s].ID, m.in.Tables[t].ID})
			default:
				rest = append(rest, r)
			}
		}
		free := m.freeTables
		for _, r := range rest {
			for len(free) > 0 && used[free[0]] {
				free = free[1:]
			}
			if len(free) == 0 {
				return nil, fmt.Errorf("internal: slot %s over capacity", m.in.Slots[s].ID)
			}
			used[free[0]] = true
			out = append(out, Meeting{m.in.Requests[r].ID, m.in.Slots[s].ID, m.in.Tables[free[0]].ID})
			free = free[1:]
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Slot != out[j].Slot {
			return m.slotIx[out[i].Slot] < m.slotIx[out[j].Slot]
		}
		return strings.Compare(out[i].Table, out[j].Table) < 0
	})
	return out, nil
}
