package pdf

import (
	"fmt"
	"io"
	"strconv"

	"github.com/go-pdf/fpdf"
)

// AgendaItem is one meeting on a person's agenda.
type AgendaItem struct {
	Time        string // "14:00–14:20"
	Table       string
	Counterpart string
	Org         string
	Topic       string
}

// Agenda is one person's page.
type Agenda struct {
	Name  string
	Org   string
	Code  string // their badge code, as QR: staff scan it to find the person's day
	Items []AgendaItem
	// Programme is the day's programme, printed under the meetings as far
	// as the page holds it; Mine marks the sessions the person is on stage in.
	Programme []ProgrammeLine
}

// ProgrammeLine is one session of the programme on an agenda.
type ProgrammeLine struct {
	Time, Kind, Title, Room string
	Mine                    string // "路演 09:38", "嘉宾", "主持"; empty when not on stage
}

func newA4(title string, landscape bool) (*document, error) {
	o := "P"
	if landscape {
		o = "L"
	}
	doc := fpdf.New(o, "mm", "A4", "")
	doc.SetAutoPageBreak(false, 0)
	doc.SetTitle(Printable(title), true)
	doc.SetCreator("赋智会务台 Fuzhi Event Desk", true)
	return newDocument(doc)
}

// Agendas writes one A4 page per person with their meetings in time order.
func Agendas(w io.Writer, eventName, sessionTitle string, agendas []Agenda) error {
	if len(agendas) == 0 {
		return fmt.Errorf("没有可打印的日程")
	}
	doc, err := newA4("洽谈日程 "+eventName, false)
	if err != nil {
		return fmt.Errorf("load agenda font: %w", err)
	}
	enc := newQREncoder()
	for i, a := range agendas {
		doc.AddPage()
		doc.SetFillColor(192, 57, 43)
		doc.Rect(0, 0, 210, 16, "F")
		doc.SetTextColor(255, 255, 255)
		doc.SetFont(fontFamily, "", 11)
		for j, ln := range lines(doc, Printable(eventName), 150, 1) {
			doc.Text(14, 10+float64(j)*5, ln)
		}
		doc.SetTextColor(20, 20, 20)
		doc.SetFont(fontFamily, "", 22)
		doc.Text(14, 32, nameOf(Badge{Name: a.Name}))
		doc.SetFont(fontFamily, "", 12)
		doc.SetTextColor(90, 90, 90)
		doc.Text(14, 40, Printable(a.Org))
		doc.Text(14, 47, line(doc, Printable(sessionTitle)+" · 共 "+strconv.Itoa(len(a.Items))+" 场洽谈", 152))
		if a.Code != "" {
			img, err := qrImage(doc, enc, fmt.Sprintf("aq%d", i), a.Code)
			if err != nil {
				return err
			}
			doc.ImageOptions(img, 168, 20, 28, 28, false, fpdf.ImageOptions{}, 0, "")
		}
		// Table of meetings.
		y := 58.0
		doc.SetFillColor(241, 245, 249)
		doc.Rect(14, y, 182, 9, "F")
		doc.SetTextColor(60, 60, 60)
		doc.SetFont(fontFamily, "", 10)
		for _, c := range []struct {
			x float64
			s string
		}{{16, "时间"}, {48, "洽谈桌"}, {72, "对接方"}, {140, "主题"}} {
			doc.Text(c.x, y+6, c.s)
		}
		y += 9
		for _, it := range a.Items {
			if y > 280 {
				break
			}
			doc.SetTextColor(20, 20, 20)
			doc.SetFont(fontFamily, "", 11)
			doc.Text(16, y+7, it.Time)
			doc.Text(48, y+7, Printable(it.Table))
			doc.Text(72, y+6, Printable(it.Counterpart))
			doc.SetFont(fontFamily, "", 8.5)
			doc.SetTextColor(100, 100, 100)
			if org := lines(doc, Printable(it.Org), 64, 1); len(org) > 0 {
				doc.Text(72, y+10.5, org[0])
			}
			for j, ln := range lines(doc, Printable(it.Topic), 54, 2) {
				doc.Text(140, y+6+float64(j)*4, ln)
			}
			doc.SetDrawColor(230, 230, 230)
			doc.Line(14, y+13, 196, y+13)
			y += 13
		}
		if len(a.Items) == 0 {
			doc.SetTextColor(120, 120, 120)
			doc.SetFont(fontFamily, "", 12)
			doc.Text(16, y+10, "暂无安排的洽谈")
			y += 14
		}
		drawProgramme(doc, a.Programme, y+8)
		doc.SetTextColor(150, 150, 150)
		doc.SetFont(fontFamily, "", 8)
		doc.Text(14, 290, "请提前 5 分钟到达洽谈桌；如需调整，请联系对接区工作人员。")
		if err := doc.Error(); err != nil {
			return fmt.Errorf("agenda %d (%s): %w", i+1, a.Name, err)
		}
	}
	return doc.Output(w)
}

// TableTent is one folded card standing on a table.
type TableTent struct {
	Label string // "12 号桌"
	Owner string // exhibitor's organization, for fixed tables
}

// TableTents writes one A4 landscape page per table, printed twice
// (upside down on the top half) so the card reads from both sides when folded.
func TableTents(w io.Writer, eventName string, tents []TableTent) error {
	if len(tents) == 0 {
		return fmt.Errorf("没有洽谈桌")
	}
	doc, err := newA4("桌卡 "+eventName, true)
	if err != nil {
		return fmt.Errorf("load tent font: %w", err)
	}
	for _, t := range tents {
		doc.AddPage()
		// The bottom half is drawn as it reads; the top half is the same
		// drawing placed in the top half and turned 180° about its centre.
		for half := 0; half < 2; half++ {
			top := 105.0
			if half == 0 {
				top = 0
				doc.TransformBegin()
				doc.TransformRotate(180, 148.5, 52.5)
			}
			label := Printable(t.Label)
			doc.SetTextColor(20, 20, 20)
			doc.SetFont(fontFamily, "", 12) // fpdf panics if a size is set before any font
			fit(doc, label, 260, 90, 30)
			centered(doc, label, 0, top+45, 297)
			if t.Owner != "" {
				doc.SetFont(fontFamily, "", 22)
				doc.SetTextColor(90, 90, 90)
				centered(doc, Printable(t.Owner), 0, top+65, 297)
			}
			doc.SetFont(fontFamily, "", 12)
			doc.SetTextColor(150, 150, 150)
			centered(doc, Printable(eventName)+" · 供需对接", 0, top+92, 297)
			if half == 0 {
				doc.TransformEnd()
			}
		}
		doc.SetDrawColor(200, 200, 200)
		doc.SetDashPattern([]float64{2, 2}, 0)
		doc.Line(10, 105, 287, 105)
		doc.SetDashPattern([]float64{}, 0)
	}
	return doc.Output(w)
}

// drawProgramme prints the day's programme from y down, one line a session,
// as many as the page holds above its footer.
func drawProgramme(doc *document, list []ProgrammeLine, y float64) {
	if len(list) == 0 || y > 266 {
		return
	}
	doc.SetTextColor(20, 20, 20)
	doc.SetFont(fontFamily, "", 12)
	doc.Text(14, y+5, "会议议程")
	y += 9
	for i, p := range list {
		if y > 280 {
			doc.SetTextColor(120, 120, 120)
			doc.SetFont(fontFamily, "", 9)
			doc.Text(16, y+2, fmt.Sprintf("…… 另有 %d 个环节，见会场议程大屏", len(list)-i))
			return
		}
		if p.Mine != "" {
			doc.SetFillColor(248, 240, 238)
			doc.Rect(14, y, 182, 7, "F")
		}
		doc.SetTextColor(20, 20, 20)
		doc.SetFont(fontFamily, "", 9.5)
		doc.Text(16, y+5, p.Time)
		doc.SetTextColor(192, 57, 43)
		doc.Text(44, y+5, line(doc, Printable(p.Kind), 22))
		doc.SetTextColor(20, 20, 20)
		doc.Text(68, y+5, line(doc, Printable(p.Title), 74))
		doc.SetTextColor(100, 100, 100)
		doc.Text(144, y+5, line(doc, Printable(p.Room), 26))
		if p.Mine != "" {
			doc.SetTextColor(192, 57, 43)
			doc.Text(172, y+5, line(doc, Printable(p.Mine), 24))
		}
		y += 7
	}
}
