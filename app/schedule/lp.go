package schedule

import (
	"bufio"
	"fmt"
	"io"
)

// WriteLP writes the time-indexed 0/1 model of an instance in CPLEX LP
// format, for checking the scheduler against an exact solver such as
// COIN-OR CBC (`cbc model.lp solve`): one variable per request and slot
// where both people are free, at most one slot per request, one meeting
// per person and slot, max_meetings per person, and per slot no more
// meetings on free tables than there are free tables. Fixed tables need no
// constraint of their own (their owner is in one meeting per slot), and
// locked meetings are fixed to 1.
func WriteLP(w io.Writer, in *Instance) error {
	m, err := newModel(in)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	v := func(r, s int) string { return fmt.Sprintf("x_%d_%d", r, s) }
	ok := func(r, s int) bool {
		if !m.eligible[r] && m.lockedSlot[r] < 0 {
			return false
		}
		if m.lockedSlot[r] >= 0 {
			return int(m.lockedSlot[r]) == s
		}
		return !m.blocked[m.a[r]][s] && !m.blocked[m.b[r]][s]
	}
	fmt.Fprintln(bw, "Maximize")
	fmt.Fprint(bw, " weight:")
	n := 0
	for r := 0; r < m.nR; r++ {
		for s := 0; s < m.nS; s++ {
			if ok(r, s) {
				fmt.Fprintf(bw, " + %d %s", m.w[r], v(r, s))
				if n++; n%8 == 0 {
					fmt.Fprint(bw, "\n ")
				}
			}
		}
	}
	fmt.Fprintln(bw, "\nSubject To")
	for r := 0; r < m.nR; r++ {
		line := ""
		for s := 0; s < m.nS; s++ {
			if ok(r, s) {
				line += " + " + v(r, s)
			}
		}
		if line != "" {
			fmt.Fprintf(bw, " once_%d:%s <= 1\n", r, line)
		}
	}
	byPerson := make([][]int, m.nP)
	for r := 0; r < m.nR; r++ {
		byPerson[m.a[r]] = append(byPerson[m.a[r]], r)
		byPerson[m.b[r]] = append(byPerson[m.b[r]], r)
	}
	for p := 0; p < m.nP; p++ {
		all := ""
		for s := 0; s < m.nS; s++ {
			line := ""
			for _, r := range byPerson[p] {
				if ok(r, s) {
					line += " + " + v(r, s)
					all += " + " + v(r, s)
				}
			}
			if line != "" {
				fmt.Fprintf(bw, " slot_%d_%d:%s <= 1\n", p, s, line)
			}
		}
		if all != "" && int(m.maxDeg[p]) < m.nS {
			fmt.Fprintf(bw, " cap_%d:%s <= %d\n", p, all, m.maxDeg[p])
		}
	}
	for s := 0; s < m.nS; s++ {
		line := ""
		for r := 0; r < m.nR; r++ {
			if ok(r, s) && m.tableOf(r) < 0 && m.lockedSlot[r] < 0 {
				line += " + " + v(r, s)
			}
		}
		if line != "" {
			fmt.Fprintf(bw, " tables_%d:%s <= %d\n", s, line, m.capacity[s])
		}
	}
	for r := 0; r < m.nR; r++ {
		if m.lockedSlot[r] >= 0 {
			fmt.Fprintf(bw, " locked_%d: %s = 1\n", r, v(r, int(m.lockedSlot[r])))
		}
	}
	fmt.Fprintln(bw, "Binary")
	for r := 0; r < m.nR; r++ {
		for s := 0; s < m.nS; s++ {
			if ok(r, s) {
				fmt.Fprintln(bw, " "+v(r, s))
			}
		}
	}
	fmt.Fprintln(bw, "End")
	return bw.Flush()
}
