package pdf

import (
	"fmt"
	"strings"
	"unicode/utf16"

	"github.com/go-pdf/fpdf"
)

// document is an fpdf document that draws text with the font chain: Text
// and GetStringWidth split a string into runs of one face each, and the
// fallback faces are added to the document the first time it needs them.
// Drawing code uses it exactly as it would use fpdf.
type document struct {
	*fpdf.Fpdf
	size  float64 // the size text is measured and drawn at next
	added map[string]bool
	// inFpdf is the face and size last selected in fpdf. fpdf writes a
	// font operator into the page on every SetFont and SetFontSize, and
	// fitting a name tries several sizes: selecting only when drawing
	// needs something else kept a badge page from 40 such lines to 2.
	inFpdf struct {
		family string
		size   float64
	}
}

func newDocument(doc *fpdf.Fpdf) (*document, error) {
	p, err := primaryFace()
	if err != nil {
		return nil, err
	}
	doc.AddUTF8FontFromBytes(p.family, "", p.ttf)
	if err := doc.Error(); err != nil {
		return nil, fmt.Errorf("load font: %w", err)
	}
	d := &document{Fpdf: doc, size: 12, added: map[string]bool{p.family: true}}
	d.selectFace(p, d.size)
	return d, nil
}

// SetFont sets the size; the family is always the chain's.
func (d *document) SetFont(_, _ string, size float64) { d.size = size }

// SetFontSize sets the size of the text drawn next.
func (d *document) SetFontSize(size float64) { d.size = size }

type run struct {
	face  *face
	codes []rune // what is written
	text  []rune // what it says
}

// runs splits s into runs of one face; characters no face draws are left out.
func runs(s string) []run {
	var out []run
	for _, r := range s {
		f, c := faceFor(r)
		if f == nil {
			continue
		}
		if len(out) == 0 || out[len(out)-1].face != f {
			out = append(out, run{face: f})
		}
		last := &out[len(out)-1]
		last.codes = append(last.codes, c)
		last.text = append(last.text, r)
	}
	return out
}

// selectFace makes f at size fpdf's current font, adding it to the
// document the first time, unless it already is.
func (d *document) selectFace(f *face, size float64) {
	if !d.added[f.family] {
		d.AddUTF8FontFromBytes(f.family, "", f.ttf)
		d.added[f.family] = true
	}
	if d.inFpdf.family != f.family || d.inFpdf.size != size {
		d.Fpdf.SetFont(f.family, "", size)
		d.inFpdf.family, d.inFpdf.size = f.family, size
	}
}

// width is how wide codes are in f at the current size. Measuring needs
// the face in fpdf, not the size, so it keeps whatever size is there.
func (d *document) width(f *face, codes string) float64 {
	d.selectFace(f, d.inFpdf.size)
	return float64(d.Fpdf.GetStringSymbolWidth(codes)) * d.size / d.GetConversionRatio() / 1000
}

// GetStringWidth is the width of s in the chain's faces at the current size.
func (d *document) GetStringWidth(s string) float64 {
	w := 0.0
	for _, r := range runs(s) {
		w += d.width(r.face, string(r.codes))
	}
	return w
}

// Text draws s with its left end at x on baseline y.
func (d *document) Text(x, y float64, s string) {
	for _, r := range runs(s) {
		d.selectFace(r.face, d.size)
		codes := string(r.codes)
		if r.face.remapped() {
			d.RawWriteStr("/Span <</ActualText <FEFF" + utf16Hex(r.text) + ">>> BDC")
			d.Fpdf.Text(x, y, codes)
			d.RawWriteStr("EMC")
		} else {
			d.Fpdf.Text(x, y, codes)
		}
		x += d.width(r.face, codes)
	}
}

func utf16Hex(rs []rune) string {
	var b strings.Builder
	for _, u := range utf16.Encode(rs) {
		fmt.Fprintf(&b, "%04X", u)
	}
	return b.String()
}
