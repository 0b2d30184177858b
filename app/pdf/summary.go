package pdf

import (
	"fmt"
	"io"
	"math"
	"strconv"
)

// KPI is one headline figure of the summary report.
type KPI struct {
	Label, Value, Note string
}

// Bar is one bar of a chart; Of, when set, is drawn behind as the whole
// (arrived of expected).
type Bar struct {
	Label string
	Value float64
	Of    float64
	Note  string
}

// Chart is a horizontal bar chart with a title.
type Chart struct {
	Title string
	Bars  []Bar
}

// Table is a simple ruled table that continues onto new pages.
type Table struct {
	Title  string
	Header []string
	Rows   [][]string
	Widths []float64 // mm, summing to at most 182
}

// Paragraph is a titled paragraph of prose, wrapped to the page.
type Paragraph struct {
	Title, Text string
}

// Report is the post-event summary.
type Report struct {
	Title, Subtitle, Generated string
	KPIs                       []KPI
	Charts                     []Chart
	// Narrative is the prose after the headline figures (活动概况,
	// 主要成效).
	Narrative []Paragraph
	// Tables follow the charts (the roadshows presented, the challenges);
	// an empty one is left out.
	Tables []Table
}

// Summary writes the report: headline figures, one chart per measure,
// then the tables. Everything is drawn with rectangles and the
// embedded CJK font, so it prints the same on any machine.
func Summary(w io.Writer, r Report) error {
	doc, err := newA4("活动总结 "+r.Title, false)
	if err != nil {
		return fmt.Errorf("load summary font: %w", err)
	}
	page := 0
	header := func() {
		page++
		newBandPage(doc, "活动总结", r.Title)
		doc.SetTextColor(150, 150, 150)
		doc.SetFont(fontFamily, "", 8)
		doc.Text(14, 290, "赋智会务台 · 生成于 "+Printable(r.Generated))
		doc.Text(186, 290, "第 "+strconv.Itoa(page)+" 页")
	}
	header()
	doc.SetTextColor(20, 20, 20)
	doc.SetFont(fontFamily, "", 18)
	y := 26.0
	for _, ln := range lines(doc, Printable(r.Title), 182, 2) {
		doc.Text(14, y, ln)
		y += 8
	}
	doc.SetFont(fontFamily, "", 10)
	doc.SetTextColor(100, 100, 100)
	doc.Text(14, y, Printable(r.Subtitle))
	y += 8
	// Headline figures: one box each.
	if n := len(r.KPIs); n > 0 {
		bw := 182.0 / float64(n)
		for i, k := range r.KPIs {
			x := 14 + float64(i)*bw
			doc.SetFillColor(248, 240, 238)
			doc.Rect(x+1, y, bw-2, 24, "F")
			doc.SetTextColor(120, 120, 120)
			doc.SetFont(fontFamily, "", 9)
			doc.Text(x+4, y+6, Printable(k.Label))
			doc.SetTextColor(192, 57, 43)
			doc.SetFont(fontFamily, "", 18)
			doc.Text(x+4, y+15, Printable(k.Value))
			doc.SetTextColor(120, 120, 120)
			doc.SetFont(fontFamily, "", 7.5)
			doc.Text(x+4, y+21, line(doc, Printable(k.Note), bw-6))
		}
		y += 32
	}
	for _, p := range r.Narrative {
		y = drawParagraph(doc, p, y, func() float64 { header(); return 24 })
	}
	for _, c := range r.Charts {
		h := 10 + 7*float64(max(1, len(c.Bars)))
		if y+h > 280 {
			header()
			y = 24
		}
		y = drawChart(doc, c, y)
	}
	for _, t := range r.Tables {
		if len(t.Rows) == 0 {
			continue
		}
		if y > 240 {
			header()
			y = 24
		}
		y = drawTable(doc, t, y, func() float64 { header(); return 24 }) + 6
	}
	if err := doc.Error(); err != nil {
		return fmt.Errorf("draw summary: %w", err)
	}
	return doc.Output(w)
}

func drawChart(doc *document, c Chart, y float64) float64 {
	doc.SetTextColor(20, 20, 20)
	doc.SetFont(fontFamily, "", 12)
	doc.Text(14, y+5, Printable(c.Title))
	y += 9
	if len(c.Bars) == 0 {
		doc.SetFont(fontFamily, "", 9)
		doc.SetTextColor(150, 150, 150)
		doc.Text(14, y+4, "（暂无数据）")
		return y + 12
	}
	top := 0.0
	for _, b := range c.Bars {
		top = math.Max(top, math.Max(b.Value, b.Of))
	}
	if top == 0 {
		top = 1
	}
	const labelW, barX, barW = 34.0, 50.0, 100.0
	doc.SetFont(fontFamily, "", 9)
	for _, b := range c.Bars {
		doc.SetTextColor(60, 60, 60)
		doc.Text(14, y+4, line(doc, Printable(b.Label), labelW))
		if b.Of > 0 {
			doc.SetFillColor(235, 235, 235)
			doc.Rect(barX, y, barW*b.Of/top, 5, "F")
		}
		doc.SetFillColor(192, 57, 43)
		if w := barW * b.Value / top; w > 0 {
			doc.Rect(barX, y, math.Max(w, 0.6), 5, "F")
		}
		note := b.Note
		if note == "" {
			note = strconv.FormatFloat(b.Value, 'f', -1, 64)
			if b.Of > 0 {
				note += " / " + strconv.FormatFloat(b.Of, 'f', -1, 64)
			}
		}
		doc.SetTextColor(90, 90, 90)
		doc.Text(barX+barW+3, y+4, line(doc, Printable(note), 40))
		y += 7
	}
	return y + 5
}

func drawTable(doc *document, t Table, y float64, newPage func() float64) float64 {
	doc.SetTextColor(20, 20, 20)
	doc.SetFont(fontFamily, "", 12)
	doc.Text(14, y+5, Printable(t.Title))
	y += 9
	row := func(cells []string, fill bool) {
		x := 14.0
		if fill {
			doc.SetFillColor(241, 245, 249)
			doc.Rect(14, y, 182, 7, "F")
		}
		for i, c := range cells {
			w := 20.0
			if i < len(t.Widths) {
				w = t.Widths[i]
			}
			doc.Text(x+1, y+5, line(doc, Printable(c), w-2))
			x += w
		}
		y += 7
	}
	doc.SetFont(fontFamily, "", 8.5)
	doc.SetTextColor(60, 60, 60)
	row(t.Header, true)
	for _, r := range t.Rows {
		if y > 280 {
			y = newPage()
			doc.SetFont(fontFamily, "", 8.5)
			doc.SetTextColor(60, 60, 60)
			row(t.Header, true)
		}
		row(r, false)
	}
	return y
}

// line is s cut to one line of width w ("" stays "").
func line(doc *document, s string, w float64) string {
	if l := lines(doc, s, w, 1); len(l) > 0 {
		return l[0]
	}
	return ""
}

// drawParagraph writes a title and its text wrapped to the page width,
// going on to a new page when the page is full.
func drawParagraph(doc *document, p Paragraph, y float64, newPage func() float64) float64 {
	if y > 260 {
		y = newPage()
	}
	doc.SetTextColor(20, 20, 20)
	doc.SetFont(fontFamily, "", 12)
	doc.Text(14, y+5, Printable(p.Title))
	y += 10
	doc.SetFont(fontFamily, "", 10)
	doc.SetTextColor(50, 50, 50)
	for _, ln := range lines(doc, Printable(p.Text), 182, 1000) {
		if y > 282 {
			y = newPage()
			doc.SetFont(fontFamily, "", 10)
			doc.SetTextColor(50, 50, 50)
		}
		doc.Text(14, y, ln)
		y += 5.5
	}
	return y + 4
}

// newBandPage starts an A4 page under the red band that names the
// document and its event.
func newBandPage(doc *document, kind, event string) {
	doc.AddPage()
	doc.SetFillColor(192, 57, 43)
	doc.Rect(0, 0, 210, 14, "F")
	doc.SetTextColor(255, 255, 255)
	doc.SetFont(fontFamily, "", 10)
	doc.Text(14, 9, kind+" · "+line(doc, Printable(event), 150))
}
