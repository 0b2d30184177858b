package schedule

import (
	"fmt"
	"math/rand"
	"time"
)

// GenerateOptions shape a synthetic session like the ones organizers run:
// some people blocked in a few slots (their roadshow talk, arriving late),
// some with a cap on meetings, some exhibitors at fixed tables.
type GenerateOptions struct {
	Seed         int64
	Participants int
	Requests     int
	Slots        int
	Tables       int
	MaxMeetings  int     // cap for capped people; 0 = nobody capped
	CappedShare  float64 // share of people with the cap
	FixedTables  int     // how many people meet at their own table
}

// Generate makes a reproducible instance for tests and benchmarks.
func Generate(o GenerateOptions) *Instance {
	r := rand.New(rand.NewSource(o.Seed))
	in := &Instance{}
	start := time.Date(2026, 5, 20, 14, 0, 0, 0, time.FixedZone("CST", 8*3600))
	for s := 0; s < o.Slots; s++ {
		in.Slots = append(in.Slots, Slot{ID: fmt.Sprintf("S%02d", s+1), Start: start.Add(time.Duration(s*20) * time.Minute).Format(time.RFC3339), Minutes: 20})
	}
	for t := 0; t < o.Tables; t++ {
		in.Tables = append(in.Tables, Table{ID: fmt.Sprintf("T%03d", t+1)})
	}
	for p := 0; p < o.Participants; p++ {
		pt := Participant{ID: fmt.Sprintf("P%04d", p+1)}
		for b := 0; b < 4; b++ {
			if r.Float64() < 0.4 {
				s := r.Intn(o.Slots)
				pt.Blocked = append(pt.Blocked, in.Slots[s].ID)
			}
		}
		pt.Blocked = dedup(pt.Blocked)
		if o.MaxMeetings > 0 && r.Float64() < o.CappedShare {
			pt.MaxMeetings = o.MaxMeetings
		}
		if p < o.FixedTables && p < o.Tables {
			pt.FixedTable = in.Tables[p].ID
		}
		in.Participants = append(in.Participants, pt)
	}
	// A few popular people get many requests, as real sessions do.
	pick := func() int {
		if r.Float64() < 0.3 {
			return r.Intn(max(1, o.Participants/10))
		}
		return r.Intn(o.Participants)
	}
	seen := map[[2]int]bool{}
	for len(in.Requests) < o.Requests {
		a, b := pick(), pick()
		if a == b || seen[[2]int{a, b}] || seen[[2]int{b, a}] {
			continue
		}
		seen[[2]int{a, b}] = true
		in.Requests = append(in.Requests, Request{ID: fmt.Sprintf("R%05d", len(in.Requests)+1),
			From: in.Participants[a].ID, To: in.Participants[b].ID, Weight: 1 + r.Intn(3)})
	}
	return in
}

func dedup(s []string) []string {
	seen := map[string]bool{}
	out := s[:0]
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
