package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/fuzhi/eventdesk/model"
)

type recordingEmitter struct {
	mu       sync.Mutex
	events   []string
	progress []Progress // BadgeProgress payloads
}

func (r *recordingEmitter) Emit(name string, data any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, name)
	if p, ok := data.(Progress); ok && name == BadgeProgress {
		r.progress = append(r.progress, p)
	}
}

func newTestServices(t testing.TB) (*Services, *Workspace, *recordingEmitter) {
	t.Helper()
	em := &recordingEmitter{}
	wsApp := New(Options{Context: context.Background(), DataDir: t.TempDir(), Emitter: em})
	ws := wsApp.Workspace
	t.Cleanup(func() { ws.CloseEvent() })
	return &wsApp.Services, ws, em
}

func createEvent(t *testing.T, svc *Services) *EventInfo {
	t.Helper()
	info, err := svc.Event.Create(EventInput{Name: "深度行·青岛站", StartDate: "2026-05-20", City: "青岛市", Formats: []string{"matchmaking"}})
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func sample(t *testing.T, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("importer", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestImportSampleThenReimportUpdatesInsteadOfDuplicating(t *testing.T) {
	svc, _, em := newTestServices(t)
	createEvent(t, svc)
	gbk := sample(t, "participants-gbk.csv")
	sum, err := svc.Roster.Import(ImportRequest{FileName: "报名.csv", Data: gbk})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Imported != 188 || sum.Updated != 0 || len(sum.Rejected) != 8 || len(sum.Duplicates) != 4 || sum.Encoding != "GB18030" {
		t.Fatalf("first import: %+v", sum)
	}
	again, err := svc.Roster.Import(ImportRequest{FileName: "报名.csv", Data: gbk})
	if err != nil {
		t.Fatal(err)
	}
	if again.Imported != 0 || again.Updated != 0 || again.Unchanged != 188 {
		t.Fatalf("re-import: imported %d updated %d unchanged %d", again.Imported, again.Updated, again.Unchanged)
	}
	for _, s := range []*ImportSummary{sum, again} {
		if got := s.Imported + s.Updated + s.Unchanged + len(s.Rejected) + len(s.Duplicates); got != s.Rows || s.Rows != 200 {
			t.Fatalf("the counts add up to %d, the file has %d rows", got, s.Rows)
		}
	}
	page, _ := svc.Roster.List(ParticipantQuery{Limit: 1000})
	if page.Total != 188 {
		t.Fatalf("after two imports %d participants, want 188", page.Total)
	}
	if !strings.Contains(strings.Join(em.events, ","), RosterChanged) {
		t.Error("no roster:changed event emitted")
	}
	// A corrected title in a later export updates the same person.
	text := strings.Replace(string(sample(t, "participants-utf8bom.csv")), "副总经理", "总经理", 1)
	first, _ := svc.Roster.Import(ImportRequest{FileName: "b.csv", Data: sample(t, "participants-utf8bom.csv")})
	second, _ := svc.Roster.Import(ImportRequest{FileName: "b.csv", Data: []byte(text)})
	if first.Imported == 0 || second.Imported != 0 || second.Updated != 1 || second.Unchanged != first.Imported-1 {
		t.Fatalf("edited re-import: first %+v second %+v", first, second)
	}
}

func TestBadFileChangesNothing(t *testing.T) {
	svc, _, _ := newTestServices(t)
	createEvent(t, svc)
	svc.Roster.Import(ImportRequest{FileName: "a.csv", Data: sample(t, "participants-utf8bom.csv")})
	before, _ := svc.Roster.List(ParticipantQuery{})
	for name, data := range map[string][]byte{
		"broken.xlsx": []byte("PK\x03\x04garbage"),
		"old.xls":     {0xD0, 0xCF, 0x11, 0xE0, 1, 2, 3},
		"noname.csv":  []byte("单位,手机\n某公司,13800000000\n"),
	} {
		if _, err := svc.Roster.Import(ImportRequest{FileName: name, Data: data}); err == nil {
			t.Errorf("%s: imported without error", name)
		}
	}
	after, _ := svc.Roster.List(ParticipantQuery{})
	if after.Total != before.Total {
		t.Fatalf("bad files changed the roster: %d -> %d", before.Total, after.Total)
	}
}

func TestManualEditsAndDedup(t *testing.T) {
	svc, ws, _ := newTestServices(t)
	createEvent(t, svc)
	p, err := svc.Roster.Save(model.Participant{Name: " 张三 ", Org: "青岛大学", Mobile: "+86 138-0000-1111", Role: model.RoleUniversity})
	if err != nil {
		t.Fatal(err)
	}
	if p.ID == "" || p.Name != "张三" || p.Mobile != "13800001111" || p.OrgID == "" {
		t.Fatalf("saved %+v", p)
	}
	if _, err := svc.Roster.Save(model.Participant{Name: "张三", Mobile: "13800001111"}); err == nil || !strings.Contains(err.Error(), "已有同一人") {
		t.Fatalf("second 张三 with same mobile: %v", err)
	}
	if _, err := svc.Roster.Save(model.Participant{Name: "李四", Mobile: "12345"}); err == nil || !strings.Contains(err.Error(), "手机号") {
		t.Fatalf("bad mobile: %v", err)
	}
	p.Title = "教授"
	if _, err := svc.Roster.Save(*p); err != nil {
		t.Fatal(err)
	}
	page, _ := svc.Roster.List(ParticipantQuery{Text: "1111"})
	if page.Total != 1 || page.Items[0].Title != "教授" {
		t.Fatalf("search by mobile tail: %+v", page)
	}
	// Edits survive closing and reopening the file.
	path := ws.store.Path()
	ws.CloseEvent()
	if _, err := svc.Event.Open(path); err != nil {
		t.Fatal(err)
	}
	got, err := svc.Roster.Get(p.ID)
	if err != nil || got.Title != "教授" {
		t.Fatalf("after reopen: %+v %v", got, err)
	}
	if err := svc.Roster.Delete(p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Roster.Get(p.ID); err == nil {
		t.Fatal("deleted participant still found")
	}
}

func TestExportMasksContactsUnlessAsked(t *testing.T) {
	svc, _, _ := newTestServices(t)
	createEvent(t, svc)
	check, _ := model.CreditCodeCheckChar("91370100MA3C12345")
	credit := "91370100MA3C12345" + string(check)
	if _, err := svc.Roster.Save(model.Participant{Name: "王五", Org: "某公司", Mobile: "13912345678", Email: "wangwu@example.cn", CreditCode: credit}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		unmasked            bool
		want, email, credit string
	}{{false, "139****5678", "w***@example.cn", "913701**********" + credit[16:]}, {true, "13912345678", "wangwu@example.cn", credit}} {
		raw, err := svc.Roster.Export(ExportRequest{Unmasked: tc.unmasked})
		if err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("参会人")
		if len(rows) != 2 || rows[1][1] != "王五" || rows[1][4] != tc.want || rows[1][5] != tc.email || rows[1][8] != tc.credit {
			t.Fatalf("unmasked=%v rows %v", tc.unmasked, rows)
		}
	}
}

// A page of the app can save only the kinds of file the screens make, only
// in the exports folder, readable by the user alone; and a table that
// reaches Excel as CSV never carries a live formula.
func TestExportsAreConfinedAndInert(t *testing.T) {
	svc, ws, _ := newTestServices(t)
	createEvent(t, svc)
	for _, name := range []string{"../../evil.pdf", `..\..\evil.pdf`, "/etc/passwd.pdf"} {
		path, err := svc.Event.SaveExport(name, []byte("%PDF-1.4"))
		if err != nil {
			continue // refused is as good as confined
		}
		if filepath.Dir(path) != filepath.Join(ws.dataDir, "导出") {
			t.Errorf("%q saved at %s, outside the exports folder", name, path)
		}
		if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
			t.Errorf("%s is %v, want 0600", path, info.Mode().Perm())
		}
	}
	for _, name := range []string{"run.exe", "x.lnk", "a.desktop", "lib.dll", ".bashrc", "noext", "x.pdf.bat"} {
		if _, err := svc.Event.SaveExport(name, []byte("MZ")); err == nil {
			t.Errorf("%q was saved", name)
		}
	}
	got := string(csvBytes([][]string{{"=HYPERLINK(\"http://x\",\"点我\")", "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "\tx", "-12.5", "正常"}}))
	want := "\ufeff\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",'+cmd|' /C calc'!A0,'@SUM(1),'-2+3,'\tx,-12.5,正常\n"
	if got != want {
		t.Errorf("csv\n got %q\nwant %q", got, want)
	}
}

func TestCallsWithoutEventSayWhatToDo(t *testing.T) {
	svc, _, _ := newTestServices(t)
	if _, err := svc.Roster.List(ParticipantQuery{}); err != ErrNoEvent {
		t.Fatalf("want ErrNoEvent, got %v", err)
	}
	if info, err := svc.Event.Current(); info != nil || err != nil {
		t.Fatalf("Current with no event: %v %v", info, err)
	}
	if _, err := svc.Event.Create(EventInput{Name: "", StartDate: "2026-05-20"}); err == nil {
		t.Fatal("event without a name accepted")
	}
	if _, err := svc.Event.Create(EventInput{Name: "x", StartDate: "2026-13-40"}); err == nil {
		t.Fatal("impossible date accepted")
	}
}

// A new event is a small file to copy to a USB stick or a station: it
// was 16.8 MB of bbolt growth before it held anything.
func TestANewEventFileIsSmall(t *testing.T) {
	dir := t.TempDir()
	a := New(Options{Context: context.Background(), DataDir: dir})
	info, err := a.Services.Event.Create(EventInput{Name: "空活动", StartDate: "2027-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Workspace.CloseEvent(); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(info.Path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() > 1<<20 {
		t.Fatalf("a new, empty event takes %d bytes, want ≤ 1 MB", st.Size())
	}
}
