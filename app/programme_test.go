package app

import (
	"slices"
	"testing"
	"time"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/sync/station"
)

// practiceAt opens the practice event on a clock pinned to the event day.
func practiceAt(t *testing.T, at time.Time) (*Services, *Workspace, *time.Time) {
	t.Helper()
	svc, ws, _ := newTestServices(t)
	now := at
	ws.SetClock(func() time.Time { return now })
	if _, err := svc.Event.OpenPractice(); err != nil {
		t.Fatal(err)
	}
	return svc, ws, &now
}

// roadshowOf saves a roadshow session from start with the first n
// achievements of the catalog (their own presenters), minutes each.
func roadshowOf(t testing.TB, svc *Services, start, end string, n, minutes int) *SessionView {
	t.Helper()
	s, err := svc.Programme.Save(ProgrammeInput{Title: "成果路演", Kind: model.SessionRoadshow, Start: start, End: end, Room: "主会场"})
	if err != nil {
		t.Fatal(err)
	}
	catalog, err := svc.Catalog.Achievements()
	if err != nil {
		t.Fatal(err)
	}
	var talks []TalkInput
	for _, a := range catalog {
		if len(talks) < n && a.OwnerID != "" {
			talks = append(talks, TalkInput{Achievement: a.ID, Minutes: minutes})
		}
	}
	if s, err = svc.Programme.SetTalks(s.ID, talks); err != nil {
		t.Fatal(err)
	}
	return s
}

// opsOf counts the ops in the event file, to show a refusal wrote nothing.
func opsOf(t testing.TB, ws *Workspace) uint64 {
	t.Helper()
	st, err := ws.Store()
	if err != nil {
		t.Fatal(err)
	}
	vv, err := st.VersionVector()
	if err != nil {
		t.Fatal(err)
	}
	n := uint64(0)
	for _, v := range vv {
		n += v
	}
	return n
}

func TestProgrammeSessionsAreCheckedAndListedInTimeOrder(t *testing.T) {
	svc, ws, _ := practiceAt(t, time.Date(2026, 5, 20, 8, 0, 0, 0, model.VenueZone))
	people, _ := svc.Roster.List(ParticipantQuery{Role: "government", Limit: 2})
	if len(people.Items) < 2 {
		t.Fatalf("the practice event has %d officials", len(people.Items))
	}
	forum, err := svc.Programme.Save(ProgrammeInput{Title: "开幕式暨主旨论坛", Kind: model.SessionForum, Start: "2026-05-20T09:00", End: "2026-05-20T10:00",
		Room: "一号厅", Speakers: []string{people.Items[0].ID, people.Items[0].ID}, Hosts: []string{people.Items[1].ID}})
	if err != nil {
		t.Fatal(err)
	}
	if len(forum.Speakers) != 1 || forum.Speakers[0].Name != people.Items[0].Name || forum.Hosts[0].Name != people.Items[1].Name || forum.KindName != "主旨论坛" {
		t.Fatalf("forum: %+v", forum)
	}
	if forum.Start != "2026-05-20T09:00:00+08:00" {
		t.Fatalf("a venue time is stored on the venue's clock: %s", forum.Start)
	}
	if _, err := svc.Programme.Save(ProgrammeInput{Title: "供需对接", Kind: model.SessionMatchmaking, Start: "2026-05-20T14:00", End: "2026-05-20T16:00"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Programme.Save(ProgrammeInput{Title: "成果路演", Kind: model.SessionRoadshow, Start: "2026-05-20T10:15", End: "2026-05-20T12:00"}); err != nil {
		t.Fatal(err)
	}
	before := opsOf(t, ws)
	for name, in := range map[string]ProgrammeInput{
		"no title":          {Kind: model.SessionForum, Start: "2026-05-20T09:00", End: "2026-05-20T10:00"},
		"unknown kind":      {Title: "晚宴", Kind: "banquet", Start: "2026-05-20T19:00", End: "2026-05-20T21:00"},
		"ends before start": {Title: "论坛", Kind: model.SessionForum, Start: "2026-05-20T10:00", End: "2026-05-20T09:00"},
		"no times":          {Title: "论坛", Kind: model.SessionForum},
		"unknown speaker":   {Title: "论坛", Kind: model.SessionForum, Start: "2026-05-20T09:00", End: "2026-05-20T10:00", Speakers: []string{"PNOBODY"}},
		"unknown session":   {ID: "SNOPE", Title: "论坛", Kind: model.SessionForum, Start: "2026-05-20T09:00", End: "2026-05-20T10:00"},
	} {
		if _, err := svc.Programme.Save(in); err == nil {
			t.Errorf("%s: saved", name)
		}
	}
	if after := opsOf(t, ws); after != before {
		t.Fatalf("refusals wrote %d ops", after-before)
	}
	// A terminal's escape pasted into a title is cleaned, not printed.
	esc, err := svc.Programme.Save(ProgrammeInput{Title: "签约仪式\x1b[2J", Kind: model.SessionPromotion, Start: "2026-05-20T16:00", End: "2026-05-20T16:30"})
	if err != nil || esc.Title != "签约仪式[2J" {
		t.Fatalf("title with an escape: %+v %v", esc, err)
	}
	if err := svc.Programme.Delete(esc.ID); err != nil {
		t.Fatal(err)
	}
	list, err := svc.Programme.List()
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, s := range list {
		titles = append(titles, s.Title)
	}
	if !slices.Equal(titles, []string{"开幕式暨主旨论坛", "成果路演", "供需对接"}) {
		t.Fatalf("order: %v", titles)
	}
}

func TestTheStageKeyRunsTheRoadshowAndOnlyPresentedTalksCount(t *testing.T) {
	svc, ws, now := practiceAt(t, time.Date(2026, 5, 20, 10, 0, 0, 0, model.VenueZone))
	rs := roadshowOf(t, svc, "2026-05-20T10:00", "2026-05-20T11:00", 4, 10)
	if len(rs.Talks) != 4 || rs.Current != -1 || rs.Talks[0].PresenterRef.Name == "" || rs.Talks[1].PlannedStart != "2026-05-20T10:10:00+08:00" {
		t.Fatalf("running order: %+v", rs)
	}
	// Reordered: the second talk goes first, ids and planned times follow.
	order := []TalkInput{}
	for _, i := range []int{1, 0, 2, 3} {
		order = append(order, TalkInput{ID: rs.Talks[i].ID, Achievement: rs.Talks[i].Achievement, Presenter: rs.Talks[i].Presenter, Minutes: 10})
	}
	rs, err := svc.Programme.SetTalks(rs.ID, order)
	if err != nil {
		t.Fatal(err)
	}
	first, second := rs.Talks[0], rs.Talks[1]

	advance := func() *SessionView {
		t.Helper()
		*now = now.Add(9 * time.Minute)
		v, err := svc.Programme.Advance(rs.ID)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := advance(); v.Current != 0 || v.Talks[0].ID != first.ID {
		t.Fatalf("first press: %+v", v)
	}
	v := advance()
	if v.Current != 1 || v.Talks[0].Ended == "" || v.Talks[1].Started == "" {
		t.Fatalf("second press: %+v", v)
	}
	// A press too many is taken back: the first talk is on stage again.
	if v, err = svc.Programme.Back(rs.ID); err != nil || v.Current != 0 || v.Talks[1].Started != "" || v.Talks[0].Ended != "" {
		t.Fatalf("back: %+v %v", v, err)
	}
	advance()
	// The presented talk may move, not leave; the roadshow can no longer be deleted.
	if _, err := svc.Programme.SetTalks(rs.ID, order[2:]); err == nil {
		t.Fatal("a presented talk left the order")
	}
	if err := svc.Programme.Delete(rs.ID); err == nil {
		t.Fatal("a roadshow under way was deleted")
	}

	sum, err := svc.Summary.Summary()
	if err != nil {
		t.Fatal(err)
	}
	catalog, _ := svc.Catalog.Achievements()
	if len(catalog) <= 2 || len(sum.Roadshows) != 2 {
		t.Fatalf("the summary counts %d roadshows of a catalog of %d with two presented", len(sum.Roadshows), len(catalog))
	}
	titles := []string{sum.Roadshows[0].Title, sum.Roadshows[1].Title}
	if !slices.Contains(titles, first.Title) || !slices.Contains(titles, second.Title) {
		t.Fatalf("roadshows %v, presented %q and %q", titles, first.Title, second.Title)
	}
	// Past the last talk the stage is empty and every talk presented.
	advance()
	if v := advance(); v.Current != 3 {
		t.Fatalf("last talk: %+v", v)
	}
	if v := advance(); v.Current != -1 || v.Talks[3].Ended == "" {
		t.Fatalf("after the last talk: %+v", v)
	}

	// A station neither edits the programme nor drives the stage.
	st, _ := ws.Store()
	if err := st.PutLocal(station.LocalKey, station.Config{}); err != nil {
		t.Fatal(err)
	}
	if !isStation(st) {
		t.Fatal("the file is not a station's")
	}
	if _, err := svc.Programme.Back(rs.ID); err == nil {
		t.Fatal("a station drove the stage")
	}
	if _, err := svc.Programme.Save(ProgrammeInput{Title: "闭幕", Kind: model.SessionForum, Start: "2026-05-20T17:00", End: "2026-05-20T17:30"}); err == nil {
		t.Fatal("a station edited the programme")
	}
}

func TestAMarkBecomesOneRequestToThePresenter(t *testing.T) {
	svc, ws, _ := practiceAt(t, time.Date(2026, 5, 20, 10, 0, 0, 0, model.VenueZone))
	rs := roadshowOf(t, svc, "2026-05-20T10:00", "2026-05-20T11:00", 2, 10)
	talk := rs.Talks[0]
	investors, _ := svc.Roster.List(ParticipantQuery{Role: "investor", Limit: 2})
	inv := investors.Items[0]
	m, err := svc.Programme.Mark(talk.ID, inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !m.New || m.Request.From != inv.ID || m.Request.To != talk.Presenter || m.Request.Roadshow != talk.ID || m.Request.Status != model.RequestRequested {
		t.Fatalf("mark: %+v", m)
	}
	before := opsOf(t, ws)
	again, err := svc.Programme.Mark(talk.ID, inv.ID)
	if err != nil || again.New || again.Request.ID != m.Request.ID {
		t.Fatalf("a second mark: %+v %v", again, err)
	}
	if _, err := svc.Programme.Mark(talk.ID, talk.Presenter); err == nil {
		t.Fatal("a presenter marked their own talk")
	}
	if _, err := svc.Programme.Mark("TNOPE", inv.ID); err == nil {
		t.Fatal("a mark on no talk")
	}
	if _, err := svc.Programme.Mark(talk.ID, "PNOBODY"); err == nil {
		t.Fatal("a mark by nobody")
	}
	if after := opsOf(t, ws); after != before {
		t.Fatalf("a repeated or refused mark wrote %d ops", after-before)
	}
	// Someone who had asked already: their request is marked, not doubled.
	other := investors.Items[1]
	earlier, err := svc.Request.Create(other.ID, talk.Presenter, "must", "早已约好", false)
	if err != nil {
		t.Fatal(err)
	}
	m2, err := svc.Programme.Mark(talk.ID, other.ID)
	if err != nil || m2.Request.ID != earlier.ID || m2.Request.Roadshow != talk.ID || m2.Request.Priority != "must" {
		t.Fatalf("mark over an earlier request: %+v %v", m2, err)
	}
	reqs, _ := svc.Request.List()
	n := 0
	for _, r := range reqs {
		if r.To == talk.Presenter && (r.From == inv.ID || r.From == other.ID) {
			n++
		}
	}
	if n != 2 {
		t.Fatalf("%d requests for two people's marks", n)
	}
	if v, _ := svc.Programme.Get(rs.ID); v.Talks[0].Marks != 2 || v.Talks[1].Marks != 0 {
		t.Fatalf("marks on the order: %+v", v.Talks)
	}
}

func TestPresentersAreNotScheduledWhileTheyPresent(t *testing.T) {
	svc, _, _ := practiceAt(t, time.Date(2026, 5, 20, 8, 0, 0, 0, model.VenueZone))
	if _, err := svc.Match.SetupSession(SessionInput{Start: "2026-05-20 14:00", SlotMinutes: 20, Slots: 4, Tables: 10}); err != nil {
		t.Fatal(err)
	}
	// The roadshow runs over the session's second slot (14:20–14:40) for
	// its first presenter, the third for the second.
	rs := roadshowOf(t, svc, "2026-05-20T14:25", "2026-05-20T15:00", 2, 15)
	busy := map[string]string{rs.Talks[0].Presenter: "14:20", rs.Talks[1].Presenter: "14:40"}
	smes, _ := svc.Roster.List(ParticipantQuery{Role: "sme", Limit: 8})
	for _, p := range []string{rs.Talks[0].Presenter, rs.Talks[1].Presenter} {
		for _, s := range smes.Items {
			if _, err := svc.Request.Create(s.ID, p, "must", "", true); err != nil {
				t.Fatal(err)
			}
		}
	}
	draft, err := svc.Match.ScheduleAll(1)
	if err != nil {
		t.Fatal(err)
	}
	sess, _ := svc.Match.Session()
	clock := map[string]string{}
	for _, sl := range sess.Slots {
		clock[sl.ID] = model.VenueTime(sl.Start, "15:04")
	}
	placed := 0
	for _, m := range draft.Meetings {
		for _, who := range []string{m.From, m.To} {
			if at, ok := busy[who]; ok {
				placed++
				if clock[m.Slot] == at {
					t.Errorf("%s meets at %s while presenting", who, at)
				}
			}
		}
	}
	if placed < 4 {
		t.Fatalf("only %d meetings for the presenters: the test shows nothing", placed)
	}
	// The organizer's own blocks stay as they were set.
	if s, _ := svc.Match.Session(); len(s.Blocked) != 0 {
		t.Fatalf("the programme's blocks were written into the session: %v", s.Blocked)
	}
}
