package app

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/fuzhi/eventdesk/app/figures"
	"github.com/fuzhi/eventdesk/app/pdf"
	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/hub"
)

// SummaryService makes the post-event summary: on screen, as a PDF report
// and as a workbook. The figures are those the special action counts:
// attendance, meetings held, intended cooperations, signed deals and their
// amounts by transfer mode, industry chains, roadshows.
type SummaryService struct {
	ws        *Workspace
	checkin   *CheckinService
	match     *MatchService
	programme *ProgrammeService
}

// Summary computes the figures from the event file.
func (s *SummaryService) Summary() (*figures.Summary, error) {
	st, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	d, err := s.checkin.Dashboard()
	if err != nil {
		return nil, err
	}
	in := figures.Input{Arrivals: *d, Person: roster.get}
	s.ws.mu.RLock()
	in.Event, in.Generated = s.ws.event, s.ws.now().Format(time.RFC3339)
	s.ws.mu.RUnlock()
	if in.Meetings, err = listView(s.ws, store.Meetings); err != nil {
		return nil, err
	}
	if in.Outcomes, err = listView(s.ws, store.Outcomes); err != nil {
		return nil, err
	}
	if in.Achievements, err = listView(s.ws, store.Achievements); err != nil {
		return nil, err
	}
	chains, err := chainResolver(st)
	if err != nil {
		return nil, err
	}
	in.Chain = chains.resolve
	if in.Programme, err = listView(s.ws, store.Programme); err != nil {
		return nil, err
	}
	sortProgramme(in.Programme)
	if in.Requests, err = listView(s.ws, store.Requests); err != nil {
		return nil, err
	}
	if in.Scores, err = listView(s.ws, store.Scores); err != nil {
		return nil, err
	}
	if in.Demands, err = listView(s.ws, store.Demands); err != nil {
		return nil, err
	}
	if in.Responses, err = listView(s.ws, store.Responses); err != nil {
		return nil, err
	}
	if in.Leads, err = hub.LeadsOf(st, ""); err != nil {
		return nil, err
	}
	sum := figures.Summarize(in)
	return &sum, nil
}

// csvBytes writes rows as CSV for Excel. A cell that Excel would read as a
// formula (=, +, -, @, or a tab or return first) gets a leading ' so it
// shows as the text it is: a company named "=HYPERLINK(…)" or a note of
// "+cmd|…" must not run anything on the desk of whoever opens the table.
// Plain numbers, negative ones included, stay numbers.
func csvBytes(rows [][]string) []byte {
	var buf bytes.Buffer
	buf.WriteString("\ufeff") // Excel opens UTF-8 CSV correctly only with a BOM
	w := csv.NewWriter(&buf)
	for _, row := range rows {
		safe := make([]string, len(row))
		for i, c := range row {
			safe[i] = inertCell(c)
		}
		_ = w.Write(safe)
	}
	w.Flush()
	return buf.Bytes()
}

func inertCell(c string) string {
	if c == "" || !strings.ContainsRune("=+-@\t\r", rune(c[0])) {
		return c
	}
	if _, err := strconv.ParseFloat(c, 64); err == nil {
		return c
	}
	return "'" + c
}

// DetailSheets follow the summary's tables in the workbook: the record of
// who came and of every meeting (detail_sheets.go).
var DetailSheets = []string{"签到明细", "洽谈明细", "签约项目"}

// SummaryXLSX is the workbook with every table of the summary, then the
// record of the day (DetailSheets).
func (s *SummaryService) SummaryXLSX() ([]byte, error) {
	sum, err := s.Summary()
	if err != nil {
		return nil, err
	}
	arrivals, err := s.checkin.arrivalRows()
	if err != nil {
		return nil, err
	}
	meetings, signed, err := s.meetingRows()
	if err != nil {
		return nil, err
	}
	f := excelize.NewFile()
	defer f.Close()
	tables := sum.Tables()
	names := append(append([]string{}, figures.TableOrder...), DetailSheets...)
	tables[DetailSheets[0]], tables[DetailSheets[1]], tables[DetailSheets[2]] = arrivals, meetings, signed
	for i, name := range names {
		if i == 0 {
			f.SetSheetName("Sheet1", name)
		} else if _, err := f.NewSheet(name); err != nil {
			return nil, err
		}
		for r, row := range tables[name] {
			vals := make([]any, len(row))
			for c, v := range row {
				if n, err := strconv.ParseFloat(v, 64); err == nil && r > 0 && c > 0 {
					vals[c] = n
				} else {
					vals[c] = v
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(name, cell, &vals); err != nil {
				return nil, fmt.Errorf("summary workbook %s row %d: %w", name, r+1, err)
			}
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("summary workbook: %w", err)
	}
	return buf.Bytes(), nil
}

// SummaryPDF is the report in Chinese with charts.
func (s *SummaryService) SummaryPDF() ([]byte, error) {
	sum, err := s.Summary()
	if err != nil {
		return nil, err
	}
	r := pdf.Report{Title: sum.Event.Name, Subtitle: fmt.Sprintf("%s · %s%s · %s", dateRange(sum.Event), sum.Event.Province, sum.Event.City, sum.Event.Venue),
		Generated: venueClock(sum.Generated),
		KPIs: []pdf.KPI{{Label: "到场", Value: strconv.Itoa(sum.Arrived), Note: fmt.Sprintf("报名 %d", sum.Expected)}, {Label: "实际洽谈", Value: strconv.Itoa(sum.Held), Note: fmt.Sprintf("安排 %d · 未到 %d", sum.Scheduled, sum.NoShow)},
			{Label: "合作意向", Value: strconv.Itoa(sum.Intended), Note: ""}, {Label: "签约", Value: strconv.Itoa(sum.Signed), Note: figures.Wan(sum.Amount) + " 万元"}, {Label: "展位线索", Value: strconv.Itoa(sum.Leads), Note: fmt.Sprintf("%d 家展商", sum.Exhibitors)}}}
	role := pdf.Chart{Title: "按参会类型到场（到场 / 报名）"}
	for _, x := range sum.ByRole {
		if x.Expected > 0 {
			role.Bars = append(role.Bars, pdf.Bar{Label: x.Label, Value: float64(x.Arrived), Of: float64(x.Expected)})
		}
	}
	hour := pdf.Chart{Title: "按小时到场"}
	for _, b := range sum.ByHour {
		hour.Bars = append(hour.Bars, pdf.Bar{Label: b.Label, Value: float64(b.Count)})
	}
	funnel := pdf.Chart{Title: "对接成效漏斗"}
	for _, b := range sum.Funnel {
		funnel.Bars = append(funnel.Bars, pdf.Bar{Label: b.Label, Value: float64(b.Count)})
	}
	mode := pdf.Chart{Title: "按转化方式签约（项 · 万元）"}
	for _, m := range sum.ByMode {
		mode.Bars = append(mode.Bars, pdf.Bar{Label: m.Label, Value: m.Amount, Note: fmt.Sprintf("%d 项 · %s 万元", m.Signed, figures.Wan(m.Amount))})
	}
	chains := pdf.Chart{Title: "产业链对接（洽谈场次）"}
	for _, c := range sum.TopChains {
		chains.Bars = append(chains.Bars, pdf.Bar{Label: c.Chain, Value: float64(c.Meetings), Note: fmt.Sprintf("%d 场 · 意向 %d · 签约 %d", c.Meetings, c.Intended, c.Signed)})
	}
	conversion := pdf.Chart{Title: "合作意向跟踪转化（活动后 30/90/180 天回访）"}
	for _, b := range sum.Conversion {
		conversion.Bars = append(conversion.Bars, pdf.Bar{Label: b.Label, Value: float64(b.Count)})
	}
	intended, intendedAmount := 0, 0.0
	for _, f := range sum.Finance {
		intended, intendedAmount = intended+f.Intended, intendedAmount+f.IntendedAmount
	}
	finance := pdf.Chart{Title: fmt.Sprintf("产融对接签约（项 · 万元；与技术转化分开统计，意向 %d 项 %s 万元）", intended, figures.Wan(intendedAmount))}
	for _, f := range sum.Finance {
		finance.Bars = append(finance.Bars, pdf.Bar{Label: f.Label, Value: f.SignedAmount, Note: fmt.Sprintf("%d 项 · %s 万元", f.Signed, figures.Wan(f.SignedAmount))})
	}
	smes := pdf.Chart{Title: "服务中小企业（有洽谈的企业，家，按资质）"}
	for _, b := range sum.SMEsServed {
		smes.Bars = append(smes.Bars, pdf.Bar{Label: b.Label, Value: float64(b.Count)})
	}
	r.Charts = []pdf.Chart{role, hour, funnel, conversion, smes, mode, finance, chains}
	for _, p := range sum.Narrative {
		r.Narrative = append(r.Narrative, pdf.Paragraph{Title: p.Title, Text: p.Text})
	}
	tables := sum.Tables()
	rs, ch := tables["路演成果"], tables["发榜揭榜"]
	r.Tables = []pdf.Table{
		{Title: "路演成果（已路演项目）", Header: rs[0], Rows: rs[1:], Widths: []float64{48, 32, 20, 12, 22, 16, 10, 11, 11}},
		{Title: "发榜揭榜", Header: ch[0], Rows: ch[1:], Widths: []float64{62, 56, 24, 20, 20}},
	}
	var buf bytes.Buffer
	if err := pdf.Summary(&buf, r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func dateRange(e model.Event) string {
	if e.EndDate != "" && e.EndDate != e.StartDate {
		return e.StartDate + " 至 " + e.EndDate
	}
	return e.StartDate
}

func venueClock(rfc string) string { return model.VenueTime(rfc, "2006-01-02 15:04") }
