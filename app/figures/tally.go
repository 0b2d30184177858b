package figures

import (
	"slices"

	"github.com/fuzhi/eventdesk/model"
)

// Tally is the dashboard kept up to date one person at a time. Arrivals
// walks everyone; at 200,000 people that took 156 ms, and the desks waited
// behind it while a projector refreshed. The event's commit hook tells the
// tally who changed, and the dashboard copies a few counters.
//
// A Tally is not safe for concurrent use; its owner holds a lock.
type Tally struct {
	people   map[string]tallied // by ID, as last set
	expected map[model.Role]int // by known role, "" for the rest
	arrived  map[model.Role]int
	total    Dashboard      // the counters of Dashboard, without the lists
	quarters map[string]int // arrivals per quarter hour, no zero entries
	desks    map[string]int // arrivals per desk, no zero entries
	recent   []arrivalKey   // everyone arrived, latest last (see laterArrival)
}

// tallied is what the tally keeps of a person: what it takes to count
// them out again, and for those who arrived what the recent list shows.
// Most of the day most people have not arrived; keeping every Attendee
// whole was 31.5 MB at 200,000 people, this is a third of it.
type tallied struct {
	role          model.Role
	scans, repeat int32
	walkIn        bool
	arrival       *arrival // nil until they arrive
}

type arrival struct{ name, org, at, desk string }

func tallyOf(a Attendee) tallied {
	t := tallied{role: a.Role, scans: int32(a.Scans), repeat: int32(a.Repeats), walkIn: a.WalkIn}
	if a.At != "" {
		t.arrival = &arrival{name: a.Name, org: a.Org, at: a.At, desk: a.Desk}
	}
	return t
}

// same: a is counted as t was (name and organization matter once arrived).
func (t tallied) same(a Attendee) bool {
	if t.role != a.Role || int(t.scans) != a.Scans || int(t.repeat) != a.Repeats || t.walkIn != a.WalkIn || (t.arrival != nil) != (a.At != "") {
		return false
	}
	return t.arrival == nil || *t.arrival == arrival{name: a.Name, org: a.Org, at: a.At, desk: a.Desk}
}

func (t tallied) attendee(id string) Attendee {
	a := Attendee{ID: id, Role: t.role, Scans: int(t.scans), Repeats: int(t.repeat), WalkIn: t.walkIn}
	if t.arrival != nil {
		a.Name, a.Org, a.At, a.Desk = t.arrival.name, t.arrival.org, t.arrival.at, t.arrival.desk
	}
	return a
}

// NewTally is an empty tally.
func NewTally() *Tally {
	return &Tally{people: map[string]tallied{}, expected: map[model.Role]int{}, arrived: map[model.Role]int{},
		quarters: map[string]int{}, desks: map[string]int{}}
}

// Set puts a person in as they are now, replacing what was set for a.ID.
func (t *Tally) Set(a Attendee) {
	if old, ok := t.people[a.ID]; ok && old.same(a) {
		return // a repeat scan that changed nothing on the dashboard, say
	}
	t.Remove(a.ID)
	t.people[a.ID] = tallyOf(a)
	t.count(a, 1)
}

// Remove takes a person out (deleted from the roster); unknown ids are ignored.
func (t *Tally) Remove(id string) {
	if old, ok := t.people[id]; ok {
		t.count(old.attendee(id), -1)
		delete(t.people, id)
	}
}

// count adds (by=1) or takes away (by=-1) one person's part of every figure.
func (t *Tally) count(a Attendee, by int) {
	role := knownRole(a.Role)
	t.expected[role] += by
	t.total.Expected += by
	t.total.Scans += by * a.Scans
	if a.At == "" {
		return
	}
	t.arrived[role] += by
	t.total.Arrived += by
	if a.WalkIn {
		t.total.WalkIns += by
	}
	t.total.Repeats += by * a.Repeats
	if q, ok := quarterOf(a.At); ok {
		bump(t.quarters, q, by)
	}
	bump(t.desks, a.Desk, by)
	// recent is ordered earliest first, so the day's arrivals land at its
	// end and moving them costs little.
	key := arrivalKeyOf(a)
	i, found := slices.BinarySearchFunc(t.recent, key, func(x, y arrivalKey) int {
		switch {
		case x == y:
			return 0
		case y.later(x):
			return -1
		}
		return 1
	})
	if by > 0 && !found {
		t.recent = slices.Insert(t.recent, i, key)
	} else if by < 0 && found {
		t.recent = slices.Delete(t.recent, i, i+1)
	}
}

func bump(m map[string]int, key string, by int) {
	if m[key] += by; m[key] == 0 {
		delete(m, key)
	}
}

// knownRole folds a role this build does not know into "": it counts as unclassified.
func knownRole(r model.Role) model.Role {
	if slices.Contains(model.Roles, r) {
		return r
	}
	return ""
}

// Dashboard is the tally's picture, equal to Arrivals over the same people.
func (t *Tally) Dashboard(updated string) Dashboard {
	d := t.total
	d.Updated = updated
	d.ByRole = []RoleArrival{}
	for _, r := range append(append([]model.Role{}, model.Roles...), "") {
		if n := t.expected[r]; n > 0 {
			d.ByRole = append(d.ByRole, RoleArrival{Role: string(r), Label: roleLabel(r), Expected: n, Arrived: t.arrived[r]})
		}
	}
	d.ByQuarter = SortedBuckets(t.quarters)
	d.ByDesk = SortedBuckets(t.desks)
	d.Recent = []RecentArrival{}
	for i := len(t.recent) - 1; i >= 0 && len(d.Recent) < RecentShown; i-- {
		p := t.people[t.recent[i].id].attendee("")
		d.Recent = append(d.Recent, RecentArrival{Name: p.Name, Org: p.Org, At: p.At, Desk: p.Desk})
	}
	return d
}

// Len is how many people the tally holds.
func (t *Tally) Len() int { return len(t.people) }
