// Package pdf draws the printed material (badges, agendas, table tents and
// the summary) as PDF. It writes to an io.Writer and does no other I/O.
package pdf

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font/sfnt"
)

// The fonts are a chain: the first that has a character draws it.
//
//   - AR PL SungtiL GB covers GB2312 (6,763 Han characters) and Latin; it
//     draws nearly every name, in the Song style Chinese readers expect.
//   - HanaMinA covers the rest of the Unified Ideographs, Extension A and
//     the compatibility ideographs (堃 喆 赟 珺 燊 䶮 …).
//   - HanaMinB covers Extensions B to F (𠮷 𡈼 …), all outside the BMP.
//
// The two Hanazono fonts are stored gzipped (30 MB instead of 53 MB) and
// only unpacked by a process that meets a character the first font lacks.
var (
	//go:embed fonts/gbsn00lp.ttf
	primaryTTF []byte
	//go:embed fonts/HanaMinA.ttf.gz
	hanaMinAGz []byte
	//go:embed fonts/HanaMinB.ttf.gz
	hanaMinBGz []byte
)

// fontFamily is the name documents pass to SetFont; the fallbacks are
// chosen per run of text by document.
const fontFamily = "cjk"

// face is one font of the chain.
//
// The PDF library (fpdf) reads only a font's BMP character map and writes
// text as 16-bit codes equal to the Unicode value, so it cannot reach a
// glyph outside the BMP. The fallback fonts are therefore handed to it with
// their character map replaced by a synthetic one — code 0x100+g (skipping
// the surrogates) draws glyph g — and the text is written in those codes.
// The real characters go into the page as ActualText, so copying the text
// or searching it (pdftotext included) still finds the name.
type face struct {
	family string
	ttf    []byte          // what fpdf embeds
	glyph  map[rune]uint16 // fallback faces: the glyph that draws a rune
	font   *sfnt.Font      // primary face: asked directly
	buf    sfnt.Buffer
	mu     sync.Mutex // buf is not safe for concurrent use
}

// code returns what to write in the PDF for r, and whether this face has it.
func (f *face) code(r rune) (rune, bool) {
	if f.glyph == nil {
		if r > 0xFFFF { // fpdf would write it as two broken codes
			return 0, false
		}
		f.mu.Lock()
		g, err := f.font.GlyphIndex(&f.buf, r)
		f.mu.Unlock()
		return r, err == nil && g != 0
	}
	g, ok := f.glyph[r]
	if !ok {
		return 0, false
	}
	return glyphCode(g), true
}

// remapped reports whether the face writes synthetic codes (see face).
func (f *face) remapped() bool { return f.glyph != nil }

// Glyph g is written as code 0x100+g; codes stop before the surrogates
// (fpdf cannot write them) and go on after them.
const (
	firstCode      = 0x100
	codesBeforeGap = 0xD800 - firstCode
	afterGap       = 0xE000
	lastCode       = 0xFFFD
	maxGlyphs      = codesBeforeGap + (lastCode - afterGap + 1)
)

func glyphCode(g uint16) rune {
	if int(g) < codesBeforeGap {
		return rune(firstCode + int(g))
	}
	return rune(afterGap + int(g) - codesBeforeGap)
}

var (
	primaryOnce sync.Once
	primary     *face
	primaryErr  error

	fallbackOnce [2]sync.Once
	fallbacks    [2]*face
	fallbackErr  [2]error
)

func primaryFace() (*face, error) {
	primaryOnce.Do(func() {
		f, err := sfnt.Parse(primaryTTF)
		if err != nil {
			primaryErr = fmt.Errorf("read the embedded font: %w", err)
			return
		}
		primary = &face{family: fontFamily, ttf: primaryTTF, font: f}
	})
	return primary, primaryErr
}

func fallbackFace(i int) (*face, error) {
	fallbackOnce[i].Do(func() {
		src := [2][]byte{hanaMinAGz, hanaMinBGz}[i]
		fallbacks[i], fallbackErr[i] = loadFallback(fmt.Sprintf("cjk-fallback%d", i+1), src)
	})
	return fallbacks[i], fallbackErr[i]
}

// faceFor returns the first face of the chain that draws r, and the code
// to write; nil if none does.
func faceFor(r rune) (*face, rune) {
	p, err := primaryFace()
	if err == nil {
		if c, ok := p.code(r); ok {
			return p, c
		}
	}
	if r < 0x80 || r == unicode.ReplacementChar || unicode.IsControl(r) {
		return nil, 0
	}
	for i := range fallbacks {
		f, err := fallbackFace(i)
		if err != nil {
			continue
		}
		if c, ok := f.code(r); ok {
			return f, c
		}
	}
	return nil, 0
}

// loadFallback unpacks a gzipped TrueType font, learns which glyph draws
// each character, and replaces its character map with the synthetic one.
func loadFallback(family string, gz []byte) (*face, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("unpack font %s: %w", family, err)
	}
	ttf, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("unpack font %s: %w", family, err)
	}
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, fmt.Errorf("read font %s: %w", family, err)
	}
	if f.NumGlyphs() > maxGlyphs {
		return nil, fmt.Errorf("font %s has %d glyphs, more than %d codes", family, f.NumGlyphs(), maxGlyphs)
	}
	glyph := make(map[rune]uint16)
	var buf sfnt.Buffer
	for r := rune(0x80); r <= 0x3FFFF; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue
		}
		if g, err := f.GlyphIndex(&buf, r); err == nil && g != 0 {
			glyph[r] = uint16(g)
		}
	}
	out, err := replaceCmap(ttf, syntheticCmap(f.NumGlyphs()))
	if err != nil {
		return nil, fmt.Errorf("prepare font %s: %w", family, err)
	}
	return &face{family: family, ttf: out, glyph: glyph}, nil
}

// syntheticCmap is a format-4 (Windows, Unicode BMP) character map in which
// code glyphCode(g) draws glyph g, for every glyph but .notdef.
func syntheticCmap(numGlyphs int) []byte {
	type segment struct{ start, end, delta uint16 }
	var segs []segment
	last := numGlyphs - 1
	if last >= 1 {
		end := min(last, codesBeforeGap-1)
		segs = append(segs, segment{uint16(glyphCode(1)), uint16(glyphCode(uint16(end))), uint16(0x10000 - firstCode)})
	}
	if last >= codesBeforeGap {
		segs = append(segs, segment{afterGap, uint16(glyphCode(uint16(last))), uint16((codesBeforeGap - afterGap) & 0xFFFF)})
	}
	segs = append(segs, segment{0xFFFF, 0xFFFF, 1})

	n := len(segs)
	searchRange := 2
	entrySelector := 0
	for searchRange*2 <= 2*n {
		searchRange *= 2
		entrySelector++
	}
	sub := []uint16{4, uint16(16 + 8*n), 0, uint16(2 * n), uint16(searchRange), uint16(entrySelector), uint16(2*n - searchRange)}
	for _, s := range segs {
		sub = append(sub, s.end)
	}
	sub = append(sub, 0)
	for _, s := range segs {
		sub = append(sub, s.start)
	}
	for _, s := range segs {
		sub = append(sub, s.delta)
	}
	for range segs {
		sub = append(sub, 0)
	}
	out := binary.BigEndian.AppendUint16(nil, 0) // version
	out = binary.BigEndian.AppendUint16(out, 1)  // one encoding
	out = binary.BigEndian.AppendUint16(out, 3)  // Windows
	out = binary.BigEndian.AppendUint16(out, 1)  // Unicode BMP
	out = binary.BigEndian.AppendUint32(out, 12)
	for _, v := range sub {
		out = binary.BigEndian.AppendUint16(out, v)
	}
	return out
}

// replaceCmap returns ttf with its 'cmap' table replaced by cmap, appended
// at the end; the other tables stay where they are.
func replaceCmap(ttf, cmap []byte) ([]byte, error) {
	if len(ttf) < 12 {
		return nil, fmt.Errorf("font too short")
	}
	numTables := int(binary.BigEndian.Uint16(ttf[4:]))
	if len(ttf) < 12+16*numTables {
		return nil, fmt.Errorf("font table directory cut short")
	}
	for i := 0; i < numTables; i++ {
		rec := 12 + 16*i
		if string(ttf[rec:rec+4]) != "cmap" {
			continue
		}
		offset := (len(ttf) + 3) &^ 3
		out := make([]byte, offset, offset+len(cmap)+3)
		copy(out, ttf)
		out = append(out, cmap...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
		binary.BigEndian.PutUint32(out[rec+4:], tableChecksum(out[offset:]))
		binary.BigEndian.PutUint32(out[rec+8:], uint32(offset))
		binary.BigEndian.PutUint32(out[rec+12:], uint32(len(cmap)))
		return out, nil
	}
	return nil, fmt.Errorf("font has no cmap table")
}

func tableChecksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i+4 <= len(b); i += 4 {
		sum += binary.BigEndian.Uint32(b[i:])
	}
	return sum
}

// Printable keeps only what the font chain can draw. Emoji and other
// characters no font has would print as nothing or a box; they are dropped,
// so a badge is always produced (a name that loses everything becomes "?").
// Runs of white space become one space.
func Printable(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) {
			b.WriteRune(' ')
			continue
		}
		if f, _ := faceFor(r); f != nil {
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
