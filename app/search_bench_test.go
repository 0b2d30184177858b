package app

import (
	"fmt"
	"testing"
	"time"

	"github.com/fuzhi/eventdesk/model"
)

// BenchmarkSearchAfterEdit200k: the desk searches right after someone's
// record changed (a walk-in, a corrected name), at 200,000 people (20,000
// with -short). Each round edits one person, then times the search that
// finds them by their new name; the same run times a search with no change
// before it, the floor, and one full index build, what every change cost
// before the index was incremental.
func BenchmarkSearchAfterEdit200k(b *testing.B) {
	svc, ws, ppl := searchFixture(b)
	roster := ws.roster
	var after, steady []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := ppl[(i*7919)%len(ppl)]
		p.Name = fmt.Sprintf("改名%d", i)
		b.StopTimer()
		if _, err := svc.Roster.Save(p); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0 := time.Now()
		hits, err := svc.Checkin.Search(p.Name, 20)
		after = append(after, time.Since(t0))
		if err != nil || len(hits) != 1 || hits[0].Participant.ID != p.ID {
			b.Fatalf("the edited person is not found by the new name: %v %+v", err, hits)
		}
		t0 = time.Now()
		if _, err := svc.Checkin.Search(ppl[(i*31)%len(ppl)].Name, 20); err != nil {
			b.Fatal(err)
		}
		steady = append(steady, time.Since(t0))
	}
	b.StopTimer()
	all := roster.all()
	people := make([]*model.Participant, len(all))
	for i, e := range all {
		people[i] = e.p
	}
	t0 := time.Now()
	buildSearchIndex(people)
	rebuild := time.Since(t0)
	b.ReportMetric(float64(percentile(after, 0.5).Microseconds()), "after-edit-p50-µs")
	b.ReportMetric(float64(percentile(after, 0.99).Microseconds()), "after-edit-p99-µs")
	b.ReportMetric(float64(percentile(steady, 0.99).Microseconds()), "floor-p99-µs")
	b.ReportMetric(float64(percentile(after, 0.99))/float64(percentile(steady, 0.99)), "p99-ratio")
	b.ReportMetric(float64(rebuild.Microseconds()), "full-rebuild-µs")
}

// BenchmarkSearchOneCharacter200k: "1" or "l" typed into the desk's box
// (every mobile starts with 1), against an exact name search of the same
// run as the floor.
func BenchmarkSearchOneCharacter200k(b *testing.B) {
	svc, _, ppl := searchFixture(b)
	var one, floor []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if hits, err := svc.Checkin.Search([]string{"1", "l", "w", "z"}[i%4], 20); err != nil || len(hits) == 0 {
			b.Fatalf("%v %d", err, len(hits))
		}
		one = append(one, time.Since(t0))
		t0 = time.Now()
		if _, err := svc.Checkin.Search(ppl[(i*31)%len(ppl)].Mobile, 20); err != nil {
			b.Fatal(err)
		}
		floor = append(floor, time.Since(t0))
	}
	b.StopTimer()
	b.ReportMetric(float64(percentile(one, 0.99).Microseconds()), "one-char-p99-µs")
	b.ReportMetric(float64(percentile(floor, 0.99).Microseconds()), "floor-p99-µs")
	b.ReportMetric(float64(percentile(one, 0.99))/float64(percentile(floor, 0.99)), "p99-ratio")
}

// searchFixture is an event of 200,000 people (20,000 with -short),
// generated at test time, with its index built.
func searchFixture(b *testing.B) (*Services, *Workspace, []model.Participant) {
	n := 200_000
	if testing.Short() {
		n = 20_000
	}
	svc, ws, ppl := seedEvent(b, n)
	svc.Checkin.Search("warm", 1)
	return svc, ws, ppl
}
