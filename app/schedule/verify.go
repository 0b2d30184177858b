package schedule

import "fmt"

// Verify checks a schedule against every rule of the contract, written
// independently of the solver (plain maps, no shared state) so that a
// solver bug cannot hide behind its own bookkeeping. It returns the first
// broken rule, naming the items involved.
func Verify(in *Instance, out *Schedule) error {
	slots := map[string]bool{}
	for _, s := range in.Slots {
		slots[s.ID] = true
	}
	tables := map[string]bool{}
	for _, t := range in.Tables {
		tables[t.ID] = true
	}
	people := map[string]Participant{}
	for _, p := range in.Participants {
		people[p.ID] = p
	}
	requests := map[string]Request{}
	for _, r := range in.Requests {
		requests[r.ID] = r
	}
	held := map[string]Meeting{}
	inSlot := map[[2]string]string{}  // person, slot -> request
	atTable := map[[2]string]string{} // table, slot -> request
	count := map[string]int{}
	weight := 0
	for _, mt := range out.Meetings {
		r, ok := requests[mt.Request]
		if !ok {
			return fmt.Errorf("meeting of unknown request %q", mt.Request)
		}
		if _, twice := held[mt.Request]; twice {
			return fmt.Errorf("request %q is held twice", mt.Request)
		}
		held[mt.Request] = mt
		if !slots[mt.Slot] {
			return fmt.Errorf("request %q: unknown slot %q", mt.Request, mt.Slot)
		}
		if !tables[mt.Table] {
			return fmt.Errorf("request %q: unknown table %q", mt.Request, mt.Table)
		}
		if other, clash := atTable[[2]string{mt.Table, mt.Slot}]; clash {
			return fmt.Errorf("table %q holds %q and %q in slot %q", mt.Table, other, mt.Request, mt.Slot)
		}
		atTable[[2]string{mt.Table, mt.Slot}] = mt.Request
		for _, pid := range []string{r.From, r.To} {
			p := people[pid]
			for _, b := range p.Blocked {
				if b == mt.Slot {
					return fmt.Errorf("request %q: %q is blocked in slot %q", mt.Request, pid, mt.Slot)
				}
			}
			if other, clash := inSlot[[2]string{pid, mt.Slot}]; clash {
				return fmt.Errorf("%q is in %q and %q in slot %q", pid, other, mt.Request, mt.Slot)
			}
			inSlot[[2]string{pid, mt.Slot}] = mt.Request
			count[pid]++
			if p.MaxMeetings > 0 && count[pid] > p.MaxMeetings {
				return fmt.Errorf("%q has more than max_meetings %d", pid, p.MaxMeetings)
			}
			if p.FixedTable != "" && p.FixedTable != mt.Table {
				return fmt.Errorf("request %q: %q must meet at fixed table %q, not %q", mt.Request, pid, p.FixedTable, mt.Table)
			}
		}
		weight += r.Weight
	}
	for _, p := range in.Participants {
		if p.FixedTable == "" {
			continue
		}
		for _, mt := range out.Meetings {
			r := requests[mt.Request]
			if mt.Table == p.FixedTable && r.From != p.ID && r.To != p.ID {
				return fmt.Errorf("request %q sits at %q, the fixed table of %q", mt.Request, mt.Table, p.ID)
			}
		}
	}
	for _, l := range in.Locked {
		mt, ok := held[l.Request]
		if !ok || mt.Slot != l.Slot || mt.Table != l.Table {
			return fmt.Errorf("locked meeting %q moved or dropped: want %s/%s, got %+v", l.Request, l.Slot, l.Table, mt)
		}
	}
	if weight != out.Weight {
		return fmt.Errorf("weight is %d but the meetings add up to %d", out.Weight, weight)
	}
	return nil
}
