package figures

import (
	"fmt"
	"math/rand"
	"reflect"
	"testing"

	"github.com/fuzhi/eventdesk/model"
)

// TestTallyAgreesWithACount changes people at random — arrivals, undos,
// role changes, walk-ins, deletions, several in the same second — and
// after every step holds the kept tally equal to counting everyone afresh.
func TestTallyAgreesWithACount(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	roles := append(append([]model.Role{}, model.Roles...), "", "alien")
	times := []string{"", "", "2026-05-20T08:59:59+08:00", "2026-05-20T09:00:00+08:00", "2026-05-20T09:14:00+08:00",
		"2026-05-20T09:15:00+08:00", "2026-05-20T13:40:00+08:00", "not a time",
		// the same moments and later ones as a desk in UTC writes them
		"2026-05-20T01:14:00Z", "2026-05-20T06:00:00Z"}
	people := map[string]Attendee{}
	tally := NewTally()
	for step := 0; step < 4000; step++ {
		id := fmt.Sprintf("P%02d", r.Intn(40))
		if r.Intn(10) == 0 {
			delete(people, id)
			tally.Remove(id)
		} else {
			a := Attendee{ID: id, Role: roles[r.Intn(len(roles))], Name: "名" + id, Org: "单位", WalkIn: r.Intn(4) == 0,
				Scans: r.Intn(4), At: times[r.Intn(len(times))]}
			if a.At != "" {
				a.Desk, a.Repeats = fmt.Sprint(r.Intn(3)+1), r.Intn(3)
			}
			people[id] = a
			tally.Set(a)
		}
		list := make([]Attendee, 0, len(people))
		for _, a := range people {
			list = append(list, a)
		}
		want := Arrivals(list, "t")
		if got := tally.Dashboard("t"); !reflect.DeepEqual(got, want) {
			t.Fatalf("step %d: tally\n%+v\ncount\n%+v", step, got, want)
		}
	}
	if tally.Len() != len(people) {
		t.Fatalf("tally holds %d people, want %d", tally.Len(), len(people))
	}
}

func TestTallyRemovesWhatIsNotThere(t *testing.T) {
	tally := NewTally()
	tally.Remove("nobody")
	tally.Set(Attendee{ID: "A", At: "2026-05-20T09:00:00+08:00", Desk: "1"})
	tally.Remove("A")
	tally.Remove("A")
	if got, want := tally.Dashboard(""), Arrivals(nil, ""); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want the empty dashboard %+v", got, want)
	}
}

// TestTheLatestArrivalIsFirstWhateverZoneItWasWrittenIn: a desk whose
// clock is in UTC writes 06:57Z for 14:57 at the venue; it came after a
// 09:54+08:00 arrival even though its text sorts first.
func TestTheLatestArrivalIsFirstWhateverZoneItWasWrittenIn(t *testing.T) {
	tally := NewTally()
	people := []Attendee{
		{ID: "A", Name: "早上", At: "2026-05-20T09:54:00+08:00", Desk: "1"},
		{ID: "B", Name: "下午", At: "2026-05-20T06:57:00Z", Desk: "2"},
	}
	for _, a := range people {
		tally.Set(a)
	}
	for _, d := range []Dashboard{tally.Dashboard(""), Arrivals(people, "")} {
		if d.Recent[0].Name != "下午" {
			t.Fatalf("recent: %+v", d.Recent)
		}
	}
}
