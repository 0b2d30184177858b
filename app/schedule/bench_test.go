package schedule

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
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
				var ratio, greedy float64
				for i := 0; i < b.N; i++ {
					out, st, err := Solve(context.Background(), in, Options{Seed: 1, Iterations: 1 << 30, Budget: budget})
					if err != nil {
						b.Fatal(err)
					}
					if err := Verify(in, out); err != nil {
						b.Fatal(err)
					}
					ratio, greedy = float64(out.Weight)/opt, float64(st.GreedyWeight)/opt
				}
				b.ReportMetric(ratio, "ratio")
				b.ReportMetric(greedy, "greedy-ratio")
			})
		}
	}
}
