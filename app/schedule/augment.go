package schedule

import (
	"math"
	"math/rand"
)

// augment looks for an alternating path that raises the weight: starting at
// someone below max_meetings, add a request to a partner; if the partner is
// full, drop one of the partner's meetings, whose other person may then take
// another request, and so on. With max_meetings binding this is the move a
// weighted b-matching needs, and ruin-and-recreate rarely finds it by chance.
// The best path of up to maxPathEdges edges is found by dynamic programming
// over path length (weights jittered so repeated calls explore), then applied
// with slot-feasible insertion; it is kept only if the weight went up.
const maxPathEdges = 9

type augmenter struct {
	addGain  [][]float64 // [step][person] best gain ending at person just after an add
	addPrev  [][]int32   // request used
	dropGain [][]float64 // ... just after a drop
	dropPrev [][]int32
	noise    []float64
}

func newAugmenter(m *indexed) *augmenter {
	a := &augmenter{noise: make([]float64, m.nR)}
	for k := 0; k <= maxPathEdges; k++ {
		a.addGain = append(a.addGain, make([]float64, m.nP))
		a.addPrev = append(a.addPrev, make([]int32, m.nP))
		a.dropGain = append(a.dropGain, make([]float64, m.nP))
		a.dropPrev = append(a.dropPrev, make([]int32, m.nP))
	}
	return a
}

func (st *state) augment(aug *augmenter, rng *rand.Rand) bool {
	m := st.m
	inf := math.Inf(-1)
	for r := range aug.noise {
		aug.noise[r] = rng.Float64() * 0.45
	}
	for k := 0; k <= maxPathEdges; k++ {
		for p := 0; p < m.nP; p++ {
			aug.addGain[k][p], aug.dropGain[k][p] = inf, inf
		}
	}
	// Step 0: at any person with room, having done nothing.
	for p := 0; p < m.nP; p++ {
		if st.deg[p] < m.maxDeg[p] && len(st.inc[p]) > 0 {
			aug.dropGain[0][p] = 0
		}
	}
	bestGain, bestK, bestEnd, bestAdd := 0.5, -1, int32(-1), false
	for k := 1; k <= maxPathEdges; k++ {
		if k%2 == 1 { // add an unplaced request from a person with room
			for r := 0; r < m.nR; r++ {
				if st.slot[r] >= 0 || !m.eligible[r] {
					continue
				}
				g := float64(m.w[r]) + aug.noise[r]
				for _, dir := range [2][2]int32{{m.a[r], m.b[r]}, {m.b[r], m.a[r]}} {
					from, to := dir[0], dir[1]
					if aug.dropGain[k-1][from] == inf {
						continue
					}
					if v := aug.dropGain[k-1][from] + g; v > aug.addGain[k][to] {
						aug.addGain[k][to], aug.addPrev[k][to] = v, int32(r)
					}
				}
			}
			for p := int32(0); p < int32(m.nP); p++ {
				if v := aug.addGain[k][p]; v > bestGain && st.deg[p] < m.maxDeg[p] {
					bestGain, bestK, bestEnd, bestAdd = v, k, p, true
				}
			}
		} else { // drop a held meeting of the person just added to
			for r := 0; r < m.nR; r++ {
				if st.slot[r] < 0 || m.lockedSlot[r] >= 0 {
					continue
				}
				g := float64(m.w[r]) - aug.noise[r]
				for _, dir := range [2][2]int32{{m.a[r], m.b[r]}, {m.b[r], m.a[r]}} {
					from, to := dir[0], dir[1]
					if aug.addGain[k-1][from] == inf {
						continue
					}
					if v := aug.addGain[k-1][from] - g; v > aug.dropGain[k][to] {
						aug.dropGain[k][to], aug.dropPrev[k][to] = v, int32(r)
					}
				}
			}
			for p := int32(0); p < int32(m.nP); p++ {
				if v := aug.dropGain[k][p]; v > bestGain {
					bestGain, bestK, bestEnd, bestAdd = v, k, p, false
				}
			}
		}
	}
	if bestK < 0 {
		return false
	}
	// Walk back to recover the path.
	var adds, drops []int32
	used := map[int32]bool{}
	p, isAdd := bestEnd, bestAdd
	for k := bestK; k >= 1; k-- {
		var r int32
		if isAdd {
			r = aug.addPrev[k][p]
			adds = append(adds, r)
		} else {
			r = aug.dropPrev[k][p]
			drops = append(drops, r)
		}
		if used[r] {
			return false // the walk reuses a request: not a real path
		}
		used[r] = true
		if m.a[r] == p {
			p = m.b[r]
		} else {
			p = m.a[r]
		}
		isAdd = !isAdd
	}
	mark, before := len(st.log), st.weight
	for _, r := range drops {
		st.take(r)
	}
	order := make([]int32, m.nS)
	for i, s := range rng.Perm(m.nS) {
		order[i] = int32(s)
	}
	for _, r := range adds {
		if !st.insert(r, order) {
			st.rollback(mark)
			return false
		}
	}
	if st.weight <= before {
		st.rollback(mark)
		return false
	}
	return true
}
