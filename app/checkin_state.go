package app

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	"github.com/fuzhi/eventdesk/app/figures"
	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
)

type scanRec struct {
	ID  string
	HLC uint64
	model.Scan
}

// checkinState is the derived check-in picture, kept in memory for the desk.
type checkinState struct {
	// desk serialises the check-ins of this machine, so two desks on one hub
	// cannot both be told "welcome" for the same person. It is held across
	// the store write; data is not, because the commit hook that records
	// the scan takes data.
	desk sync.Mutex
	// data guards scans and undone: written by the commit hook, read by the
	// desk, the search and the dashboard.
	data   sync.RWMutex
	scans  map[string][]scanRec // participant -> scans in clock order
	owner  map[string]string    // scan op id -> participant
	undone map[string]bool      // scan op ids taken back

	// tally is the dashboard, kept by the commit hook (retally) so that a
	// projector's refresh reads counters instead of walking everyone
	// under data while the desks wait. Lock order: tallyMu, data, roster.
	tallyMu sync.Mutex
	tally   *figures.Tally
}

// record adds a committed scan (once: a replayed op changes nothing).
func (c *checkinState) record(pid string, r scanRec) {
	c.data.Lock()
	defer c.data.Unlock()
	if !c.has(pid, r.ID) {
		c.add(pid, r)
	}
}

// undo marks a committed undo and says whose scan it took back ("" when
// the scan is not known here).
func (c *checkinState) undo(scanID string) string {
	c.data.Lock()
	defer c.data.Unlock()
	c.undone[scanID] = true
	return c.owner[scanID]
}

// retally brings the dashboard's tally up to date for people whose roster
// entry or scans changed; a person no longer in the roster leaves it.
func (c *checkinState) retally(roster *rosterCache, ids []string) {
	if len(ids) == 0 {
		return
	}
	slices.Sort(ids) // a batch of scans names the same people many times
	ids = slices.Compact(ids)
	c.tallyMu.Lock()
	defer c.tallyMu.Unlock()
	c.data.RLock()
	defer c.data.RUnlock()
	roster.mu.RLock()
	defer roster.mu.RUnlock()
	for _, id := range ids {
		p, ok := roster.byID[id]
		if !ok {
			c.tally.Remove(id)
			continue
		}
		c.tally.Set(c.attendee(p))
	}
}

// attendee is a person as the dashboard counts them; the caller holds data.
func (c *checkinState) attendee(p *model.Participant) figures.Attendee {
	a := figures.Attendee{ID: p.ID, Role: p.Role, Name: p.Name, Org: p.Org, WalkIn: p.Source == "walkin", Scans: len(c.scans[p.ID])}
	if f, repeats := c.arrival(p.ID); f != nil {
		a.At, a.Desk, a.Repeats = f.At, f.Desk, repeats
	}
	return a
}

// dashboard is the tally's picture.
func (c *checkinState) dashboard(updated string) figures.Dashboard {
	c.tallyMu.Lock()
	defer c.tallyMu.Unlock()
	return c.tally.Dashboard(updated)
}

func loadCheckins(s *store.Store) (*checkinState, error) {
	c := &checkinState{scans: map[string][]scanRec{}, owner: map[string]string{}, undone: map[string]bool{}, tally: figures.NewTally()}
	err := store.Scans.Each(s, "", func(e store.Entry, sc model.Scan) error {
		c.scans[e.Entity] = append(c.scans[e.Entity], scanRec{ID: e.OpID, HLC: e.HLC, Scan: sc})
		c.owner[e.OpID] = e.Entity
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = store.ScanUndos.Each(s, "", func(_ store.Entry, u model.ScanUndo) error {
		c.undone[u.Scan] = true
		return nil
	})
	return c, err
}

func (c *checkinState) add(pid string, r scanRec) {
	c.owner[r.ID] = pid
	list := c.scans[pid]
	// Scans mostly arrive in clock order, so this lands at the end.
	i, _ := slices.BinarySearchFunc(list, r, func(a, b scanRec) int {
		if a.HLC != b.HLC {
			return cmp.Compare(a.HLC, b.HLC)
		}
		return strings.Compare(a.ID, b.ID) // the same order on every replica
	})
	c.scans[pid] = slices.Insert(list, i, r)
}

// first is the scan that counts as the check-in, or nil.
// arrival is a person's first scan that counts and how many more still
// count after it (repeat scans); nil if they have not arrived.
func (c *checkinState) arrival(pid string) (*scanRec, int) {
	f := c.first(pid)
	if f == nil {
		return nil, 0
	}
	repeats := 0
	for _, r := range c.scans[pid] {
		if r.ID != f.ID && !c.undone[r.ID] {
			repeats++
		}
	}
	return f, repeats
}

func (c *checkinState) first(pid string) *scanRec {
	for i := range c.scans[pid] {
		if !c.undone[c.scans[pid][i].ID] {
			r := c.scans[pid][i]
			return &r
		}
	}
	return nil
}

// lastAtDesk is the most recent check-in made at a desk that still counts:
// undoing a repeat scan would change nothing, so "undo the last check-in"
// means the last person this desk let in.
func (c *checkinState) lastAtDesk(desk string) (string, *scanRec) {
	var best *scanRec
	var who string
	for pid := range c.scans {
		f := c.first(pid)
		if f != nil && f.Desk == desk && (best == nil || f.HLC > best.HLC) {
			best, who = f, pid
		}
	}
	return who, best
}

func (c *checkinState) has(pid, scanID string) bool {
	owner, ok := c.owner[scanID]
	return ok && owner == pid
}
