package app

import (
	"strings"
	"testing"
	"time"

	"github.com/fuzhi/eventdesk/model"
)

func matchFixture(t *testing.T) (*Services, []model.Participant, []model.Participant) {
	t.Helper()
	svc, ws, _ := newTestServices(t)
	// The morning of the session: requests are still open for answers.
	ws.SetClock(func() time.Time { return time.Date(2026, 5, 20, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)) })
	if _, err := svc.Event.OpenPractice(); err != nil {
		t.Fatal(err)
	}
	smes, _ := svc.Roster.List(ParticipantQuery{Role: "sme", Limit: 40})
	unis, _ := svc.Roster.List(ParticipantQuery{Role: "university", Limit: 12})
	return svc, smes.Items, unis.Items
}

func TestMatchmakingFlow(t *testing.T) {
	svc, smes, unis := matchFixture(t)
	if _, err := svc.Match.ScheduleAll(1); err == nil || !strings.Contains(err.Error(), "时段") {
		t.Fatalf("scheduling without a session: %v", err)
	}
	sess, err := svc.Match.SetupSession(SessionInput{Start: "2026-05-20 14:00", SlotMinutes: 20, Slots: 6, BreakAfter: []int{3}, Tables: 8,
		Fixed: []string{unis[0].ID}, MaxMeetings: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(sess.Slots) != 6 || sess.Slots[3].Start != "2026-05-20T15:20:00+08:00" || sess.Tables[0].Fixed != unis[0].ID {
		t.Fatalf("session: %+v", sess.Slots)
	}
	if err := svc.Match.SetBlocked(smes[0].ID, []string{"S01", "S02"}); err != nil {
		t.Fatal(err)
	}
	priorities := []string{"must", "want", "could"}
	n := 0
	for i, sme := range smes {
		for k := 0; k < 3; k++ {
			uni := unis[(i+k)%len(unis)]
			if _, err := svc.Request.Create(sme.ID, uni.ID, priorities[(i+k)%3], "技术合作", true); err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	r, _ := svc.Request.Create(unis[1].ID, smes[1].ID, "want", "", false)
	if _, err := svc.Request.Create(smes[2].ID, smes[2].ID, "want", "", true); err == nil {
		t.Fatal("a request to oneself was accepted")
	}
	reqs, _ := svc.Request.List()
	mutual := 0
	for _, rv := range reqs {
		if rv.Mutual {
			mutual++
		}
	}
	if len(reqs) != n+1 || mutual != 2 {
		t.Fatalf("%d requests, %d mutual", len(reqs), mutual)
	}
	if err := svc.Request.SetStatus(r.ID, "declined"); err != nil {
		t.Fatal(err)
	}

	draft, err := svc.Match.ScheduleAll(2)
	if err != nil {
		t.Fatal(err)
	}
	if draft.Requests != n || draft.Weight == 0 || len(draft.Meetings) == 0 {
		t.Fatalf("draft: %+v", draft.Stats)
	}
	if got, _ := svc.Match.Meetings(); len(got) != 0 {
		t.Fatal("a draft changed the schedule before it was published")
	}
	published, err := svc.Match.Publish()
	if err != nil || published != len(draft.Meetings) {
		t.Fatalf("publish: %d %v", published, err)
	}
	meetings, _ := svc.Match.Meetings()
	for _, m := range meetings {
		if len(m.Conflicts) > 0 {
			t.Fatalf("published schedule has conflicts: %+v", m)
		}
		if m.From == smes[0].ID && (m.Slot == "S01" || m.Slot == "S02") {
			t.Fatalf("blocked slot used: %+v", m)
		}
		if (m.From == unis[0].ID || m.To == unis[0].ID) && m.Table != "T001" {
			t.Fatalf("fixed table ignored: %+v", m)
		}
	}

	// Drag a meeting into the slot of another meeting of the same person: flagged.
	a, b := findSamePerson(meetings)
	if a == nil {
		t.Fatal("no person with two meetings")
	}
	conflicts, err := svc.Match.MoveMeeting(a.ID, b.Slot, a.Table)
	if err != nil || len(conflicts) == 0 || !strings.Contains(strings.Join(conflicts, ";"), "同一时段") {
		t.Fatalf("conflict not flagged: %v %v", conflicts, err)
	}
	// Lock another meeting and schedule again: it stays exactly where it was.
	keep := meetings[len(meetings)-1]
	if keep.ID == a.ID {
		keep = meetings[0]
	}
	svc.Match.LockMeeting(keep.ID, true)
	if _, err := svc.Match.ScheduleAll(1); err != nil {
		t.Fatal(err)
	}
	svc.Match.Publish()
	after, _ := svc.Match.Meetings()
	found := false
	for _, m := range after {
		if m.ID == keep.ID && m.Slot == keep.Slot && m.Table == keep.Table && m.Locked {
			found = true
		}
		if len(m.Conflicts) > 0 {
			t.Fatalf("rescheduled grid has conflicts: %+v", m)
		}
	}
	if !found {
		t.Fatal("locked meeting moved")
	}

	// A no-show early in the day is re-placed in a later slot.
	var early *MeetingView
	for i := range after {
		if after[i].Slot == "S01" || after[i].Slot == "S02" {
			early = &after[i]
			break
		}
	}
	if err := svc.Table.Mark(early.ID, "no_show"); err != nil {
		t.Fatal(err)
	}
	if nm, err := svc.Table.Replace(early.ID); err == nil {
		if nm.Slot <= early.Slot || nm.Request != early.Request {
			t.Fatalf("re-placed badly: %+v", nm)
		}
		t.Logf("re-placed %s at %s %s", early.ID, nm.Slot, nm.Table)
		// Clicked again (or by a second staff member): the same meeting,
		// not the pair a second time.
		for range 3 {
			again, err := svc.Table.Replace(early.ID)
			if err != nil || again.ID != nm.ID {
				t.Fatalf("re-placed again: %+v %v, want %s", again, err, nm.ID)
			}
		}
		grid, _ := svc.Match.Meetings()
		pairs := 0
		for _, m := range grid {
			if m.Request == early.Request && m.Status == model.MeetingScheduled {
				pairs++
			}
		}
		if pairs != 1 {
			t.Fatalf("the pair is scheduled %d times after repeated re-placing", pairs)
		}
	} else if !strings.Contains(err.Error(), "空闲") {
		t.Fatal(err)
	}
	if _, err := svc.Table.Replace(after[len(after)-1].ID); err == nil || !strings.Contains(err.Error(), "未到场") {
		t.Fatalf("re-placing a meeting that was not missed: %v", err)
	}

	// Outcomes: every edit is kept.
	held := after[0]
	svc.Table.Mark(held.ID, "held")
	if _, err := svc.Table.SaveOutcome(model.Outcome{Meeting: held.ID, Result: "possible", Intended: true, Mode: model.TransferLicense}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Table.SaveOutcome(model.Outcome{Meeting: held.ID, Result: "agreement", Signed: true, Amount: 120, Mode: model.TransferLicense}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Table.SaveOutcome(model.Outcome{Meeting: held.ID, Result: "possible", Signed: true}); err == nil {
		t.Fatal("signed without agreement accepted")
	}
	hist, _ := svc.Table.OutcomeHistory(held.ID)
	if len(hist) != 2 || hist[1].Amount != 120 {
		t.Fatalf("history: %+v", hist)
	}
	final, _ := svc.Match.Meetings()
	for _, m := range final {
		if m.ID == held.ID && (m.Outcome == nil || !m.Outcome.Signed || m.Status != "held") {
			t.Fatalf("outcome not shown on the grid: %+v", m)
		}
	}
}

func findSamePerson(ms []MeetingView) (*MeetingView, *MeetingView) {
	for i := range ms {
		for j := range ms {
			if i != j && ms[i].Slot != ms[j].Slot && (ms[i].From == ms[j].From || ms[i].From == ms[j].To) {
				return &ms[i], &ms[j]
			}
		}
	}
	return nil, nil
}

func TestRecommendationsExplainAndBecomeRequests(t *testing.T) {
	svc, _, _ := newTestServices(t)
	if _, err := svc.Event.OpenPractice(); err != nil {
		t.Fatal(err)
	}
	demands, _ := svc.Catalog.Demands()
	var vision model.Demand
	for _, d := range demands {
		if strings.Contains(d.Title, "视觉检测") {
			vision = d
		}
	}
	recs, err := svc.Catalog.RecommendAchievements(vision.ID, 5)
	if err != nil || len(recs) == 0 {
		t.Fatalf("recommendations: %v %v", recs, err)
	}
	if !strings.Contains(recs[0].Achievement.Title, "机器视觉") || !recs[0].Reason.SameChain || len(recs[0].Reason.Terms) == 0 {
		t.Fatalf("top recommendation for %q: %+v", vision.Title, recs[0])
	}
	back, _ := svc.Catalog.RecommendDemands(recs[0].Achievement.ID, 5)
	found := false
	for _, d := range back {
		found = found || d.Demand.ID == vision.ID
	}
	if !found {
		t.Fatalf("the reverse direction does not find the demand: %+v", back)
	}
	r, err := svc.Catalog.RequestFromRecommendation(vision.ID, recs[0].Achievement.ID)
	if err != nil || r.From != vision.SMEID || r.To != recs[0].Achievement.OwnerID || r.Status != "requested" {
		t.Fatalf("request from recommendation: %+v %v", r, err)
	}
}

func TestSpontaneousMeetingsGapsAndRequestCaps(t *testing.T) {
	svc, smes, unis := matchFixture(t)
	svc.Match.SetupSession(SessionInput{Start: "2026-05-20 14:00", SlotMinutes: 20, Slots: 3, Tables: 2, MaxMeetings: 1, RequestCap: 2})
	svc.Request.Create(smes[0].ID, unis[0].ID, "must", "", true)
	svc.Request.Create(smes[0].ID, unis[1].ID, "could", "", true)
	if _, err := svc.Request.Create(smes[0].ID, unis[2].ID, "want", "", true); err == nil || !strings.Contains(err.Error(), "上限") {
		t.Fatalf("request cap not enforced: %v", err)
	}
	svc.Match.ScheduleAll(1)
	svc.Match.Publish()
	ms, _ := svc.Match.Meetings()
	if len(ms) != 1 || ms[0].To != unis[0].ID {
		t.Fatalf("with max 1 meeting, the must request is held: %+v", ms)
	}
	// The university does not come: the SME gets their other wish in the same slot.
	svc.Table.Mark(ms[0].ID, "no_show")
	filled, err := svc.Table.FillGap(ms[0].ID, smes[0].ID)
	if err != nil || filled.To != unis[1].ID || filled.Slot != ms[0].Slot || filled.Table != ms[0].Table {
		t.Fatalf("fill gap: %+v %v", filled, err)
	}
	sp, err := svc.Table.AddSpontaneous(smes[3].ID, unis[3].ID, "S02", "T002")
	if err != nil || !sp.Spontaneous {
		t.Fatalf("spontaneous: %+v %v", sp, err)
	}
	if _, err := svc.Match.ScheduleAll(1); err != nil {
		t.Fatalf("re-schedule after a no-show, a filled gap and a spontaneous meeting: %v", err)
	}
	svc.Match.Publish()
	after, _ := svc.Match.Meetings()
	kept := false
	for _, m := range after {
		kept = kept || (m.ID == sp.ID && m.Slot == "S02")
		if len(m.Conflicts) > 0 {
			t.Fatalf("conflict after re-schedule: %+v", m)
		}
	}
	if !kept {
		t.Fatal("a re-schedule dropped the spontaneous meeting")
	}
}

// Saving a session setup that moves published meetings, drops their slots
// or tables, or expires unanswered requests is shown before it is saved.
func TestSessionChangesArePreviewedBeforeSaving(t *testing.T) {
	svc, ws, _ := newTestServices(t)
	ws.SetClock(func() time.Time { return time.Date(2026, 5, 20, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)) })
	if _, err := svc.Event.OpenPractice(); err != nil {
		t.Fatal(err)
	}
	smes, _ := svc.Roster.List(ParticipantQuery{Role: "sme", Limit: 8})
	unis, _ := svc.Roster.List(ParticipantQuery{Role: "university", Limit: 4})
	in := SessionInput{Start: "2026-05-20 14:00", SlotMinutes: 20, Slots: 6, Tables: 10}
	if _, err := svc.Match.SetupSession(in); err != nil {
		t.Fatal(err)
	}
	for i, s := range smes.Items[:6] {
		svc.Request.Create(s.ID, unis.Items[i%4].ID, "want", "", true)
	}
	if _, err := svc.Request.Create(smes.Items[7].ID, unis.Items[0].ID, "want", "", false); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Match.ScheduleAll(1); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Match.Publish(); err != nil {
		t.Fatal(err)
	}
	published, _ := svc.Match.Meetings()
	if len(published) == 0 {
		t.Fatal("nothing published: the test would prove nothing")
	}
	before, _ := svc.Match.Session()

	cases := []struct {
		name                  string
		in                    SessionInput
		expiring, moved, lost int
	}{
		{"the same setup", in, 0, 0, 0},
		{"an hour later", SessionInput{Start: "2026-05-20 15:00", SlotMinutes: 20, Slots: 6, Tables: 10}, 0, len(published), 0},
		{"yesterday", SessionInput{Start: "2026-05-19 14:00", SlotMinutes: 20, Slots: 6, Tables: 10}, 1, len(published), 0},
		{"one table", SessionInput{Start: "2026-05-20 14:00", SlotMinutes: 20, Slots: 6, Tables: 1}, 0, 0, countAt(published, func(m MeetingView) bool { return m.Table != "T001" })},
		{"a deadline this morning", SessionInput{Start: "2026-05-20 14:00", SlotMinutes: 20, Slots: 6, Tables: 10, RequestDeadline: "2026-05-20 08:00"}, 1, 0, 0},
	}
	for _, c := range cases {
		ch, err := svc.Match.PreviewSession(c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if ch.Expiring != c.expiring || ch.Moved != c.moved || ch.Lost != c.lost {
			t.Errorf("%s: %+v, want expiring %d moved %d lost %d", c.name, ch, c.expiring, c.moved, c.lost)
		}
	}
	after, _ := svc.Match.Session()
	if after.Slots[0].Start != before.Slots[0].Start || len(after.Tables) != len(before.Tables) {
		t.Error("a preview changed the session")
	}
}

func countAt(ms []MeetingView, f func(MeetingView) bool) (n int) {
	for _, m := range ms {
		if f(m) {
			n++
		}
	}
	return n
}

// A request nobody has answered yet is listed first however many answered
// ones were made after it: staff work the list from the top, and the
// screen's table only draws the rows in view.
func TestUnansweredRequestsComeFirst(t *testing.T) {
	svc, smes, unis := matchFixture(t)
	waiting, err := svc.Request.Create(unis[0].ID, smes[0].ID, "must", "联合申报", false)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < 30; i++ {
		if _, err := svc.Request.Create(smes[i].ID, unis[i%len(unis)].ID, "want", "技术合作", true); err != nil {
			t.Fatal(err)
		}
	}
	reqs, err := svc.Request.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 30 || reqs[0].ID != waiting.ID || reqs[0].Status != model.RequestRequested {
		t.Fatalf("the unanswered request is not first: %d requests, first %+v", len(reqs), reqs[0].MeetingRequest)
	}
	for _, r := range reqs[1:] {
		if r.Status != model.RequestAccepted {
			t.Fatalf("after the unanswered one, an unexpected status: %+v", r.MeetingRequest)
		}
	}
}
