package app

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fuzhi/eventdesk/app/ticket"
	"github.com/fuzhi/eventdesk/model"
)

func deskFixture(t *testing.T) (*Services, *Workspace, *model.Participant) {
	t.Helper()
	svc, ws, _ := newTestServices(t)
	createEvent(t, svc)
	p, err := svc.Roster.Save(model.Participant{Name: "张三", Org: "青岛大学", Mobile: "13912345678", Role: model.RoleUniversity})
	if err != nil {
		t.Fatal(err)
	}
	return svc, ws, p
}

func TestScanGreenThenAmberWithTheFirstTime(t *testing.T) {
	svc, _, p := deskFixture(t)
	code, err := svc.Checkin.BadgeCode(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	first, err := svc.Checkin.Scan(code, "1")
	if err != nil {
		t.Fatal(err)
	}
	if first.Result != ResultOK || first.Participant.Name != "张三" || !strings.Contains(first.Message.Text, "欢迎") {
		t.Fatalf("first scan: %+v", first)
	}
	again, _ := svc.Checkin.Scan(code, "2")
	if again.Result != ResultDuplicate || again.FirstDesk != "1" || again.FirstAt != first.At || !strings.Contains(again.Message.Text, "1 号签到台") {
		t.Fatalf("second scan: %+v", again)
	}
	// Undo the first: the person is no longer in; the next scan is green again.
	if err := svc.Checkin.Undo(first.ScanID); err != nil {
		t.Fatal(err)
	}
	if err := svc.Checkin.Undo(again.ScanID); err != nil {
		t.Fatal(err)
	}
	third, _ := svc.Checkin.Scan(code, "3")
	if third.Result != ResultOK {
		t.Fatalf("after undo: %+v", third)
	}
}

func TestEveryBadCodeHasItsOwnRedAnswer(t *testing.T) {
	svc, ws, p := deskFixture(t)
	code, _ := svc.Checkin.BadgeCode(p.ID)
	otherKey := []byte("a key of some other event........")
	foreign, _ := ticket.Make(otherKey, "EOTHER01", p.ID, 1)
	forgedHere, _ := ticket.Make(otherKey, ws.eventID(), p.ID, 1)
	cases := []struct {
		code, result, reason string
	}{
		{forgedHere, ResultForged, ""},
		{foreign, ResultForeign, ""},
		{strings.ToLower(code), ResultMalformed, "lowercase"},
		{code[:len(code)-4], ResultMalformed, "truncated"},
		{"张三", ResultMalformed, "not_a_code"},
	}
	for _, c := range cases {
		a, err := svc.Checkin.Scan(c.code, "1")
		if err != nil {
			t.Fatal(err)
		}
		if a.Result != c.result || a.Reason != c.reason || a.Message.Text == "" || a.Message.Code == "" {
			t.Errorf("%q: %+v", c.code, a)
		}
	}
	// Reprint: the old badge is revoked, the new one is green.
	if _, err := svc.Badge.Reprint(p.ID, "a6"); err != nil {
		t.Fatal(err)
	}
	if a, _ := svc.Checkin.Scan(code, "1"); a.Result != ResultRevoked || !strings.Contains(a.Message.Text, "作废") {
		t.Fatalf("old badge after reprint: %+v", a)
	}
	newCode, _ := svc.Checkin.BadgeCode(p.ID)
	if a, _ := svc.Checkin.Scan(newCode, "1"); a.Result != ResultOK {
		t.Fatalf("new badge: %+v", a)
	}
	// A deleted person's valid badge: unknown.
	svc.Roster.Delete(p.ID)
	if a, _ := svc.Checkin.Scan(newCode, "1"); a.Result != ResultUnknown {
		t.Fatalf("deleted person: %+v", a)
	}
	// Nothing but the two green scans was recorded.
	if d, _ := svc.Checkin.Dashboard(); d.Scans != 0 {
		t.Fatalf("deleted person's scans still counted: %+v", d)
	}
}

func TestRotateKeyNeedsTheEventNameAndRevokesOldBadges(t *testing.T) {
	svc, ws, p := deskFixture(t)
	code, _ := svc.Checkin.BadgeCode(p.ID)
	if err := svc.Checkin.RotateKey("随便"); err == nil || !strings.Contains(err.Error(), "活动名称") {
		t.Fatalf("rotation without confirmation: %v", err)
	}
	if a, _ := svc.Checkin.Scan(code, "1"); a.Result != ResultOK {
		t.Fatalf("before rotation: %+v", a)
	}
	if err := svc.Checkin.RotateKey(ws.event.Name); err != nil {
		t.Fatal(err)
	}
	if a, _ := svc.Checkin.Scan(code, "1"); a.Result != ResultForged {
		t.Fatalf("old key still accepted: %+v", a)
	}
	// The new key survives reopening the file.
	newCode, _ := svc.Checkin.BadgeCode(p.ID)
	path := ws.store.Path()
	ws.CloseEvent()
	svc.Event.Open(path)
	if a, _ := svc.Checkin.Scan(newCode, "1"); a.Result != ResultDuplicate {
		t.Fatalf("after reopen: %+v", a)
	}
}

func TestSearchByPinyinInitialsPhoneAndOrg(t *testing.T) {
	svc, _, _ := deskFixture(t)
	svc.Roster.Save(model.Participant{Name: "赵思", Org: "山东大学", Mobile: "13700000000"})
	svc.Roster.Save(model.Participant{Name: "李四", Org: "烟台海洋科技有限公司", Mobile: "13600005678"})
	for q, want := range map[string]string{
		"zs": "张三", "zhangsan": "张三", "张三": "张三", "三": "张三", "ZhangS": "张三",
		"5678": "张三", "139123": "张三", "zhaos": "赵思", "海洋科技": "李四", "ls": "李四",
	} {
		hits, err := svc.Checkin.Search(q, 10)
		if err != nil {
			t.Fatal(err)
		}
		names := []string{}
		for _, h := range hits {
			names = append(names, h.Participant.Name)
		}
		if !strings.Contains(strings.Join(names, ","), want) {
			t.Errorf("search %q: got %v, want %s among them", q, names, want)
		}
	}
	// Ambiguous keys find everyone they fit: "zs" is 张三 and 赵思, "5678" ends two mobiles.
	for _, q := range []string{"zs", "5678"} {
		if hits, _ := svc.Checkin.Search(q, 10); len(hits) != 2 {
			t.Errorf("%s: %d hits, want 2", q, len(hits))
		}
	}
	if hits, _ := svc.Checkin.Search("zhangsan", 10); len(hits) != 1 {
		t.Errorf("zhangsan: %d hits, want only 张三", len(hits))
	}
	// A check-in shows in the search result.
	hits, _ := svc.Checkin.Search("zhangsan", 1)
	svc.Checkin.CheckIn(hits[0].Participant.ID, "4")
	hits, _ = svc.Checkin.Search("zhangsan", 1)
	if !hits[0].CheckedIn || hits[0].Desk != "4" {
		t.Fatalf("status not shown: %+v", hits[0])
	}
}

func TestWalkInRegistersChecksInAndPrintsInOneGo(t *testing.T) {
	svc, _, _ := deskFixture(t)
	res, err := svc.Checkin.WalkIn(model.Participant{Name: "王小明", Org: "济南某某机器人有限公司", Mobile: "13511112222", Role: model.RoleSME}, "2", "label60x40")
	if err != nil {
		t.Fatal(err)
	}
	if res.Answer.Result != ResultOK || !bytes.HasPrefix(res.Badge.PDF, []byte("%PDF")) || res.Participant.BadgePrinted != 0 {
		t.Fatalf("walk-in: %+v (pdf %d bytes, printed %d)", res.Answer, len(res.Badge.PDF), res.Participant.BadgePrinted)
	}
	if err := svc.Badge.MarkPrinted(res.Badge.Badges); err != nil {
		t.Fatal(err)
	}
	if p, _ := svc.Roster.Get(res.Participant.ID); p.BadgePrinted != 1 {
		t.Fatalf("after the badge file was written: printed %d", p.BadgePrinted)
	}
	// The same person at the door again (the mobile typed with spaces): the
	// desk is told who is registered, and nothing is added or checked in.
	again, err := svc.Checkin.WalkIn(model.Participant{Name: "王小明", Mobile: "135 1111 2222"}, "2", "a6")
	if err != nil || again.Existing == nil || again.Existing.ID != res.Participant.ID || again.Answer.Result != "" || len(again.Badge.PDF) != 0 {
		t.Fatalf("the same walk-in again: %+v, %v", again, err)
	}
	d, _ := svc.Checkin.Dashboard()
	if d.Arrived != 1 || d.WalkIns != 1 || d.Expected != 2 || len(d.ByDesk) != 1 || d.ByDesk[0].Label != "2" {
		t.Fatalf("dashboard: %+v", d)
	}
}

// Badges count as printed only once their file is written: a PDF that
// could not be saved (a full disk) leaves them "not yet printed"; a badge
// reissued between printing and saving is not marked.
func TestUnprintedFilterPrintsEachBadgeOnce(t *testing.T) {
	svc, _, _ := newTestServices(t)
	if _, err := svc.Event.OpenPractice(); err != nil {
		t.Fatal(err)
	}
	printed, err := svc.Badge.Print(BadgeRequest{Layout: "a6", Role: "media", Unprinted: true})
	if err != nil || !bytes.HasPrefix(printed.PDF, []byte("%PDF")) {
		t.Fatalf("first print: %v", err)
	}
	again, err := svc.Badge.Print(BadgeRequest{Layout: "a6", Role: "media", Unprinted: true})
	if err != nil || len(again.Badges) != len(printed.Badges) {
		t.Fatalf("a print whose file was never written changed the unprinted list: %v", err)
	}
	reissued := printed.Badges[0].ID
	if _, err := svc.Badge.Reprint(reissued, "a6"); err != nil {
		t.Fatal(err)
	}
	if err := svc.Badge.MarkPrinted(printed.Badges); err != nil {
		t.Fatal(err)
	}
	left, err := svc.Badge.Print(BadgeRequest{Layout: "a6", Role: "media", Unprinted: true})
	if err != nil || len(left.Badges) != 1 || left.Badges[0].ID != reissued || left.Badges[0].Version != 2 {
		t.Fatalf("after marking: %+v %v, want only the reissued badge", left, err)
	}
	if err := svc.Badge.MarkPrinted(left.Badges); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Badge.Print(BadgeRequest{Layout: "a6", Role: "media", Unprinted: true}); err == nil || !strings.Contains(err.Error(), "没有") {
		t.Fatalf("second print of the unprinted filter should find nobody: %v", err)
	}
}

func TestCheckinsSurviveReopen(t *testing.T) {
	svc, ws, p := deskFixture(t)
	// 09:12 on a laptop that keeps UTC is 17:12 at the venue, whatever zone this machine has.
	ws.SetClock(func() time.Time { return time.Date(2026, 5, 20, 9, 12, 0, 0, time.UTC) })
	code, _ := svc.Checkin.BadgeCode(p.ID)
	svc.Checkin.Scan(code, "2")
	path := ws.store.Path()
	ws.CloseEvent()
	ws2App := New(Options{Context: context.Background(), DataDir: t.TempDir()})
	ws2 := ws2App.Workspace
	defer ws2.CloseEvent()
	svc2 := &ws2App.Services
	if _, err := svc2.Event.Open(path); err != nil {
		t.Fatal(err)
	}
	a, _ := svc2.Checkin.Scan(code, "5")
	if a.Result != ResultDuplicate || !strings.Contains(a.Message.Text, "17:12") || a.FirstDesk != "2" {
		t.Fatalf("after reopen: %+v", a)
	}
}

func TestUndoLastTakesBackTheLastPersonLetIn(t *testing.T) {
	svc, _, p := deskFixture(t)
	q, _ := svc.Roster.Save(model.Participant{Name: "李四", Mobile: "13800000009"})
	code, _ := svc.Checkin.BadgeCode(p.ID)
	svc.Checkin.CheckIn(q.ID, "1")
	svc.Checkin.Scan(code, "1")
	svc.Checkin.Scan(code, "1") // a repeat: amber, changes nothing
	h, err := svc.Checkin.UndoLast("1", "")
	if err != nil || h.Name != "张三" {
		t.Fatalf("undo last: %+v %v", h, err)
	}
	if a, _ := svc.Checkin.Scan(code, "1"); a.Result != ResultOK {
		t.Fatalf("张三 should be out after the undo: %+v", a)
	}
	if _, err := svc.Checkin.UndoLast("9", ""); err == nil {
		t.Fatal("undo at a desk with no check-ins succeeded")
	}
}

// TestUndoLastUndoesOnlyTheConfirmedPerson: the desk asks "撤销 张三 的签到？";
// if 李四 checks in at that desk before the answer, nobody is undone.
func TestUndoLastUndoesOnlyTheConfirmedPerson(t *testing.T) {
	svc, _, p := deskFixture(t)
	q, _ := svc.Roster.Save(model.Participant{Name: "李四", Mobile: "13800000009"})
	code, _ := svc.Checkin.BadgeCode(p.ID)
	svc.Checkin.Scan(code, "1")
	last, err := svc.Checkin.LastAtDesk("1")
	if err != nil || last.Name != "张三" || last.At == "" {
		t.Fatalf("last at desk 1: %+v %v", last, err)
	}
	svc.Checkin.CheckIn(q.ID, "1") // meanwhile
	if _, err := svc.Checkin.UndoLast("1", last.ID); err == nil || !strings.Contains(err.Error(), "李四") {
		t.Fatalf("undo after someone else came: %v", err)
	}
	if a, _ := svc.Checkin.Scan(code, "1"); a.Result != ResultDuplicate {
		t.Fatalf("张三 was undone without being confirmed: %+v", a)
	}
	if h, err := svc.Checkin.UndoLast("1", q.ID); err != nil || h.Name != "李四" {
		t.Fatalf("confirmed undo: %+v %v", h, err)
	}
	if _, err := svc.Checkin.LastAtDesk("7"); err == nil {
		t.Fatal("a desk with no check-ins has a last one")
	}
}

// The roster lists organizations and then names in pinyin order, as a
// printed list in China does, not by code point (which puts 张 before 李).
func TestRosterListsInPinyinOrder(t *testing.T) {
	svc, _, _ := newTestServices(t)
	createEvent(t, svc)
	for _, p := range []model.Participant{
		{Name: "张伟", Org: "青岛大学"}, {Name: "李娜", Org: "青岛大学"}, {Name: "詹姆", Org: "青岛大学"},
		{Name: "王芳", Org: "山东大学"}, {Name: "艾青", Org: "山东大学"}, {Name: "赵磊", Org: "澳柯玛股份有限公司"},
	} {
		if _, err := svc.Roster.Save(p); err != nil {
			t.Fatal(err)
		}
	}
	page, err := svc.Roster.List(ParticipantQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range page.Items {
		got = append(got, p.Name)
	}
	want := "赵磊 李娜 詹姆 张伟 艾青 王芳" // 澳 ao, 青 qing (li < zhan < zhang), 山 shan (ai < wang)
	if strings.Join(got, " ") != want {
		t.Fatalf("order %v, want %s", got, want)
	}
}

// One company name registered with two credit codes counts as two units;
// the event info says so, so the overview can warn.
func TestOrgNameWithSeveralCreditCodesIsFlagged(t *testing.T) {
	svc, _, _ := newTestServices(t)
	createEvent(t, svc)
	code := func(body string) string {
		c, _ := model.CreditCodeCheckChar(body)
		return body + string(c)
	}
	a, b := code("91370200MA3C5EXA2"), code("91370200MA3C5EXB3")
	for _, p := range []model.Participant{
		{Name: "张伟", Org: "青岛海晟精工有限公司", CreditCode: a}, {Name: "李娜", Org: "青岛海晟精工 有限公司", CreditCode: b},
		{Name: "王芳", Org: "青岛海晟精工有限公司", CreditCode: a}, {Name: "赵磊", Org: "山东大学"},
	} {
		if _, err := svc.Roster.Save(p); err != nil {
			t.Fatal(err)
		}
	}
	info, err := svc.Event.Current()
	if err != nil {
		t.Fatal(err)
	}
	if info.Orgs != 3 || len(info.OrgClashes) != 1 || len(info.OrgClashes[0].Codes) != 2 {
		t.Fatalf("orgs %d, clashes %+v", info.Orgs, info.OrgClashes)
	}
}
