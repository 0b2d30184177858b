package schedule

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/fuzhi/eventdesk/internal/memtest"
)

// BenchmarkSchedule reports weight ÷ proved optimum (CBC, committed with
// each fixture) at several time budgets: the ratio–time curve. Greedy is
// the ratio before any search. Run with -benchtime 1x.
func BenchmarkSchedule(b *testing.B) {
	for _, name := range []string{"schedule-small-1", "schedule-small-2", "gen-300", "gen-2000"} {
		if _, err := os.Stat(filepath.Join("testdata", name+".optimum.json")); err != nil {
			continue
		}
		in := load(b, name+".json")
		opt := float64(optimum(b, name+".optimum.json"))
		budgets := []time.Duration{250 * time.Millisecond, time.Second, 3 * time.Second}
		for _, budget := range budgets {
			b.Run(fmt.Sprintf("%s/%v", name, budget), func(b *testing.B) {
				var ratio, greedy, bound, gap, over float64
				for i := 0; i < b.N; i++ {
					out, st, err := Solve(context.Background(), in, Options{Seed: 1, Budget: budget})
					if err != nil {
						b.Fatal(err)
					}
					if err := Verify(in, out); err != nil {
						b.Fatal(err)
					}
					ratio, greedy = float64(out.Weight)/opt, float64(st.GreedyWeight)/opt
					bound, gap = float64(st.UpperBound)/opt, st.Gap
					over = st.Seconds / budget.Seconds()
					if st.UpperBound < int(opt) {
						b.Fatalf("the proved bound %d is below the optimum %d", st.UpperBound, int(opt))
					}
				}
				b.ReportMetric(ratio, "ratio")
				b.ReportMetric(greedy, "greedy-ratio")
				b.ReportMetric(bound, "bound÷optimum")
				b.ReportMetric(gap*100, "gap-%")
				b.ReportMetric(over, "time÷budget")
			})
		}
	}
}

// BenchmarkScheduleLarge10k is a 10,000-person session with 50,000
// accepted requests (20 slots, 1,500 tables) in a 10-second budget
// (skipped with -short). No exact optimum is known at this size, so the
// weight is reported against the bound the scheduler proved in the same
// run (which is at least the LP bound), with the time against the budget
// and the peak heap.
func BenchmarkScheduleLarge10k(b *testing.B) {
	if testing.Short() {
		b.Skip("a 10-second search")
	}
	in := Generate(GenerateOptions{Seed: 5, Participants: 10_000, Requests: 50_000, Slots: 20, Tables: 1_500, MaxMeetings: 6, CappedShare: 0.5})
	for i := 0; i < b.N; i++ {
		var out *Schedule
		var st *Stats
		var err error
		peak := memtest.PeakHeap(func() { out, st, err = Solve(context.Background(), in, Options{Seed: 1, Budget: 10 * time.Second}) })
		if err != nil {
			b.Fatal(err)
		}
		if err := Verify(in, out); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(out.Weight)/float64(st.UpperBound), "weight÷bound")
		b.ReportMetric(float64(st.GreedyWeight)/float64(st.UpperBound), "greedy÷bound")
		b.ReportMetric(st.Seconds/10, "time÷budget")
		b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
	}
}
