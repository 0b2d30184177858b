package schedule

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// tiny makes a random instance small enough to solve by enumeration.
func tiny(r *rand.Rand) *Instance {
	in := &Instance{}
	nS, nT, nP := 2+r.Intn(2), 1+r.Intn(3), 3+r.Intn(4)
	for s := 0; s < nS; s++ {
		in.Slots = append(in.Slots, Slot{ID: fmt.Sprintf("S%d", s)})
	}
	for t := 0; t < nT; t++ {
		in.Tables = append(in.Tables, Table{ID: fmt.Sprintf("T%d", t)})
	}
	fixedUsed := map[int]bool{}
	for p := 0; p < nP; p++ {
		pt := Participant{ID: fmt.Sprintf("P%d", p)}
		if r.Intn(3) == 0 {
			pt.Blocked = []string{in.Slots[r.Intn(nS)].ID}
		}
		if r.Intn(3) == 0 {
			pt.MaxMeetings = 1 + r.Intn(2)
		}
		if t := r.Intn(nT); r.Intn(5) == 0 && !fixedUsed[t] {
			fixedUsed[t] = true
			pt.FixedTable = in.Tables[t].ID
		}
		in.Participants = append(in.Participants, pt)
	}
	nR := 2 + r.Intn(6)
	for i := 0; i < nR; i++ {
		a, b := r.Intn(nP), r.Intn(nP)
		if a == b {
			b = (a + 1) % nP
		}
		in.Requests = append(in.Requests, Request{ID: fmt.Sprintf("R%d", i), From: in.Participants[a].ID, To: in.Participants[b].ID, Weight: 1 + r.Intn(3)})
	}
	return in
}

// bruteForce tries every assignment of requests to slots (or none); tables
// are checked through Verify after a table assignment by the indexed form.
func bruteForce(t *testing.T, in *Instance) int {
	m, err := newModel(in)
	if err != nil {
		t.Fatal(err)
	}
	best := -1
	slot := make([]int32, m.nR)
	var rec func(i int)
	rec = func(i int) {
		if i == m.nR {
			if !feasible(m, slot) {
				return
			}
			w := 0
			for r, s := range slot {
				if s >= 0 {
					w += int(m.w[r])
				}
			}
			if w > best {
				best = w
			}
			return
		}
		if m.lockedSlot[i] >= 0 {
			slot[i] = m.lockedSlot[i]
			rec(i + 1)
			return
		}
		for s := int32(-1); s < int32(m.nS); s++ {
			slot[i] = s
			rec(i + 1)
		}
	}
	rec(0)
	return best
}

func feasible(m *indexed, slot []int32) bool {
	meetings, err := m.tablesFor(slot)
	if err != nil {
		return false
	}
	w := 0
	for r, s := range slot {
		if s >= 0 {
			w += int(m.w[r])
		}
	}
	return Verify(m.in, &Schedule{Meetings: meetings, Weight: w}) == nil
}

func TestMatchesBruteForceOnRandomSmallInstances(t *testing.T) {
	r := rand.New(rand.NewSource(2026))
	checked, positive, tight := 0, 0, 0.0
	for i := 0; i < 500; i++ {
		in := tiny(r)
		if _, err := newModel(in); err != nil {
			continue
		}
		want := bruteForce(t, in)
		out, stats, err := Solve(context.Background(), in, Options{Seed: int64(i), Iterations: 3000})
		if err != nil {
			t.Fatal(err)
		}
		// The bound is proved: never below the optimum, whether the search
		// cut it short or it ran until it could lower it no more.
		if stats.UpperBound < want {
			t.Fatalf("instance %d: the bound %d is below the optimum %d\n%+v", i, stats.UpperBound, want, in)
		}
		m, _ := newModel(in)
		var none, full atomic.Int64
		newBoundSearch(m).run(context.Background(), time.Time{}, &none, &full)
		if full.Load() < int64(want) {
			t.Fatalf("instance %d: the bound run to the end, %d, is below the optimum %d\n%+v", i, full.Load(), want, in)
		}
		if stats.Optimal != (out.Weight == stats.UpperBound) || stats.Gap < 0 {
			t.Fatalf("instance %d: optimal %v, gap %v for weight %d of bound %d", i, stats.Optimal, stats.Gap, out.Weight, stats.UpperBound)
		}
		if want > 0 {
			tight += float64(full.Load()) / float64(want)
			positive++
		}
		if err := Verify(in, out); err != nil {
			t.Fatalf("instance %d breaks a rule: %v\n%+v\n%+v", i, err, in, out)
		}
		if out.Weight != want {
			t.Fatalf("instance %d: weight %d, brute force finds %d\n%+v", i, out.Weight, want, in)
		}
		checked++
	}
	if checked < 300 {
		t.Fatalf("only %d instances checked", checked)
	}
	t.Logf("the bound is on average %.3f× the optimum", tight/float64(max(1, positive)))
}

func TestSameSeedSameSchedule(t *testing.T) {
	in := Generate(GenerateOptions{Seed: 3, Participants: 120, Requests: 500, Slots: 10, Tables: 20, MaxMeetings: 4, CappedShare: 0.5, FixedTables: 5})
	a, _, err := Solve(context.Background(), in, Options{Seed: 9, Iterations: 800})
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := Solve(context.Background(), in, Options{Seed: 9, Iterations: 800})
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same input and seed gave different schedules")
	}
	if err := Verify(in, a); err != nil {
		t.Fatal(err)
	}
}

func TestLockedAndFixedStayPut(t *testing.T) {
	in := Generate(GenerateOptions{Seed: 5, Participants: 80, Requests: 300, Slots: 8, Tables: 12, FixedTables: 4})
	// Lock two meetings: one of a fixed-table person at their table, one on a free table.
	var fixedReq, freeReq string
	for _, rq := range in.Requests {
		fa, fb := in.Participants[idx(rq.From)].FixedTable, in.Participants[idx(rq.To)].FixedTable
		if fixedReq == "" && fa != "" && fb == "" {
			fixedReq = rq.ID
			in.Locked = append(in.Locked, Meeting{Request: rq.ID, Slot: free(in, rq), Table: fa})
		} else if freeReq == "" && fa == "" && fb == "" {
			freeReq = rq.ID
			in.Locked = append(in.Locked, Meeting{Request: rq.ID, Slot: free(in, rq), Table: "T012"})
		}
	}
	out, _, err := Solve(context.Background(), in, Options{Seed: 1, Iterations: 500})
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(in, out); err != nil {
		t.Fatal(err)
	}
}

func idx(id string) int {
	var n int
	fmt.Sscanf(id, "P%d", &n)
	return n - 1
}

func free(in *Instance, rq Request) string {
	for _, s := range in.Slots {
		ok := true
		for _, p := range []string{rq.From, rq.To} {
			for _, b := range in.Participants[idx(p)].Blocked {
				if b == s.ID {
					ok = false
				}
			}
		}
		if ok {
			return s.ID
		}
	}
	return in.Slots[0].ID
}

func TestVerifyCatchesEveryBrokenRule(t *testing.T) {
	in := &Instance{
		Slots:        []Slot{{ID: "S1"}, {ID: "S2"}},
		Tables:       []Table{{ID: "T1"}, {ID: "T2"}},
		Participants: []Participant{{ID: "A", Blocked: []string{"S2"}}, {ID: "B", MaxMeetings: 1}, {ID: "C", FixedTable: "T2"}, {ID: "D"}},
		Requests:     []Request{{ID: "R1", From: "A", To: "B", Weight: 3}, {ID: "R2", From: "C", To: "D", Weight: 2}, {ID: "R3", From: "B", To: "D", Weight: 1}},
		Locked:       []Meeting{{Request: "R2", Slot: "S1", Table: "T2"}},
	}
	good := &Schedule{Meetings: []Meeting{{"R1", "S1", "T1"}, {"R2", "S1", "T2"}}, Weight: 5}
	if err := Verify(in, good); err != nil {
		t.Fatalf("valid schedule refused: %v", err)
	}
	broken := map[string]*Schedule{
		"held twice":      {Meetings: []Meeting{{"R1", "S1", "T1"}, {"R1", "S1", "T1"}, {"R2", "S1", "T2"}}, Weight: 8},
		"blocked":         {Meetings: []Meeting{{"R1", "S2", "T1"}, {"R2", "S1", "T2"}}, Weight: 5},
		"double booked":   {Meetings: []Meeting{{"R1", "S1", "T1"}, {"R3", "S1", "T1"}, {"R2", "S1", "T2"}}, Weight: 6},
		"max meetings":    {Meetings: []Meeting{{"R1", "S1", "T1"}, {"R2", "S1", "T2"}, {"R3", "S2", "T1"}}, Weight: 6},
		"fixed table":     {Meetings: []Meeting{{"R1", "S1", "T1"}, {"R2", "S1", "T1"}}, Weight: 5},
		"other at fixed":  {Meetings: []Meeting{{"R1", "S1", "T2"}, {"R2", "S2", "T2"}}, Weight: 5},
		"locked moved":    {Meetings: []Meeting{{"R1", "S1", "T1"}, {"R2", "S2", "T2"}}, Weight: 5},
		"weight mismatch": {Meetings: []Meeting{{"R1", "S1", "T1"}, {"R2", "S1", "T2"}}, Weight: 6},
		"unknown table":   {Meetings: []Meeting{{"R1", "S1", "T9"}, {"R2", "S1", "T2"}}, Weight: 5},
	}
	for name, s := range broken {
		if err := Verify(in, s); err == nil {
			t.Errorf("%s: not caught", name)
		}
	}
}

func TestBadInputNamesTheItem(t *testing.T) {
	base := func() *Instance {
		return &Instance{
			Slots: []Slot{{ID: "S1"}, {ID: "S2"}}, Tables: []Table{{ID: "T1"}},
			Participants: []Participant{{ID: "A"}, {ID: "B"}, {ID: "C"}},
			Requests:     []Request{{ID: "R1", From: "A", To: "B", Weight: 2}},
		}
	}
	cases := []struct {
		name  string
		edit  func(*Instance)
		names string
	}{
		{"unknown person", func(in *Instance) { in.Requests[0].To = "Z" }, `request "R1"`},
		{"unknown blocked slot", func(in *Instance) { in.Participants[0].Blocked = []string{"S9"} }, `participant "A"`},
		{"table fixed twice", func(in *Instance) {
			in.Participants[0].FixedTable, in.Participants[1].FixedTable = "T1", "T1"
		}, `table "T1"`},
		{"locked in a blocked slot", func(in *Instance) {
			in.Participants[0].Blocked = []string{"S1"}
			in.Locked = []Meeting{{"R1", "S1", "T1"}}
		}, `locked meeting of request "R1"`},
		{"locked at someone's fixed table", func(in *Instance) {
			in.Participants[2].FixedTable = "T1"
			in.Locked = []Meeting{{"R1", "S1", "T1"}}
		}, `locked meeting of request "R1"`},
		{"two locked at one table", func(in *Instance) {
			in.Requests = append(in.Requests, Request{ID: "R2", From: "C", To: "B", Weight: 1})
			in.Locked = []Meeting{{"R1", "S1", "T1"}, {"R2", "S1", "T1"}}
		}, `request "R2"`},
		{"duplicate request id", func(in *Instance) { in.Requests = append(in.Requests, in.Requests[0]) }, `request "R1"`},
		{"zero weight", func(in *Instance) { in.Requests[0].Weight = 0 }, `request "R1"`},
		// 2^31 would wrap to a negative weight in the solver's int32.
		{"weight past the limit", func(in *Instance) { in.Requests[0].Weight = 1 << 31 }, `request "R1"`},
	}
	for _, c := range cases {
		in := base()
		c.edit(in)
		_, _, err := Solve(context.Background(), in, Options{Iterations: 10})
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.names) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
