package app

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/fuzhi/eventdesk/app/figures"
	"github.com/fuzhi/eventdesk/model"
)

// heldDay publishes a small session on the demo event and records outcomes.
func heldDay(t testing.TB) *Services {
	t.Helper()
	svc, ws, _ := newTestServices(t)
	ws.SetClock(func() time.Time { return time.Date(2026, 5, 20, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)) })
	if _, err := svc.Event.OpenPractice(); err != nil {
		t.Fatal(err)
	}
	smes, _ := svc.Roster.List(ParticipantQuery{Role: "sme", Limit: 20})
	unis, _ := svc.Roster.List(ParticipantQuery{Role: "university", Limit: 6})
	svc.Match.SetupSession(SessionInput{Start: "2026-05-20 14:00", SlotMinutes: 20, Slots: 6, Tables: 10})
	// The morning's roadshow: two of its three talks reached the stage.
	rs := roadshowOf(t, svc, "2026-05-20T10:00", "2026-05-20T10:30", 3, 10)
	for range 2 {
		if _, err := svc.Programme.Advance(rs.ID); err != nil {
			t.Fatal(err)
		}
	}
	for i, s := range smes.Items {
		svc.Checkin.CheckIn(s.ID, "1")
		svc.Request.Create(s.ID, unis.Items[i%6].ID, "want", "", true)
	}
	if _, err := svc.Match.ScheduleAll(1); err != nil {
		t.Fatal(err)
	}
	svc.Match.Publish()
	ms, _ := svc.Match.Meetings()
	modes := []string{"assignment", "license", "equity"}
	for i, m := range ms {
		if i%5 == 4 {
			svc.Table.Mark(m.ID, "no_show")
			continue
		}
		svc.Table.Mark(m.ID, "held")
		o := OutcomeInputFor(m.ID, i, modes[i%3])
		if _, err := svc.Table.SaveOutcome(o); err != nil {
			t.Fatal(err)
		}
	}
	return svc
}

func TestSummaryFiguresPDFAndWorkbook(t *testing.T) {
	svc := heldDay(t)
	sum, err := svc.Summary.Summary()
	if err != nil {
		t.Fatal(err)
	}
	if sum.Arrived != 20 || sum.Held == 0 || sum.NoShow == 0 || sum.Signed == 0 || sum.Amount <= 0 {
		t.Fatalf("figures: arrived %d held %d no-show %d signed %d amount %v", sum.Arrived, sum.Held, sum.NoShow, sum.Signed, sum.Amount)
	}
	total := 0.0
	for _, m := range sum.ByMode {
		total += m.Amount
	}
	if total != sum.Amount || sum.ByMode[0].Label != "转让" || sum.ByMode[2].Label != "作价入股" {
		t.Fatalf("deals by mode do not add up: %+v", sum.ByMode)
	}
	if sum.Funnel[0].Count < sum.Funnel[1].Count || sum.Funnel[1].Count < sum.Funnel[len(sum.Funnel)-1].Count {
		t.Fatalf("the funnel widens: %+v", sum.Funnel)
	}
	pdfBytes, err := svc.Summary.SummaryPDF()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "summary.pdf")
	os.WriteFile(path, pdfBytes, 0o644)
	artifacts := filepath.Join("..", "artifacts")
	os.MkdirAll(artifacts, 0o755)
	os.WriteFile(filepath.Join(artifacts, "summary.pdf"), pdfBytes, 0o644)
	if _, err := exec.LookPath("pdftotext"); err == nil {
		out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := string(out)
		for _, want := range []string{"活动总结", "按参会类型到场", "对接成效漏斗", "按转化方式签约", "作价入股", "路演成果", "实际洽谈"} {
			if !strings.Contains(text, want) {
				t.Fatalf("the report lacks %q", want)
			}
		}
		exec.Command("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", path, filepath.Join(artifacts, "summary")).Run()
	}
	xlsx, err := svc.Summary.SummaryXLSX()
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(xlsx))
	if err != nil {
		t.Fatal(err)
	}
	for _, sheet := range figures.TableOrder {
		rows, err := f.GetRows(sheet)
		if err != nil || len(rows) < 2 {
			t.Fatalf("sheet %s: %d rows %v", sheet, len(rows), err)
		}
	}

	// The record of the day: who came, every meeting, the signed projects.
	arrivals, _ := f.GetRows("签到明细")
	if len(arrivals) != 1+sum.Arrived {
		t.Fatalf("签到明细 has %d rows for %d arrivals", len(arrivals)-1, sum.Arrived)
	}
	for i, r := range arrivals[1:] {
		if len(r) < 8 || r[4] != "1" || r[5] != "查找签到" || r[6] != "否" || !strings.HasPrefix(r[3], "2026-05-20 ") {
			t.Fatalf("签到明细 row %d: %q", i+2, r)
		}
		if i > 0 && r[3] < arrivals[i][3] {
			t.Fatalf("签到明细 is not in arrival order at row %d", i+2)
		}
	}
	meetings, _ := svc.Match.Meetings()
	detail, _ := f.GetRows("洽谈明细")
	if len(detail) != 1+len(meetings) {
		t.Fatalf("洽谈明细 has %d rows for %d meetings", len(detail)-1, len(meetings))
	}
	signed, _ := f.GetRows("签约项目")
	amount := 0.0
	for _, r := range signed[1:] {
		if r[0] == "" || r[2] == "" || r[1] == "" || r[3] == "" {
			t.Fatalf("a signed project without both parties: %q", r)
		}
		v, _ := strconv.ParseFloat(r[6], 64)
		amount += v
	}
	if len(signed)-1 != sum.Signed || amount != sum.Amount {
		t.Fatalf("签约项目: %d rows, %v 万元; the summary says %d, %v", len(signed)-1, amount, sum.Signed, sum.Amount)
	}
}

// OutcomeInputFor is a varied outcome: every third signed, with an amount.
func OutcomeInputFor(meeting string, i int, mode string) model.Outcome {
	results := []model.OutcomeResult{"no_interest", "possible", "agreement"}
	return model.Outcome{Meeting: meeting, Result: results[i%3], Intended: i%3 != 0, Mode: model.TransferMode(mode),
		Signed: i%3 == 2, Amount: float64(50 * (1 + i%3) * boolInt(i%3 == 2))}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
