// Package pdf draws the printed material (badges now; agendas and the
// summary later) as PDF. It writes to an io.Writer and does no other I/O.
package pdf

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font/sfnt"
)

//go:embed fonts/gbsn00lp.ttf
var cjkFont []byte

const fontFamily = "cjk"

var (
	fontOnce  sync.Once
	fontFace  *sfnt.Font
	fontError error
)

func face() (*sfnt.Font, error) {
	fontOnce.Do(func() { fontFace, fontError = sfnt.Parse(cjkFont) })
	return fontFace, fontError
}

// Printable keeps only what the embedded font can draw. Emoji and other
// characters outside the Basic Multilingual Plane can make the PDF library
// panic, and a missing glyph prints as a box; both are dropped, so a badge
// is always produced (a name that loses everything becomes "?").
func Printable(s string) string {
	f, err := face()
	var buf sfnt.Buffer
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			b.WriteRune(' ')
			continue
		case r > 0xFFFF, r == unicode.ReplacementChar, unicode.IsControl(r):
			continue
		}
		if err == nil {
			if gi, gerr := f.GlyphIndex(&buf, r); gerr != nil || gi == 0 {
				continue
			}
		}
		b.WriteRune(r)
	}
	out := strings.Join(strings.Fields(b.String()), " ")
	return out
}
