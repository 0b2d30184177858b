package app

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/platform/server"
)

// openDeals are the held day's meetings with an intended cooperation not
// signed at the event, and those signed there.
func openDeals(t *testing.T, svc *Services) (open, signed []MeetingView) {
	t.Helper()
	ms, err := svc.Match.Meetings()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		switch {
		case m.Outcome == nil || !m.Outcome.Intended:
		case m.Outcome.Signed:
			signed = append(signed, m)
		default:
			open = append(open, m)
		}
	}
	if len(open) < 3 || len(signed) == 0 {
		t.Fatalf("the held day has %d open and %d signed deals", len(open), len(signed))
	}
	return open, signed
}

// afterTheEvent sets the clock to days after the event's last day, 10:00.
func afterTheEvent(t *testing.T, svc *Services, days int) time.Time {
	t.Helper()
	day, ok := eventDay(svc.Match.ws.currentEvent(), time.FixedZone("CST", 8*3600))
	if !ok {
		t.Fatal("the event has no date")
	}
	now := day.AddDate(0, 0, days).Add(10 * time.Hour)
	svc.Match.ws.SetClock(func() time.Time { return now })
	return now
}

func conversion(t *testing.T, svc *Services) map[string]int {
	t.Helper()
	sum, err := svc.Summary.Summary()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, b := range sum.Conversion {
		out[b.Label] = b.Count
	}
	return out
}

func TestFollowUpsAfterTheDay(t *testing.T) {
	svc := heldDay(t)
	open, signed := openDeals(t, svc)
	before := conversion(t, svc)
	if before["合作意向"] != len(open)+len(signed) || before["现场签约"] != len(signed) || before["180 天内签约"] != len(signed) || before["已终止"] != 0 {
		t.Fatalf("conversion on the day: %v (%d open, %d signed)", before, len(open), len(signed))
	}

	// Three weeks and four days on: the 30-day calls are due this week,
	// one for every open deal and none for a deal signed at the event.
	afterTheEvent(t, svc, 25)
	due, err := svc.Table.FollowUps(7)
	if err != nil || len(due) != len(open) {
		t.Fatalf("due this week: %d, want %d (%v)", len(due), len(open), err)
	}
	for _, d := range due {
		if d.Stage != 30 || d.Days != 5 || d.FromName == "" || d.ToOrg == "" {
			t.Fatalf("a due call: %+v", d)
		}
	}
	if all, _ := svc.Table.FollowUps(-1); len(all) != 3*len(open) {
		t.Fatalf("every call not yet made: %d, want %d", len(all), 3*len(open))
	}

	// Refused, and nothing written: a stage that is not one, a state that
	// is not one, an amount out of range, a long note, a meeting without
	// an intention, a deal signed at the event called "negotiating".
	a, b := open[0].ID, open[1].ID
	history := func(id string) int {
		h, err := svc.Table.OutcomeHistory(id)
		if err != nil {
			t.Fatal(err)
		}
		return len(h)
	}
	kept := history(a)
	ms, _ := svc.Match.Meetings()
	var plain string
	for _, m := range ms {
		if m.Outcome != nil && !m.Outcome.Intended {
			plain = m.ID
		}
	}
	for name, in := range map[string]FollowUpInput{
		"stage 45":                          {Meeting: a, Stage: 45, State: model.FollowUpNegotiating},
		"state maybe":                       {Meeting: a, Stage: 30, State: "maybe"},
		"a negative amount":                 {Meeting: a, Stage: 30, State: model.FollowUpSigned, Amount: -1},
		"a huge amount":                     {Meeting: a, Stage: 30, State: model.FollowUpSigned, Amount: 1e12},
		"a long note":                       {Meeting: a, Stage: 30, State: model.FollowUpNegotiating, Note: strings.Repeat("长", 501)},
		"a control character":               {Meeting: a, Stage: 30, State: model.FollowUpNegotiating, By: "李\x1b秘书"},
		"no intention":                      {Meeting: plain, Stage: 30, State: model.FollowUpNegotiating},
		"no such meeting":                   {Meeting: "M-none", Stage: 30, State: model.FollowUpNegotiating},
		"signed at the event":               {Meeting: signed[0].ID, Stage: 30, State: model.FollowUpNegotiating},
		"signed at the event, signed again": {Meeting: signed[0].ID, Stage: 90, State: model.FollowUpSigned, Amount: 10},
	} {
		if _, err := svc.Table.RecordFollowUp(in); err == nil {
			t.Fatalf("%s: recorded", name)
		}
	}
	if history(a) != kept {
		t.Fatal("a refused follow-up was written")
	}

	// The 30-day call on A: still negotiating. A's next call is at 90 days.
	if _, err := svc.Table.RecordFollowUp(FollowUpInput{Meeting: a, Stage: 30, State: model.FollowUpNegotiating, Note: "对方在走内部审批", By: "李秘书"}); err != nil {
		t.Fatal(err)
	}
	due, _ = svc.Table.FollowUps(7)
	for _, d := range due {
		if d.Meeting == a {
			t.Fatalf("A's 30-day call is still due: %+v", d)
		}
	}
	// 90 days on: A signed for 300 万元, B dropped.
	afterTheEvent(t, svc, 88)
	due, _ = svc.Table.FollowUps(7)
	var aDue *FollowUpDue
	for i := range due {
		if due[i].Meeting == a {
			aDue = &due[i]
		}
	}
	if aDue == nil || aDue.Stage != 90 || aDue.Last == nil || aDue.Last.Note != "对方在走内部审批" {
		t.Fatalf("A's 90-day call: %+v", aDue)
	}
	o, err := svc.Table.RecordFollowUp(FollowUpInput{Meeting: a, Stage: 90, State: model.FollowUpSigned, Amount: 300, By: "李秘书"})
	if err != nil || !o.Signed || o.Result != model.ResultAgreement || o.Amount != 300 || o.SignedStage() != 90 || len(o.FollowUps) != 2 {
		t.Fatalf("A signed at 90 days: %+v %v", o, err)
	}
	if _, err := svc.Table.RecordFollowUp(FollowUpInput{Meeting: b, Stage: 30, State: model.FollowUpDropped, Note: "预算取消"}); err != nil {
		t.Fatal(err)
	}
	all, _ := svc.Table.FollowUps(-1)
	for _, d := range all {
		if d.Meeting == a || d.Meeting == b {
			t.Fatalf("a closed deal is still followed up: %+v", d)
		}
	}
	after := conversion(t, svc)
	if after["现场签约"] != len(signed) || after["30 天内签约"] != len(signed) || after["90 天内签约"] != len(signed)+1 ||
		after["180 天内签约"] != len(signed)+1 || after["已终止"] != 1 || after["合作意向"] != before["合作意向"] {
		t.Fatalf("conversion after the follow-ups: %v", after)
	}
	// Entered as signed by mistake: recorded again, the deal is open again.
	o, err = svc.Table.RecordFollowUp(FollowUpInput{Meeting: a, Stage: 90, State: model.FollowUpNegotiating, Note: "合同尚未盖章"})
	if err != nil || o.Signed || o.SignedStage() != -1 {
		t.Fatalf("the correction: %+v %v", o, err)
	}
}

// A follow-up recorded 90 days later on a copy of the event file (the
// organizer's office, not the venue) reaches the platform as an update of
// the deal: the national figures change once, and uploading again changes
// nothing. A finance outcome entered there is counted apart.
func TestAFollowUpOnACopyReachesThePlatformOnce(t *testing.T) {
	db, svc := platformAndUploader(t)
	if _, err := svc.Platform.Upload(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	day, err := server.NationalStats(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	open, _ := openDeals(t, svc)
	_, cfg, err := svc.Platform.config()
	if err != nil {
		t.Fatal(err)
	}
	st, _ := svc.Match.ws.Store()
	src := st.Path()
	if err := svc.Match.ws.CloseEvent(); err != nil {
		t.Fatal(err)
	}

	// At the office, three months on.
	office, ws, _ := newTestServices(t)
	copyPath := filepath.Join(ws.DataDir(), "深度行-回访.fzevent")
	if _, err := store.RestoreCopy(ctx, src, copyPath); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.OpenFile(copyPath); err != nil {
		t.Fatal(err)
	}
	afterTheEvent(t, office, 90)
	if err := office.Platform.SetConfig(*cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := office.Table.RecordFollowUp(FollowUpInput{Meeting: open[0].ID, Stage: 90, State: model.FollowUpSigned, Amount: 300, By: "王处长"}); err != nil {
		t.Fatal(err)
	}
	// And a finance meeting's outcome, entered late: counted apart.
	if _, err := office.Table.SaveOutcome(model.Outcome{Meeting: open[1].ID, Result: model.ResultPossible, Intended: true,
		Finance: &model.Finance{Kind: model.FinanceIPPledge, Institution: "齐鲁银行", Intended: 500, Signed: 200}}); err != nil {
		t.Fatal(err)
	}
	res, err := office.Platform.Upload()
	if err != nil || res.Sent != 2 || res.Accepted != 2 {
		t.Fatalf("the follow-up's upload: %+v %v", res, err)
	}
	later, err := server.NationalStats(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if later.Totals.Signed != day.Totals.Signed+1 || later.Totals.Amount != day.Totals.Amount+300 ||
		later.Totals.Intended != day.Totals.Intended || later.Totals.Events != day.Totals.Events ||
		later.Totals.FinanceSigned != day.Totals.FinanceSigned+1 || later.Totals.FinanceAmount != day.Totals.FinanceAmount+200 {
		t.Fatalf("national figures: on the day %+v, after the follow-up %+v", day.Totals, later.Totals)
	}
	again, err := office.Platform.Upload()
	if err != nil || again.Sent != 0 {
		t.Fatalf("a second upload: %+v %v", again, err)
	}
	if same, _ := server.NationalStats(ctx, db); same.Totals != later.Totals {
		t.Fatalf("the figures moved again: %+v → %+v", later.Totals, same.Totals)
	}
	// What the platform holds of the follow-up: the stage and the amount,
	// not who called.
	var payload string
	if err := db.QueryRow(ctx, `SELECT payload::text FROM ops WHERE kind='outcome.put' AND entity=$1 ORDER BY hlc DESC LIMIT 1`, open[0].ID).Scan(&payload); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(payload, `"stage": 90`) || strings.Contains(payload, "王处长") {
		t.Fatalf("the platform's copy of the outcome: %s", payload)
	}
}

// The national view counts every event in the month and the quarter it
// began (月月有活动、季季出亮点): two provinces' events, one in May and one
// moved to September, are two months and two quarters whose figures add up
// to the totals.
func TestNationalFiguresByMonthAndQuarter(t *testing.T) {
	db := freshDB(t)
	p := startPlatform(t, db, "")
	t.Cleanup(p.kill)
	may := uploader(t, db, p)
	september := uploader(t, db, p)
	ev := september.Match.ws.currentEvent()
	if _, err := september.Event.Update(EventInput{Name: ev.Name, StartDate: "2026-09-16", EndDate: "2026-09-17", Venue: ev.Venue,
		Province: "江苏省", City: "苏州市", Organizer: ev.Organizer, Chains: ev.Chains, Formats: ev.Formats}); err != nil {
		t.Fatal(err)
	}
	for _, svc := range []*Services{may, september} {
		if _, err := svc.Platform.Upload(); err != nil {
			t.Fatal(err)
		}
	}
	st, err := server.NationalStats(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	keys := func(fs []server.Figure) (out []string) {
		for _, f := range fs {
			out = append(out, f.Key)
		}
		return out
	}
	if got := keys(st.ByMonth); strings.Join(got, ",") != "2026-05,2026-09" {
		t.Fatalf("months: %v", got)
	}
	if got := keys(st.ByQuarter); strings.Join(got, ",") != "2026-Q2,2026-Q3" {
		t.Fatalf("quarters: %v", got)
	}
	for _, by := range [][]server.Figure{st.ByMonth, st.ByQuarter} {
		var sum server.Figure
		for _, f := range by {
			if f.Events != 1 || f.Held == 0 || f.Signed == 0 {
				t.Fatalf("%s: %+v", f.Key, f)
			}
			sum.Events += f.Events
			sum.Participants += f.Participants
			sum.Held += f.Held
			sum.Intended += f.Intended
			sum.Signed += f.Signed
			sum.Amount += f.Amount
		}
		if sum.Events != st.Totals.Events || sum.Participants != st.Totals.Participants || sum.Held != st.Totals.Held ||
			sum.Intended != st.Totals.Intended || sum.Signed != st.Totals.Signed || sum.Amount != st.Totals.Amount {
			t.Fatalf("periods add up to %+v, totals %+v", sum, st.Totals)
		}
	}
	for i := range st.ByMonth { // one event a quarter: each month is its quarter
		m, q := st.ByMonth[i], st.ByQuarter[i]
		m.Key, q.Key = "", ""
		if m != q {
			t.Fatalf("a month and its quarter differ: %+v %+v", st.ByMonth[i], st.ByQuarter[i])
		}
	}
	// Meetings count in their event's province (event ids hold a "/", which
	// once sent every meeting to 未填写).
	held := 0
	for _, f := range st.ByProvince {
		if f.Key == "未填写" {
			t.Fatalf("figures without a province: %+v", st.ByProvince)
		}
		held += f.Held
	}
	if len(st.ByProvince) != 2 || held != st.Totals.Held {
		t.Fatalf("provinces: %+v", st.ByProvince)
	}
	// SMEs served: the platform's count by level equals each hub's summary.
	hubs := 0
	for _, svc := range []*Services{may, september} {
		sum, err := svc.Summary.Summary()
		if err != nil {
			t.Fatal(err)
		}
		hubs += sum.SMEsServed[0].Count
	}
	levels := 0
	for _, f := range st.ByTier {
		levels += f.SMEsServed
	}
	if hubs == 0 || st.Totals.SMEsServed != hubs || levels != hubs || len(st.ByTier) != 4 || st.ByTier[3].Key != "未认定" {
		t.Fatalf("SMEs served: platform %d (by level %d, %+v), hubs %d", st.Totals.SMEsServed, levels, st.ByTier, hubs)
	}
	// The platform's page shows the quarters and the months.
	resp, err := http.Get("http://" + p.addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"服务中小企业", "专精特新“小巨人”", "按季度（季季出亮点）", "2026-Q2", "2026-Q3", "按月（月月有活动）", "2026-09", "江苏省"} {
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Fatalf("the platform's page (%d) lacks %s", resp.StatusCode, want)
		}
	}
}
