package app

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/fuzhi/eventdesk/app/pdf"
	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/hub"
)

// SummaryService makes the post-event summary: on screen, as a PDF report
// and as a workbook. The figures are those the special action counts:
// attendance, meetings held, intended cooperations, signed deals and their
// amounts by transfer mode, industry chains, roadshows.
type SummaryService struct{ ws *Workspace }

// NewSummaryService binds the service to a workspace.
func NewSummaryService(ws *Workspace) *SummaryService { return &SummaryService{ws: ws} }

// ModeFigure is one transfer mode's deals.
type ModeFigure struct {
	Mode     string  `json:"mode"`
	Label    string  `json:"label"`
	Intended int     `json:"intended"`
	Signed   int     `json:"signed"`
	Amount   float64 `json:"amount"` // 万元
}

// ChainFigure is one industry chain's matchmaking.
type ChainFigure struct {
	Chain    string  `json:"chain"`
	Meetings int     `json:"meetings"`
	Held     int     `json:"held"`
	Intended int     `json:"intended"`
	Signed   int     `json:"signed"`
	Amount   float64 `json:"amount"`
}

// Roadshow is one achievement presented at the event.
type Roadshow struct {
	Title     string `json:"title"`
	Owner     string `json:"owner"`
	Chain     string `json:"chain"`
	TRL       int    `json:"trl"`
	Modes     string `json:"modes"`
	Presenter string `json:"presenter,omitempty"`
	Meetings  int    `json:"meetings"`
}

// Summary is the whole post-event report.
type Summary struct {
	Event       model.Event   `json:"event"`
	Generated   string        `json:"generated"`
	Expected    int           `json:"expected"`
	Arrived     int           `json:"arrived"`
	WalkIns     int           `json:"walkIns"`
	ByRole      []RoleArrival `json:"byRole"`
	ByHour      []BucketCount `json:"byHour"`
	Scheduled   int           `json:"scheduled"`
	Held        int           `json:"held"`
	NoShow      int           `json:"noShow"`
	Spontaneous int           `json:"spontaneous"`
	Funnel      []BucketCount `json:"funnel"` // meetings → held → outcome recorded → possible+ → agreement → signed
	Intended    int           `json:"intended"`
	Signed      int           `json:"signed"`
	Amount      float64       `json:"amount"`
	ByMode      []ModeFigure  `json:"byMode"`
	TopChains   []ChainFigure `json:"topChains"`
	Roadshows   []Roadshow    `json:"roadshows"`
	Leads       int           `json:"leads"`
	Exhibitors  int           `json:"exhibitors"`
}

var modeLabels = map[model.TransferMode]string{
	model.TransferAssignment: "转让", model.TransferLicense: "许可", model.TransferEquity: "作价入股",
	model.TransferJointDev: "合作开发", model.TransferService: "技术服务",
}

// Summary computes the figures from the event file.
func (s *SummaryService) Summary() (*Summary, error) {
	st, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	d, err := NewCheckinService(s.ws).Dashboard()
	if err != nil {
		return nil, err
	}
	s.ws.mu.RLock()
	sum := &Summary{Event: s.ws.event, Generated: s.ws.now().Format(time.RFC3339)}
	s.ws.mu.RUnlock()
	sum.Expected, sum.Arrived, sum.WalkIns, sum.ByRole = d.Expected, d.Arrived, d.WalkIns, d.ByRole
	hours := map[string]int{}
	for _, q := range d.ByQuarter {
		if len(q.Label) >= 2 {
			hours[q.Label[:2]+":00"] += q.Count
		}
	}
	sum.ByHour = sortedBuckets(hours)

	meetings, err := listView[model.Meeting](s.ws, store.KindMeeting)
	if err != nil {
		return nil, err
	}
	outcomes, err := listView[model.Outcome](s.ws, store.KindOutcome)
	if err != nil {
		return nil, err
	}
	byMeeting := map[string]model.Outcome{}
	for _, o := range outcomes {
		byMeeting[o.Meeting] = o
	}
	chains := map[string]*ChainFigure{}
	chainOf := func(m model.Meeting) string {
		for _, id := range []string{m.From, m.To} {
			if p, ok := roster.get(id); ok && p.Chain != "" {
				return p.Chain
			}
		}
		if len(sum.Event.Chains) > 0 {
			return sum.Event.Chains[0]
		}
		return "未填写"
	}
	modes := map[model.TransferMode]*ModeFigure{}
	for _, m := range []model.TransferMode{model.TransferAssignment, model.TransferLicense, model.TransferEquity, model.TransferJointDev, model.TransferService} {
		modes[m] = &ModeFigure{Mode: string(m), Label: modeLabels[m]}
	}
	perPerson := map[string]int{}
	recorded, possible, agreement := 0, 0, 0
	for _, m := range meetings {
		if m.Status == "cancelled" {
			continue
		}
		sum.Scheduled++
		perPerson[m.From]++
		perPerson[m.To]++
		c := chainOf(m)
		if chains[c] == nil {
			chains[c] = &ChainFigure{Chain: c}
		}
		cf := chains[c]
		cf.Meetings++
		switch m.Status {
		case "held":
			sum.Held++
			cf.Held++
		case "no_show":
			sum.NoShow++
		}
		if m.Spontaneous {
			sum.Spontaneous++
		}
		o, ok := byMeeting[m.ID]
		if !ok {
			continue
		}
		recorded++
		if o.Result == "possible" || o.Result == "agreement" {
			possible++
		}
		if o.Result == "agreement" {
			agreement++
		}
		if o.Intended {
			sum.Intended++
			cf.Intended++
			if mf := modes[o.Mode]; mf != nil {
				mf.Intended++
			}
		}
		if o.Signed {
			sum.Signed++
			sum.Amount += o.Amount
			cf.Signed++
			cf.Amount += o.Amount
			if mf := modes[o.Mode]; mf != nil {
				mf.Signed++
				mf.Amount += o.Amount
			}
		}
	}
	sum.Funnel = []BucketCount{{"安排洽谈", sum.Scheduled}, {"实际洽谈", sum.Held}, {"记录成效", recorded}, {"有合作可能", possible},
		{"达成协议", agreement}, {"已签约", sum.Signed}}
	for _, m := range []model.TransferMode{model.TransferAssignment, model.TransferLicense, model.TransferEquity, model.TransferJointDev, model.TransferService} {
		sum.ByMode = append(sum.ByMode, *modes[m])
	}
	for _, c := range chains {
		sum.TopChains = append(sum.TopChains, *c)
	}
	sort.Slice(sum.TopChains, func(i, j int) bool {
		a, b := sum.TopChains[i], sum.TopChains[j]
		if a.Amount != b.Amount {
			return a.Amount > b.Amount
		}
		if a.Meetings != b.Meetings {
			return a.Meetings > b.Meetings
		}
		return a.Chain < b.Chain
	})
	if len(sum.TopChains) > 10 {
		sum.TopChains = sum.TopChains[:10]
	}
	achievements, err := listView[model.Achievement](s.ws, store.KindAchievement)
	if err != nil {
		return nil, err
	}
	for _, a := range achievements {
		r := Roadshow{Title: a.Title, Owner: a.Owner, Chain: a.Chain, TRL: a.TRL}
		for i, m := range a.TransferModes {
			if i > 0 {
				r.Modes += "、"
			}
			r.Modes += modeLabels[m]
		}
		if p, ok := roster.get(a.OwnerID); ok {
			r.Presenter, r.Meetings = p.Name, perPerson[p.ID]
		}
		sum.Roadshows = append(sum.Roadshows, r)
	}
	sort.Slice(sum.Roadshows, func(i, j int) bool {
		if sum.Roadshows[i].Meetings != sum.Roadshows[j].Meetings {
			return sum.Roadshows[i].Meetings > sum.Roadshows[j].Meetings
		}
		return sum.Roadshows[i].Title < sum.Roadshows[j].Title
	})
	leads, err := hub.LeadsOf(st, "")
	if err != nil {
		return nil, err
	}
	ex := map[string]bool{}
	for _, l := range leads {
		ex[l.Exhibitor] = true
	}
	sum.Leads, sum.Exhibitors = len(leads), len(ex)
	return sum, nil
}

func wan(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// tables are the summary's tables, shared by the workbook and the package CSVs.
func (s *Summary) tables() map[string][][]string {
	t := map[string][][]string{}
	t["总览"] = [][]string{{"指标", "数值"},
		{"报名人数", strconv.Itoa(s.Expected)}, {"到场人数", strconv.Itoa(s.Arrived)}, {"现场注册", strconv.Itoa(s.WalkIns)},
		{"安排洽谈", strconv.Itoa(s.Scheduled)}, {"实际洽谈", strconv.Itoa(s.Held)}, {"未到场", strconv.Itoa(s.NoShow)},
		{"合作意向", strconv.Itoa(s.Intended)}, {"签约项目", strconv.Itoa(s.Signed)}, {"签约金额（万元）", wan(s.Amount)},
		{"展位线索", strconv.Itoa(s.Leads)}, {"参与展商", strconv.Itoa(s.Exhibitors)}}
	role := [][]string{{"参会类型", "报名", "到场"}}
	for _, r := range s.ByRole {
		role = append(role, []string{r.Label, strconv.Itoa(r.Expected), strconv.Itoa(r.Arrived)})
	}
	t["按类型到场"] = role
	hour := [][]string{{"时段", "到场"}}
	for _, b := range s.ByHour {
		hour = append(hour, []string{b.Label, strconv.Itoa(b.Count)})
	}
	t["按小时到场"] = hour
	funnel := [][]string{{"环节", "数量"}}
	for _, b := range s.Funnel {
		funnel = append(funnel, []string{b.Label, strconv.Itoa(b.Count)})
	}
	t["对接漏斗"] = funnel
	mode := [][]string{{"转化方式", "合作意向", "签约", "金额（万元）"}}
	for _, m := range s.ByMode {
		mode = append(mode, []string{m.Label, strconv.Itoa(m.Intended), strconv.Itoa(m.Signed), wan(m.Amount)})
	}
	t["按转化方式"] = mode
	chain := [][]string{{"产业链", "洽谈", "已洽谈", "意向", "签约", "金额（万元）"}}
	for _, c := range s.TopChains {
		chain = append(chain, []string{c.Chain, strconv.Itoa(c.Meetings), strconv.Itoa(c.Held), strconv.Itoa(c.Intended), strconv.Itoa(c.Signed), wan(c.Amount)})
	}
	t["按产业链"] = chain
	rs := [][]string{{"成果", "单位", "产业链", "成熟度", "转化方式", "路演人", "洽谈场次"}}
	for _, r := range s.Roadshows {
		rs = append(rs, []string{r.Title, r.Owner, r.Chain, strconv.Itoa(r.TRL), r.Modes, r.Presenter, strconv.Itoa(r.Meetings)})
	}
	t["路演成果"] = rs
	return t
}

var tableOrder = []string{"总览", "按类型到场", "按小时到场", "对接漏斗", "按转化方式", "按产业链", "路演成果"}

func csvBytes(rows [][]string) []byte {
	var buf bytes.Buffer
	buf.WriteString("\ufeff") // Excel opens UTF-8 CSV correctly only with a BOM
	w := csv.NewWriter(&buf)
	_ = w.WriteAll(rows)
	return buf.Bytes()
}

// SummaryXLSX is the workbook with every table of the summary.
func (s *SummaryService) SummaryXLSX() ([]byte, error) {
	sum, err := s.Summary()
	if err != nil {
		return nil, err
	}
	f := excelize.NewFile()
	defer f.Close()
	tables := sum.tables()
	for i, name := range tableOrder {
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
			{Label: "合作意向", Value: strconv.Itoa(sum.Intended), Note: ""}, {Label: "签约", Value: strconv.Itoa(sum.Signed), Note: wan(sum.Amount) + " 万元"}, {Label: "展位线索", Value: strconv.Itoa(sum.Leads), Note: fmt.Sprintf("%d 家展商", sum.Exhibitors)}}}
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
		mode.Bars = append(mode.Bars, pdf.Bar{Label: m.Label, Value: m.Amount, Note: fmt.Sprintf("%d 项 · %s 万元", m.Signed, wan(m.Amount))})
	}
	chains := pdf.Chart{Title: "产业链对接（洽谈场次）"}
	for _, c := range sum.TopChains {
		chains.Bars = append(chains.Bars, pdf.Bar{Label: c.Chain, Value: float64(c.Meetings), Note: fmt.Sprintf("%d 场 · 意向 %d · 签约 %d", c.Meetings, c.Intended, c.Signed)})
	}
	r.Charts = []pdf.Chart{role, hour, funnel, mode, chains}
	t := sum.tables()["路演成果"]
	r.Table = pdf.Table{Title: "路演成果", Header: t[0], Rows: t[1:], Widths: []float64{58, 36, 22, 14, 24, 18, 14}}
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

func venueClock(rfc string) string {
	t, err := time.Parse(time.RFC3339, rfc)
	if err != nil {
		return rfc
	}
	return t.Format("2006-01-02 15:04")
}
