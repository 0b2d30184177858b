package pdf

import (
	"fmt"
	"math/rand"
	"testing"

	"rsc.io/qr/coding"
)

// plainPenalty is the standard's mask penalty written the obvious way,
// module by module, as ZXing's MaskUtil scores it.
func plainPenalty(m [][]bool) int {
	n := len(m)
	at := func(y, x int, byCol bool) bool {
		if byCol {
			return m[x][y]
		}
		return m[y][x]
	}
	score := 0
	for _, byCol := range []bool{false, true} {
		for y := 0; y < n; y++ {
			run := 1
			for x := 1; x <= n; x++ {
				if x < n && at(y, x, byCol) == at(y, x-1, byCol) {
					run++
					continue
				}
				if run >= 5 {
					score += 3 + run - 5
				}
				run = 1
			}
			light := func(from, to int) bool { // out of the symbol is light
				for x := from; x < to; x++ {
					if x >= 0 && x < n && at(y, x, byCol) {
						return false
					}
				}
				return true
			}
			for x := 0; x+7 <= n; x++ {
				core := true
				for k, want := range []bool{true, false, true, true, true, false, true} {
					core = core && at(y, x+k, byCol) == want
				}
				if core && (light(x-4, x) || light(x+7, x+11)) {
					score += 40
				}
			}
		}
	}
	dark := 0
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if m[y][x] {
				dark++
			}
			if y+1 < n && x+1 < n && m[y][x] == m[y][x+1] && m[y][x] == m[y+1][x] && m[y][x] == m[y+1][x+1] {
				score += 3
			}
		}
	}
	v := dark*2 - n*n
	if v < 0 {
		v = -v
	}
	return score + v*10/(n*n)*10
}

// TestPenaltyScoresAsTheStandardSays holds the bitwise penalty equal to
// the plain one for every mask of 200 badge codes.
func TestPenaltyScoresAsTheStandardSays(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for i := 0; i < 200; i++ {
		code := fmt.Sprintf("FZ1.E%d.P%07d.%d.%X", r.Intn(1e6), r.Intn(1e7), r.Intn(9), r.Uint64())
		plan0, _ := coding.NewPlan(coding.Version(4+i%3), coding.M, 0)
		c, err := plan0.Encode(coding.Alpha(code[:min(len(code), 40)]))
		if err != nil {
			t.Fatal(err)
		}
		n := c.Size
		plans, err := plansFor(coding.Version(4 + i%3))
		if err != nil {
			t.Fatal(err)
		}
		for mask := range 8 {
			rows := make([]uint64, n)
			grid := make([][]bool, n)
			for y := range n {
				grid[y] = make([]bool, n)
				for x := range n {
					if c.Black(x, y) {
						rows[y] |= 1 << x
					}
				}
				rows[y] ^= plans.flips[mask][y]
				for x := range n {
					grid[y][x] = rows[y]>>x&1 == 1
				}
			}
			if got, want := penalty(rows, columns(rows, n), n), plainPenalty(grid); got != want {
				t.Fatalf("code %d mask %d: penalty %d, plainly %d", i, mask, got, want)
			}
		}
	}
}

// TestMaskedCodesMatchTheLibrarysOwn: XOR-ing mask 0's symbol with a
// mask's flips gives the symbol rsc.io/qr draws with that mask.
func TestMaskedCodesMatchTheLibrarysOwn(t *testing.T) {
	code := coding.Alpha("FZ1.E2026.P0000001.3.ABCDEFGHIJKLMNOP")
	plans, err := plansFor(4)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := plans.plans[0].Encode(code)
	for mask := range 8 {
		own, _ := plans.plans[mask].Encode(code)
		for y := range base.Size {
			for x := range base.Size {
				flip := plans.flips[mask][y]>>x&1 == 1
				if base.Black(x, y) != flip == own.Black(x, y) {
					continue
				}
				t.Fatalf("mask %d differs at %d,%d", mask, x, y)
			}
		}
	}
}
