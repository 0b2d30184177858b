package pdf

import (
	"fmt"
	"io"
)

// CaseStudy is one signed deal told as a 典型案例: a page an organizer
// hands to the press office or pastes into a report.
type CaseStudy struct {
	Event, When, Place string // the event, its date, where
	Title              string // what was agreed on
	Facts              [][2]string
	Story              string // 案例简介
	NextStep           string // 下一步
}

// CaseStudies writes one A4 page per case.
func CaseStudies(w io.Writer, cases []CaseStudy) error {
	doc, err := newA4("典型案例", false)
	if err != nil {
		return fmt.Errorf("load case font: %w", err)
	}
	for i, c := range cases {
		newBandPage(doc, "典型案例", c.Event)
		doc.SetTextColor(20, 20, 20)
		doc.SetFont(fontFamily, "", 20)
		y := 30.0
		for _, ln := range lines(doc, Printable(c.Title), 182, 3) {
			doc.Text(14, y, ln)
			y += 9
		}
		doc.SetFont(fontFamily, "", 10)
		doc.SetTextColor(100, 100, 100)
		doc.Text(14, y, line(doc, Printable(c.When+" · "+c.Place), 182))
		y += 8
		// The facts, one ruled row each.
		for k, f := range c.Facts {
			if k%2 == 0 {
				doc.SetFillColor(248, 240, 238)
				doc.Rect(14, y, 182, 9, "F")
			}
			doc.SetTextColor(120, 120, 120)
			doc.SetFont(fontFamily, "", 9.5)
			doc.Text(17, y+6, Printable(f[0]))
			doc.SetTextColor(20, 20, 20)
			doc.SetFont(fontFamily, "", 10.5)
			doc.Text(50, y+6, line(doc, Printable(f[1]), 144))
			y += 9
		}
		y += 6
		next := func() float64 { doc.AddPage(); return 24 }
		y = drawParagraph(doc, Paragraph{Title: "案例简介", Text: c.Story}, y, next)
		if c.NextStep != "" {
			drawParagraph(doc, Paragraph{Title: "下一步", Text: c.NextStep}, y, next)
		}
		doc.SetTextColor(150, 150, 150)
		doc.SetFont(fontFamily, "", 8)
		doc.Text(14, 290, fmt.Sprintf("赋智会务台 · 典型案例 %d / %d", i+1, len(cases)))
	}
	if err := doc.Error(); err != nil {
		return fmt.Errorf("draw case studies: %w", err)
	}
	return doc.Output(w)
}
