package app

import (
	"math/rand"
	"reflect"
	"testing"
	"time"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/model/msg"
)

// TestRequestBookFollowsTheFile creates, declines, accepts and re-asks at
// random and holds the book equal to what the file says, and Create's
// answers to what a reading of every request would give.
func TestRequestBookFollowsTheFile(t *testing.T) {
	svc, smes, unis := matchFixture(t)
	svc.Match.SetupSession(SessionInput{Start: "2026-05-20 14:00", SlotMinutes: 20, Slots: 3, Tables: 2, RequestCap: 3})
	people := append(append([]model.Participant{}, smes...), unis...)
	r := rand.New(rand.NewSource(5))
	var made []string
	for step := 0; step < 300; step++ {
		from, to := people[r.Intn(len(people))].ID, people[r.Intn(len(people))].ID
		if r.Intn(3) == 0 && len(made) > 0 {
			status := []model.RequestStatus{model.RequestAccepted, model.RequestDeclined, model.RequestRequested}[r.Intn(3)]
			if err := svc.Request.SetStatus(made[r.Intn(len(made))], status); err != nil && !sayRequestExpired.Is(err) {
				t.Fatal(err)
			}
			continue
		}
		all, _ := svc.Request.byID()
		wantErr := ""
		sent := 0
		for _, q := range all {
			if q.Status.Open() && q.From == from {
				sent++
				if q.To == to {
					wantErr = sayRequestExists.Code
				}
			}
		}
		switch {
		case from == to:
			wantErr = saySelfRequest.Code
		case wantErr != "":
		case sent >= 3:
			wantErr = sayRequestCapOwn.Code
		}
		got, err := svc.Request.Create(from, to, "want", "", false)
		code := ""
		if err != nil {
			code = msg.Of(err).Code
		}
		if code != wantErr {
			t.Fatalf("step %d: %s→%s answered %q (%v), a full reading says %q", step, from, to, code, err, wantErr)
		}
		if err == nil {
			made = append(made, got.ID)
		}
	}
	// The book, as loaded from the file when the event opens, is the one kept.
	ws := svc.Request.ws
	st, _ := ws.Store()
	fresh, err := loadRequests(st)
	if err != nil {
		t.Fatal(err)
	}
	kept, _ := ws.requestBook()
	if !reflect.DeepEqual(fresh.open, kept.open) || len(fresh.byID) != len(kept.byID) || len(made) < 20 {
		t.Fatalf("kept book %v differs from the file's %v (%d made)", kept.open, fresh.open, len(made))
	}
}

// BenchmarkRequestCreation creates 2,000 requests one by one among 3,000
// people and compares the last hundred with the first hundred of the same
// run: a flat cost gives a ratio near 1 (it was 12–20 before the book).
func BenchmarkRequestCreation(b *testing.B) {
	for range b.N {
		b.StopTimer()
		svc, _, ppl := seedEvent(b, 3000)
		b.StartTimer()
		var lat []time.Duration
		for i := range 2000 {
			t0 := time.Now()
			if _, err := svc.Request.Create(ppl[i].ID, ppl[(i*7+1)%len(ppl)].ID, "want", "", true); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t0))
		}
		first, last := percentile(lat[:100], 0.5), percentile(lat[len(lat)-100:], 0.5)
		b.ReportMetric(float64(first.Microseconds()), "first100-p50-µs")
		b.ReportMetric(float64(last.Microseconds()), "last100-p50-µs")
		b.ReportMetric(float64(last)/float64(first), "x-first")
	}
}
