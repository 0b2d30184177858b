package app

import (
	"fmt"
	"math/rand"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/fuzhi/eventdesk/app/figures"
	"github.com/fuzhi/eventdesk/model"
)

// recount is the dashboard worked out from scratch, the way it was before
// the tally: every registered person, their scans and undos.
func recount(ws *Workspace) figures.Dashboard {
	_, roster, _ := ws.open()
	cs := ws.checkins
	cs.data.RLock()
	defer cs.data.RUnlock()
	var people []figures.Attendee
	for _, e := range roster.all() {
		people = append(people, cs.attendee(e.p))
	}
	return figures.Arrivals(people, "")
}

// TestDashboardFollowsEveryKindOfChange drives the desk and the roster at
// random (scans, repeat scans, undos, walk-ins, role changes, deletions)
// and after each step holds the kept dashboard equal to a recount, then
// again after the event is closed and opened.
func TestDashboardFollowsEveryKindOfChange(t *testing.T) {
	svc, ws, _ := newTestServices(t)
	info := createEvent(t, svc)
	r := rand.New(rand.NewSource(3))
	var ids, scans []string
	check := func(step string) {
		t.Helper()
		got, err := svc.Checkin.Dashboard()
		if err != nil {
			t.Fatal(err)
		}
		got.Updated = ""
		if want := recount(ws); !reflect.DeepEqual(*got, want) {
			t.Fatalf("after %s:\nkept    %+v\nrecount %+v", step, *got, want)
		}
	}
	for step := 0; step < 300; step++ {
		switch k := r.Intn(10); {
		case k < 2 || len(ids) == 0:
			p, err := svc.Roster.Save(model.Participant{Name: fmt.Sprintf("参会者%d", step), Org: "青岛大学", Role: model.Roles[r.Intn(len(model.Roles))]})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, p.ID)
			check("a registration")
		case k < 5:
			code, err := svc.Checkin.BadgeCode(ids[r.Intn(len(ids))])
			if err != nil {
				continue // deleted
			}
			a, err := svc.Checkin.Scan(code, fmt.Sprint(r.Intn(3)+1))
			if err != nil {
				t.Fatal(err)
			}
			if a.ScanID != "" {
				scans = append(scans, a.ScanID)
			}
			check("a scan")
		case k < 6 && len(scans) > 0:
			if err := svc.Checkin.Undo(scans[r.Intn(len(scans))]); err != nil {
				t.Fatal(err)
			}
			check("an undo")
		case k < 7:
			if _, err := svc.Checkin.UndoLast(fmt.Sprint(r.Intn(3)+1), ""); err != nil && !sayNoUndo.Is(err) {
				t.Fatal(err)
			}
			check("undoing a desk's last")
		case k < 8:
			res, err := svc.Checkin.WalkIn(model.Participant{Name: fmt.Sprintf("现场%d", step), Org: "某公司", Mobile: fmt.Sprintf("139%08d", step), Role: model.RoleSME}, "2", "a6")
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, res.Participant.ID)
			check("a walk-in")
		case k < 9:
			p, err := svc.Roster.Get(ids[r.Intn(len(ids))])
			if err != nil {
				continue
			}
			p.Role = model.Roles[r.Intn(len(model.Roles))]
			if _, err := svc.Roster.Save(*p); err != nil {
				t.Fatal(err)
			}
			check("a role change")
		default:
			if err := svc.Roster.Delete(ids[r.Intn(len(ids))]); err != nil && !sayNoParticipant.Is(err) {
				t.Fatal(err)
			}
			check("a deletion")
		}
	}
	before, _ := svc.Checkin.Dashboard()
	if before.Arrived == 0 || before.Repeats == 0 || before.WalkIns == 0 {
		t.Fatalf("the random day should have arrivals, repeats and walk-ins: %+v", before)
	}
	if _, err := svc.Event.Open(info.Path); err != nil {
		t.Fatal(err)
	}
	check("reopening")
}

// BenchmarkCheckinUnderDashboards200k: check-ins at 200,000 people (20,000
// with -short) in blocks, alternately with nobody watching and with two
// dashboards refreshing every 100 ms (ten times what a projector does).
// The floor is the quiet blocks of the same run; the reference is the
// recount the dashboard did before it was kept (it held the check-in lock
// for 156 ms at 200k).
func BenchmarkCheckinUnderDashboards200k(b *testing.B) {
	svc, ws, ppl := searchFixture(b)
	codes := make([]string, len(ppl))
	for i, p := range ppl {
		codes[i], _ = svc.Checkin.BadgeCode(p.ID)
	}
	var quiet, watched, dash []time.Duration
	var dashMu sync.Mutex
	next := 0
	scanBlock := func(into *[]time.Duration) {
		for range 50 {
			t0 := time.Now()
			a, err := svc.Checkin.Scan(codes[next%len(codes)], fmt.Sprint(next%3+1))
			*into = append(*into, time.Since(t0))
			next++
			if err != nil || (a.Result != ResultOK && a.Result != ResultDuplicate) {
				b.Fatalf("scan: %v %+v", err, a)
			}
		}
	}
	b.ResetTimer()
	for range b.N {
		for block := range 8 {
			if block%2 == 0 {
				scanBlock(&quiet)
				continue
			}
			stop := make(chan struct{})
			var wg sync.WaitGroup
			for range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					tick := time.NewTicker(100 * time.Millisecond)
					defer tick.Stop()
					for {
						t0 := time.Now()
						if _, err := svc.Checkin.Dashboard(); err != nil {
							b.Error(err)
						}
						dashMu.Lock()
						dash = append(dash, time.Since(t0))
						dashMu.Unlock()
						select {
						case <-stop:
							return
						case <-tick.C:
						}
					}
				}()
			}
			scanBlock(&watched)
			close(stop)
			wg.Wait()
		}
	}
	b.StopTimer()
	t0 := time.Now()
	recount(ws)
	ref := time.Since(t0)
	b.ReportMetric(float64(percentile(watched, 0.99).Microseconds()), "watched-p99-µs")
	b.ReportMetric(float64(percentile(quiet, 0.99).Microseconds()), "floor-p99-µs")
	b.ReportMetric(float64(percentile(watched, 0.99))/float64(percentile(quiet, 0.99)), "p99-ratio")
	b.ReportMetric(float64(percentile(dash, 0.99).Microseconds()), "dashboard-p99-µs")
	b.ReportMetric(float64(ref.Microseconds()), "ref-recount-µs")
}
