package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fuzhi/eventdesk/model"
)

// The demo is a living event: its first start shows check-ins at several
// desks over the morning, a published session with meetings held, missed
// and still to come, outcomes with signed deals, and exhibitors' leads.
func TestDemoEventIsALivingMorning(t *testing.T) {
	svc, ws, _ := newTestServices(t)
	info, err := svc.Event.OpenDemo()
	if err != nil {
		t.Fatal(err)
	}
	if !info.Event.Demo || info.Participants != 303 || info.Achievements != 40 || info.Demands != 40 || info.Orgs == 0 {
		t.Fatalf("demo info %+v", info)
	}
	if filepath.Dir(info.Path) != ws.DataDir() {
		t.Fatalf("the demo is at %s, not in the data folder %s", info.Path, ws.DataDir())
	}
	entries, _ := os.ReadDir(ws.DataDir())
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".demo-") {
			t.Fatalf("the demo's working folder %s was left behind", e.Name())
		}
	}
	recent, _ := svc.Event.Recent()
	if len(recent) != 1 || recent[0].Name != info.Event.Name || recent[0].Path != info.Path {
		t.Fatalf("recent %+v", recent)
	}

	dash, err := svc.Checkin.Dashboard()
	if err != nil {
		t.Fatal(err)
	}
	if dash.Arrived < 200 || dash.Arrived >= dash.Expected || dash.WalkIns != 3 || dash.Repeats == 0 || len(dash.ByDesk) != 3 {
		t.Fatalf("arrivals: %d of %d, %d walk-ins, %d repeats, desks %+v", dash.Arrived, dash.Expected, dash.WalkIns, dash.Repeats, dash.ByDesk)
	}
	for _, r := range dash.Recent {
		at, err := time.Parse(time.RFC3339, r.At)
		if err != nil {
			t.Fatal(err)
		}
		at = at.In(model.VenueZone)
		if at.Format("2006-01-02") != info.Event.StartDate || at.Hour() < 8 || at.Hour() > 9 {
			t.Fatalf("%s checked in at %s, not on the event's morning (%s)", r.Name, at, info.Event.StartDate)
		}
	}

	reqs, err := svc.Request.List()
	if err != nil {
		t.Fatal(err)
	}
	byStatus := map[model.RequestStatus]int{}
	for _, r := range reqs {
		byStatus[r.Status]++
	}
	if byStatus[model.RequestAccepted] < 30 || byStatus[model.RequestDeclined] == 0 {
		t.Fatalf("requests by status %v", byStatus)
	}

	meetings, err := svc.Match.Meetings()
	if err != nil {
		t.Fatal(err)
	}
	byMeeting := map[model.MeetingStatus]int{}
	for _, m := range meetings {
		byMeeting[m.Status]++
		if m.Status == model.MeetingHeld && m.Outcome == nil {
			t.Fatalf("meeting %s was held but has no outcome", m.ID)
		}
		if m.Status != model.MeetingScheduled && m.Slot > "S03" {
			t.Fatalf("meeting %s in the afternoon slot %s is already %s", m.ID, m.Slot, m.Status)
		}
	}
	if byMeeting[model.MeetingHeld] < 10 || byMeeting[model.MeetingNoShow] == 0 || byMeeting[model.MeetingScheduled] < 10 {
		t.Fatalf("meetings by status %v", byMeeting)
	}
	if d, _ := svc.Match.Draft(); d != nil {
		t.Fatal("the demo's schedule is published, yet a draft is waiting")
	}

	sum, err := svc.Summary.Summary()
	if err != nil {
		t.Fatal(err)
	}
	if sum.Signed == 0 || sum.Amount <= 0 || sum.Intended <= sum.Signed || sum.Leads < 20 || sum.Exhibitors != 6 {
		t.Fatalf("summary: %d signed for %.0f 万元, %d intended, %d leads from %d exhibitors", sum.Signed, sum.Amount, sum.Intended, sum.Leads, sum.Exhibitors)
	}
	// The programme: six sessions, the roadshow's five talks presented and marked.
	programme, err := svc.Programme.List()
	if err != nil || len(programme) != 6 {
		t.Fatalf("programme: %d sessions, %v", len(programme), err)
	}
	if len(sum.Roadshows) != 5 || sum.RoadshowMarks() < 8 {
		t.Fatalf("roadshows: %d presented, %d marks", len(sum.Roadshows), sum.RoadshowMarks())
	}
}

// The demo is the same on every machine and every day but for its date:
// its morning comes from a fixed seed, not from the clock or the map order.
func TestDemoIsTheSameEveryDay(t *testing.T) {
	figuresOn := func(day time.Time) string {
		wsApp := New(Options{DataDir: t.TempDir(), Clock: func() time.Time { return day }})
		defer wsApp.Workspace.CloseEvent()
		if _, err := wsApp.Event.OpenDemo(); err != nil {
			t.Fatal(err)
		}
		sum, err := wsApp.Summary.Summary()
		if err != nil {
			t.Fatal(err)
		}
		d, _ := wsApp.Checkin.Dashboard()
		return fmt.Sprint(sum.Arrived, sum.Scheduled, sum.Held, sum.NoShow, sum.Intended, sum.Signed, sum.Amount, sum.Leads, len(d.ByQuarter))
	}
	a := figuresOn(time.Date(2026, 5, 20, 6, 0, 0, 0, time.UTC))
	b := figuresOn(time.Date(2027, 1, 3, 23, 30, 0, 0, time.UTC)) // already 4 January at the venue
	if a != b {
		t.Fatalf("the demo differs by day: %s vs %s", a, b)
	}
}

// The practice event is the demo's people and catalogs before anything
// happened: for training the desks and trying the session setup.
func TestPracticeEventStartsEmpty(t *testing.T) {
	svc, _, _ := newTestServices(t)
	info, err := svc.Event.OpenPractice()
	if err != nil {
		t.Fatal(err)
	}
	if info.Participants != 300 || info.Event.ID == "EDEMO2026" || !strings.HasPrefix(info.Event.Name, "练习活动") {
		t.Fatalf("practice event %+v", info)
	}
	dash, _ := svc.Checkin.Dashboard()
	sess, _ := svc.Match.Session()
	reqs, _ := svc.Request.List()
	if dash.Arrived != 0 || len(sess.Slots) != 0 || len(reqs) != 0 {
		t.Fatalf("practice event not fresh: %d arrived, %d slots, %d requests", dash.Arrived, len(sess.Slots), len(reqs))
	}
}

// A session change cannot drop the slots or tables where the demo's
// meetings were held: it says so, and nothing changes.
func TestSessionKeepsTheTablesWhereMeetingsWereHeld(t *testing.T) {
	svc, _, _ := newTestServices(t)
	if _, err := svc.Event.OpenDemo(); err != nil {
		t.Fatal(err)
	}
	before, _ := svc.Match.Session()
	in := SessionInput{Start: before.Slots[0].Start, SlotMinutes: 20, Slots: 6, BreakAfter: []int{3}, BreakMin: 20, Tables: 3, MaxMeetings: 4, RequestCap: 5}
	if _, err := svc.Match.PreviewSession(in); err == nil || !strings.Contains(err.Error(), "桌数不能少于此") {
		t.Fatalf("preview of 3 tables: %v", err)
	}
	if _, err := svc.Match.SetupSession(in); err == nil || !strings.Contains(err.Error(), "已举行") {
		t.Fatalf("saving 3 tables: %v", err)
	}
	after, _ := svc.Match.Session()
	if len(after.Tables) != len(before.Tables) {
		t.Fatalf("tables %d → %d", len(before.Tables), len(after.Tables))
	}
	// More tables are fine, and the schedule can still be computed.
	in.Tables = 14
	if _, err := svc.Match.SetupSession(in); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Match.ScheduleAll(1); err != nil {
		t.Fatalf("re-drafting after the change: %v", err)
	}
}
