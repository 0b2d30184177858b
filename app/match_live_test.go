package app

import (
	"strings"
	"testing"
	"time"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
)

func TestUnansweredRequestsExpireAtTheDeadlineAndAreNotScheduled(t *testing.T) {
	svc, smes, unis := matchFixture(t)
	ws := svc.Match.ws
	if _, err := svc.Match.SetupSession(SessionInput{Start: "2026-05-20 14:00", SlotMinutes: 20, Slots: 4, Tables: 4,
		RequestDeadline: "2026-05-20 12:00"}); err != nil {
		t.Fatal(err)
	}
	ws.SetClock(func() time.Time { return time.Date(2026, 5, 20, 11, 0, 0, 0, time.FixedZone("CST", 8*3600)) })
	open, _ := svc.Request.Create(smes[0].ID, unis[0].ID, "must", "", false)
	agreed, _ := svc.Request.Create(smes[1].ID, unis[1].ID, "want", "", true)
	reqs, _ := svc.Request.List()
	if statusOf(reqs, open.ID) != "requested" {
		t.Fatalf("expired before the deadline: %s", statusOf(reqs, open.ID))
	}
	ws.SetClock(func() time.Time { return time.Date(2026, 5, 20, 12, 1, 0, 0, time.FixedZone("CST", 8*3600)) })
	reqs, _ = svc.Request.List()
	if statusOf(reqs, open.ID) != "expired" || statusOf(reqs, agreed.ID) != "accepted" {
		t.Fatalf("after the deadline: open %s, agreed %s", statusOf(reqs, open.ID), statusOf(reqs, agreed.ID))
	}
	// An expired request cannot be accepted after all: it says what to do instead.
	if err := svc.Request.SetStatus(open.ID, model.RequestAccepted); err == nil || !strings.Contains(err.Error(), "已在截止时间过期") {
		t.Fatalf("accepting an expired request: %v", err)
	}
	draft, err := svc.Match.ScheduleAll(1)
	if err != nil || draft.Requests != 1 {
		t.Fatalf("the expired request was scheduled: %+v %v", draft, err)
	}
	// The expiry is an op like any other, so it survives a reopen.
	st, _ := ws.Store()
	path := st.Path()
	if _, err := svc.Event.Open(path); err != nil {
		t.Fatal(err)
	}
	st, _ = ws.Store()
	if r, ok, _ := store.Requests.Get(st, open.ID); !ok || r.Status != "expired" {
		t.Fatalf("expiry not stored: %+v", r)
	}
}

func statusOf(list []RequestView, id string) model.RequestStatus {
	for _, r := range list {
		if r.ID == id {
			return r.Status
		}
	}
	return ""
}

func TestImportRequestsResolvesPeopleAndSaysWhichRowsItCouldNot(t *testing.T) {
	svc, smes, unis := matchFixture(t)
	csv := "发起人,发起单位,对接对象,对象单位,优先级,洽谈主题,状态\n" +
		smes[0].Name + "," + smes[0].Org + "," + unis[0].Name + "," + unis[0].Org + ",必须,激光器合作,已接受\n" +
		smes[1].Mobile + ",," + unis[1].ID + ",,可以,,\n" +
		"查无此人,,," + unis[1].Name + ",希望,,\n" +
		smes[2].Name + "," + smes[2].Org + "," + unis[2].Name + "," + unis[2].Org + ",非常想,,\n" +
		smes[0].Name + "," + smes[0].Org + "," + unis[0].Name + "," + unis[0].Org + ",必须,重复,\n"
	sum, err := svc.Request.Import(ImportRequest{FileName: "意向.csv", Data: []byte(csv)})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Imported != 2 || sum.Skipped != 1 || len(sum.Rejected) != 2 {
		t.Fatalf("summary: %+v", sum)
	}
	if sum.Rejected[0].Row != 4 || sum.Rejected[1].Row != 5 || !strings.Contains(sum.Rejected[1].Message.Text, "优先级") {
		t.Fatalf("rejected rows: %+v", sum.Rejected)
	}
	reqs, _ := svc.Request.List()
	var first *RequestView
	for i := range reqs {
		if reqs[i].From == smes[0].ID && reqs[i].To == unis[0].ID {
			first = &reqs[i]
		}
	}
	if first == nil || first.Priority != "must" || first.Status != "accepted" || first.Topic != "激光器合作" {
		t.Fatalf("first row stored as %+v", first)
	}
	if _, err := svc.Request.Import(ImportRequest{FileName: "x.csv", Data: []byte("姓名,单位\n张三,甲\n")}); err == nil || !strings.Contains(err.Error(), "发起人") {
		t.Fatalf("a sheet without the columns: %v", err)
	}
}

func TestScanningBothBadgesAtTheTableMarksTheMeetingHeld(t *testing.T) {
	svc, smes, unis := matchFixture(t)
	ws := svc.Match.ws
	if _, err := svc.Match.SetupSession(SessionInput{Start: "2026-05-20 14:00", SlotMinutes: 20, Slots: 2, Tables: 2}); err != nil {
		t.Fatal(err)
	}
	m, err := svc.Table.AddSpontaneous(smes[0].ID, unis[0].ID, "S02", "T002")
	if err != nil {
		t.Fatal(err)
	}
	ws.SetClock(func() time.Time { return time.Date(2026, 5, 20, 14, 25, 0, 0, time.FixedZone("CST", 8*3600)) })
	code := func(id string) string { return badgeCodeOf(t, svc, id) }
	a, _ := svc.Table.Scan("T001", code(smes[0].ID))
	if a.Result != "not_here" || !strings.Contains(a.Message.Text, "1 号桌") {
		t.Fatalf("wrong table: %+v", a)
	}
	a, _ = svc.Table.Scan("T002", code(smes[0].ID)[:20])
	if a.Result != ResultMalformed {
		t.Fatalf("a cut code: %+v", a)
	}
	a, _ = svc.Table.Scan("T002", code(smes[0].ID))
	if a.Result != "arrived" || a.Meeting.Status == "held" {
		t.Fatalf("first side: %+v", a)
	}
	a, _ = svc.Table.Scan("T002", code(unis[0].ID))
	if a.Result != "held" {
		t.Fatalf("second side: %+v", a)
	}
	st, _ := ws.Store()
	if got, ok, _ := store.Meetings.Get(st, m.ID); !ok || got.Status != "held" || len(got.Arrived) != 2 {
		t.Fatalf("stored meeting: %+v", got)
	}
}

func TestInvestorsAreRecommendedForAnSMEDemandByChainAndFocus(t *testing.T) {
	svc, _, _ := matchFixture(t)
	demands, _ := svc.Catalog.Demands()
	var d model.Demand
	for _, x := range demands {
		if x.SMEID != "" {
			d = x
			break
		}
	}
	inv, _ := svc.Roster.List(ParticipantQuery{Role: "investor", Limit: 50})
	focus := inv.Items[0]
	focus.Note = "投资方向：" + d.Title
	focus.Chain = d.Chain
	if _, err := svc.Roster.Save(focus); err != nil {
		t.Fatal(err)
	}
	got, err := svc.Catalog.RecommendInvestors(d.ID, 5)
	if err != nil || len(got) == 0 {
		t.Fatalf("%v %v", got, err)
	}
	if got[0].Investor.ID != focus.ID || len(got[0].Reason.Terms) == 0 || !got[0].Reason.SameChain {
		t.Fatalf("the investor whose focus is this demand is not first with a reason: %+v", got[0])
	}
	for _, m := range got {
		if m.Investor.Role != "investor" {
			t.Fatalf("a non-investor was recommended: %+v", m.Investor)
		}
	}
	r, err := svc.Catalog.RequestWithInvestor(d.ID, focus.ID)
	if err != nil || r.From != d.SMEID || r.To != focus.ID {
		t.Fatalf("request: %+v %v", r, err)
	}
}

// An exhibitor with a fixed table meets two people there. When the first
// slot's guest is already waiting, the exhibitor's scan belongs to that
// meeting even if the clock is nearer the second slot (a session running
// late, or a machine whose clock is off).
func TestATableScanJoinsTheMeetingWhoseOtherSideIsWaiting(t *testing.T) {
	svc, smes, unis := matchFixture(t)
	ws := svc.Match.ws
	if _, err := svc.Match.SetupSession(SessionInput{Start: "2026-05-20 14:00", SlotMinutes: 20, Slots: 2, Tables: 1}); err != nil {
		t.Fatal(err)
	}
	first, err := svc.Table.AddSpontaneous(smes[0].ID, unis[0].ID, "S01", "T001")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Table.AddSpontaneous(smes[1].ID, unis[0].ID, "S02", "T001"); err != nil {
		t.Fatal(err)
	}
	ws.SetClock(func() time.Time { return time.Date(2026, 5, 20, 14, 31, 0, 0, time.FixedZone("CST", 8*3600)) })
	code := func(id string) string { return badgeCodeOf(t, svc, id) }
	if a, _ := svc.Table.Scan("T001", code(smes[0].ID)); a.Result != "arrived" || a.Meeting.ID != first.ID {
		t.Fatalf("the first slot's guest: %+v", a)
	}
	a, _ := svc.Table.Scan("T001", code(unis[0].ID))
	if a.Result != "held" || a.Meeting.ID != first.ID {
		t.Fatalf("the exhibitor's scan went to another meeting than the waiting guest's: %+v", a)
	}
}

func badgeCodeOf(t *testing.T, svc *Services, id string) string {
	t.Helper()
	c, err := svc.Checkin.BadgeCode(id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
