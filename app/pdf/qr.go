package pdf

import (
	"errors"
	"fmt"
	"image"
	"math/bits"
	"sync"

	"rsc.io/qr/coding"
)

// The QR codes on badges and agendas. rsc.io/qr encodes a code in 34 µs
// where go-qrcode took 1.1 ms, but it always uses mask 0, and some codes
// then carry patterns a reader takes for a corner mark (gozxing missed 17
// of 2,000 badge codes). So the mask is chosen here, as the standard
// says: the one whose symbol scores the lowest penalty (ISO/IEC 18004
// §7.8.3, scored as ZXing does). The codes differ between masks only in
// the masked modules and the format bits, so the data is encoded once and
// each mask is an XOR of the bitmap.

// maxMaskedSize is the largest symbol whose rows, with the quiet zone on
// either side, fit in a uint64: version 10, far beyond a badge code.
// Larger symbols keep mask 0.
const maxMaskedSize = 64 - 2*quietZone

// qrPlans is what a version needs to try every mask: the eight plans, and
// for each mask the modules that differ from mask 0's.
type qrPlans struct {
	plans    [8]*coding.Plan
	flips    [8][]uint64 // by row; bit x is module x
	flipCols [8][]uint64 // the same by column; bit y is module y
}

var (
	plansMu    sync.Mutex
	plansCache = map[coding.Version]*qrPlans{}
)

func plansFor(v coding.Version) (*qrPlans, error) {
	plansMu.Lock()
	defer plansMu.Unlock()
	if p, ok := plansCache[v]; ok {
		return p, nil
	}
	p := &qrPlans{}
	for m := range p.plans {
		plan, err := coding.NewPlan(v, coding.M, coding.Mask(m))
		if err != nil {
			return nil, fmt.Errorf("plan QR version %d mask %d: %w", v, m, err)
		}
		p.plans[m] = plan
	}
	for m := range p.plans {
		rows := make([]uint64, len(p.plans[0].Pixel))
		for y, row := range p.plans[m].Pixel {
			for x, pix := range row {
				if (pix^p.plans[0].Pixel[y][x])&coding.Black != 0 {
					rows[y] |= 1 << x
				}
			}
		}
		p.flips[m], p.flipCols[m] = rows, columns(rows, len(rows))
	}
	plansCache[v] = p
	return p, nil
}

// qrRows encodes text at level M and returns the symbol's rows (bit x of
// row y is the module at x, y; 1 is dark) and its size.
func qrRows(text string) ([]uint64, int, error) {
	var enc coding.Encoding
	switch {
	case coding.Num(text).Check() == nil:
		enc = coding.Num(text)
	case coding.Alpha(text).Check() == nil:
		enc = coding.Alpha(text)
	default:
		enc = coding.String(text)
	}
	v := coding.Version(coding.MinVersion)
	for ; enc.Bits(v) > v.DataBytes(coding.M)*8; v++ {
		if v == coding.MaxVersion {
			return nil, 0, errors.New("text too long to encode as QR")
		}
	}
	plans, err := plansFor(v)
	if err != nil {
		return nil, 0, err
	}
	code, err := plans.plans[0].Encode(enc)
	if err != nil {
		return nil, 0, fmt.Errorf("encode QR: %w", err)
	}
	n := code.Size
	if n > maxMaskedSize {
		return nil, 0, fmt.Errorf("QR of %d modules is larger than a badge takes", n)
	}
	base := make([]uint64, n)
	for y := range n {
		row := code.Bitmap[y*code.Stride:]
		for i := 0; i*8 < n; i++ {
			base[y] |= uint64(bits.Reverse8(row[i])) << (8 * i)
		}
	}
	baseCols := columns(base, n)
	best, bestScore := base, -1
	masked, maskedCols := make([]uint64, n), make([]uint64, n)
	for m := range plans.flips {
		for i := range n {
			masked[i] = base[i] ^ plans.flips[m][i]
			maskedCols[i] = baseCols[i] ^ plans.flipCols[m][i]
		}
		if s := penalty(masked, maskedCols, n); bestScore < 0 || s < bestScore {
			bestScore = s
			best = append(best[:0:0], masked...)
		}
	}
	return best, n, nil
}

// penalty scores a symbol by the four rules of the standard: runs of five
// or more of one colour, 2×2 blocks of one colour, the 1:1:3:1:1 pattern
// of a finder next to four light modules (the quiet zone counts as light),
// and dark modules far from half.
func penalty(rows, cols []uint64, n int) int {
	dark := 0
	for _, r := range rows {
		dark += bits.OnesCount64(r)
	}
	score := 0
	for i := range n {
		score += longRuns(rows[i], n) + longRuns(cols[i], n) + finders(rows[i], n) + finders(cols[i], n)
		if i+1 < n { // 2×2 blocks of one colour
			r, next := rows[i], rows[i+1]
			same := ^(r ^ next) & ^(r ^ r>>1) & ^(next ^ next>>1) & (uint64(1)<<(n-1) - 1)
			score += 3 * bits.OnesCount64(same)
		}
	}
	variance := dark*2 - n*n
	if variance < 0 {
		variance = -variance
	}
	return score + variance*10/(n*n)*10
}

// longRuns scores a line's runs of five or more modules of one colour,
// walking from one change of colour to the next.
func longRuns(line uint64, n int) int {
	ends := (line^line>>1)&(uint64(1)<<(n-1)-1) | uint64(1)<<(n-1) // a run's last module
	score, start := 0, 0
	for ends != 0 {
		end := bits.TrailingZeros64(ends)
		if run := end - start + 1; run >= 5 {
			score += 3 + run - 5
		}
		start = end + 1
		ends &= ends - 1
	}
	return score
}

// finders scores a line's dark-light-dark×3-light-dark patterns with four
// light modules before or after them (the quiet zone counts as light).
func finders(line uint64, n int) int {
	w := n + 2*quietZone
	wide := line << quietZone
	lightBefore := matches(wide, 0b10111010000, w) << 4 // aligned on the pattern's start
	lightAfter := matches(wide, 0b00001011101, w)
	return 40 * bits.OnesCount64(lightBefore|lightAfter)
}

// columns turns rows of modules into columns.
func columns(rows []uint64, n int) []uint64 {
	cols := make([]uint64, n)
	for y, r := range rows {
		for x := range n {
			cols[x] |= (r >> x & 1) << y
		}
	}
	return cols
}

// matches marks each x where the 11 modules x..x+10 of line (width w) read
// pattern, whose bit k is the module at x+k.
func matches(line, pattern uint64, w int) uint64 {
	if w < 11 {
		return 0
	}
	hit := uint64(1)<<(w-10) - 1
	for k := range 11 {
		shifted := line >> k
		if pattern>>k&1 == 0 {
			shifted = ^shifted
		}
		hit &= shifted
	}
	return hit
}

// qrPicture is the code's modules, one pixel each, with the quiet zone.
func qrPicture(code string) (*image.Paletted, error) {
	rows, n, err := qrRows(code)
	if err != nil {
		return nil, fmt.Errorf("make QR: %w", err)
	}
	side := n + 2*quietZone
	img := image.NewPaletted(image.Rect(0, 0, side, side), blackAndWhite)
	for y, r := range rows {
		line := img.Pix[(y+quietZone)*img.Stride+quietZone:]
		for x := range n {
			line[x] = uint8(r >> x & 1)
		}
	}
	return img, nil
}
