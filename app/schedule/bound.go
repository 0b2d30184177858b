package schedule

import (
	"cmp"
	"context"
	"math"
	"math/bits"
	"slices"
	"sync/atomic"
	"time"
)

// The organizer is told how far the schedule can be from the best possible
// one, so the bound must be proved, not estimated. It is the Lagrangian
// dual of the time-indexed model that WriteLP writes: the "one meeting per
// person and slot", "at most max_meetings (and at most one per free slot)"
// and "no more meetings than free tables" constraints are priced instead
// of enforced (π, λ and μ), which leaves each request free to take its
// best slot at those prices or none. For any prices ≥ 0 the result is an
// upper bound on every schedule's weight, never below the LP relaxation's
// optimum. The prices are lowered block by block, each set to where the
// bound is least with the others held (a sweep), until sweeps stop
// helping. On the committed 2,000-person fixture one sweep (0.1 s) takes
// the bound from 19,900 to 13,679, 1.5 % above the proved optimum, and
// there sweeps stall: each request's "best slot or none" is a corner that
// a change of one price at a time cannot leave. The same sweeps over the
// dual smoothed at a temperature (smooth.go) have no corners; lowering the
// temperature step by step brings the bound to 13,471, the optimum, in
// about 20 of them (2–3 s). Subgradient steps, the last phase, still help
// where the smoothed sweeps stall too: on schedule-small-1 (60 tables for
// 300 people, the slot prices coupling every request) they stop near
// 1.12× its optimum, which is also its LP bound, and the steps reach 1.03×.

// boundSearch holds the model in the shape the bound's loop reads.
type boundSearch struct {
	m       *indexed
	reqs    []int32  // unlocked eligible requests
	allowed []uint64 // by request: slots where both are free and not in a locked meeting
	onFree  []bool   // by request: it needs a free table (nobody's fixed one)
	slotCap []float64
	perSlot []float64 // by participant*nS+slot: 1 if they may meet then, 0 if not
	degCap  []float64 // by participant: meetings left under max_meetings
	lockedW float64
	trivial int64 // every placeable request's weight: the bound without prices
	pi, lam []float64
	mu      []float64
	inc     [][]int32 // by participant: their requests in reqs

	// smoothSweep's buffers, made at its first call: the options of one
	// person's requests, the requests that need a free table and theirs.
	c        []float64
	opts     []options
	free     []int32
	freeOpts []options
}

func newBoundSearch(m *indexed) *boundSearch {
	b := &boundSearch{m: m, allowed: make([]uint64, m.nR), onFree: make([]bool, m.nR),
		slotCap: make([]float64, m.nS), perSlot: make([]float64, m.nP*m.nS),
		degCap: make([]float64, m.nP), inc: make([][]int32, m.nP)}
	free := make([]uint64, m.nP) // slots each person is neither blocked nor locked in
	deg := make([]int32, m.nP)
	for p := 0; p < m.nP; p++ {
		for s := 0; s < m.nS; s++ {
			if !m.blocked[p][s] {
				free[p] |= 1 << s
			}
		}
	}
	for r := 0; r < m.nR; r++ {
		if s := m.lockedSlot[r]; s >= 0 {
			b.lockedW += float64(m.w[r])
			b.trivial += int64(m.w[r])
			for _, p := range []int32{m.a[r], m.b[r]} {
				free[p] &^= 1 << s
				deg[p]++
			}
		}
	}
	for s := 0; s < m.nS; s++ {
		b.slotCap[s] = float64(max(0, m.capacity[s]))
	}
	for p := 0; p < m.nP; p++ {
		for s := 0; s < m.nS; s++ {
			if free[p]&(1<<s) != 0 {
				b.perSlot[p*m.nS+s] = 1
			}
		}
		// At most max_meetings, and at most one per slot they are free in:
		// the second is implied by the per-slot constraints, but priced
		// on its own it lets one number per person do what would take one
		// per person and slot, and the bound falls much faster.
		left := min(int(m.maxDeg[p]-deg[p]), bits.OnesCount64(free[p]))
		b.degCap[p] = float64(max(0, left))
	}
	for r := 0; r < m.nR; r++ {
		if m.lockedSlot[r] >= 0 || !m.eligible[r] {
			continue
		}
		a, c := m.a[r], m.b[r]
		b.allowed[r] = free[a] & free[c]
		if b.degCap[a] == 0 || b.degCap[c] == 0 {
			b.allowed[r] = 0
		}
		b.onFree[r] = m.tableOf(r) < 0
		if b.allowed[r] != 0 {
			b.reqs = append(b.reqs, int32(r))
			b.inc[a] = append(b.inc[a], int32(r))
			b.inc[c] = append(b.inc[c], int32(r))
			b.trivial += int64(m.w[r])
		}
	}
	b.pi, b.lam, b.mu = make([]float64, m.nP*m.nS), make([]float64, m.nP), make([]float64, m.nS)
	return b
}

// value is the dual function at the current prices: what the prices
// charge for all capacity, plus each request's best slot value.
func (b *boundSearch) value() float64 {
	total := b.lockedW
	for i := range b.pi {
		total += b.pi[i] * b.perSlot[i]
	}
	for p, l := range b.lam {
		total += l * b.degCap[p]
	}
	for s, u := range b.mu {
		total += u * b.slotCap[s]
	}
	for _, r := range b.reqs {
		best, _, _ := b.top2(r)
		total += best
	}
	return total
}

// run sweeps until a sweep lowers the bound by less than half a point
// (the weight is whole), then goes on with smooth and descend, until the
// bound meets what the search has found (best) or time is up. It
// publishes each better bound in out, rounded down, the first at the
// prices it starts from (Solve sweeps once before it).
func (b *boundSearch) run(ctx context.Context, deadline time.Time, best *atomic.Int64, out *atomic.Int64) {
	out.Store(b.trivial)
	if len(b.reqs) == 0 {
		return
	}
	for lowest := math.Inf(1); ; {
		dual := b.value()
		publish(dual, out)
		if out.Load() <= best.Load() {
			return
		}
		if dual > lowest-0.5 {
			// A second stalled sweep, as there used to be, took a
			// second of the bound's time at 10,000 people for nothing.
			break
		}
		lowest = dual
		if !b.sweep(ctx, deadline) {
			return
		}
	}
	if !b.smooth(ctx, deadline, best, out) {
		return
	}
	b.descend(ctx, deadline, best, out)
}

// stopped: ctx is done or the deadline (if any) has passed.
func stopped(ctx context.Context, deadline time.Time) bool {
	return ctx.Err() != nil || (!deadline.IsZero() && time.Now().After(deadline))
}

// publish offers a value of the dual as the bound, rounded down (the
// weights are whole), if it is lower than the bound so far. A margin of
// 1e-4 absorbs the rounding in the sums: 13,471.00001 still proves 13,471.
func publish(dual float64, out *atomic.Int64) {
	if math.IsNaN(dual) || math.IsInf(dual, 0) {
		return
	}
	if proved := int64(math.Floor(dual + 1e-4)); proved < out.Load() {
		out.Store(proved)
	}
}

// smooth goes on from where sweeps stalled with sweeps of the smoothed
// dual (smoothSweep) at a falling temperature (smoothPasses), publishing
// the dual's value after each. It is false when time or ctx ended it or
// the bound met what the search found. On the 2,000-person fixture it
// takes the bound from 1.5 % above the optimum to the optimum itself (the
// LP's bound is tight there) in about 20 sweeps, where subgradient steps
// had not moved it in 3 s.
func (b *boundSearch) smooth(ctx context.Context, deadline time.Time, best *atomic.Int64, out *atomic.Int64) bool {
	for _, pass := range smoothPasses {
		for tau := pass.from; tau >= 1e-4; tau /= 3 {
			for range pass.sweeps {
				if !b.smoothSweep(ctx, deadline, tau) {
					return false
				}
				publish(b.value(), out)
				if out.Load() <= best.Load() {
					return false
				}
			}
		}
	}
	return true
}

// smoothPasses are the temperatures smooth goes through: from where to
// start (dividing by 3 down to 1e-4) and how many sweeps at each. The
// first pass is the quick one, for large sessions: at 10,000 people a
// sweep takes half a second, and starting lower reaches a tighter bound
// within the budget (in 10 s the weight reached 0.999 of it, against
// 0.9974 of the bound reached starting from 0.1). Where time is left, the
// second, slower pass goes on from there: on schedule-small-2 only it
// proves the optimum.
var smoothPasses = []struct {
	from   float64
	sweeps int
}{{0.01, 2}, {0.1, 3}}

// descend goes on from where sweeps stalled with subgradient steps (all
// prices at once, Polyak's step towards what the search has found), which
// escape the corners sweeps stop in: on the small committed samples sweeps
// stall 10–16 % above the optimum and these steps reach 2 %.
func (b *boundSearch) descend(ctx context.Context, deadline time.Time, best *atomic.Int64, out *atomic.Int64) {
	m, nS := b.m, b.m.nS
	gPi, gLam, gMu := make([]float64, len(b.pi)), make([]float64, len(b.lam)), make([]float64, len(b.mu))
	lowest, theta, stale := math.Inf(1), 1.0, 0
	for theta > 1e-4 {
		if stopped(ctx, deadline) {
			return
		}
		copy(gPi, b.perSlot)
		copy(gLam, b.degCap)
		copy(gMu, b.slotCap)
		dual := b.value()
		for _, r := range b.reqs {
			if _, at, _ := b.top2(r); at >= 0 {
				a, c := int(m.a[r]), int(m.b[r])
				gPi[a*nS+at]--
				gPi[c*nS+at]--
				gLam[a]--
				gLam[c]--
				if b.onFree[r] {
					gMu[at]--
				}
			}
		}
		if dual < lowest-1e-9 {
			lowest, stale = dual, 0
			publish(dual, out)
		} else if stale++; stale >= 25 {
			theta, stale = theta/2, 0
		}
		found := float64(best.Load())
		if out.Load() <= best.Load() {
			return
		}
		norm := 0.0
		for _, set := range [][2][]float64{{gPi, b.pi}, {gLam, b.lam}, {gMu, b.mu}} {
			for i, g := range set[0] {
				if g < 0 || set[1][i] > 0 { // a free price with slack stays at 0
					norm += g * g
				}
			}
		}
		if norm == 0 {
			return // every priced constraint holds: this is the LP's bound
		}
		t := theta * math.Max(0.8*(dual-found), 1e-3) / norm
		for _, set := range [][2][]float64{{gPi, b.pi}, {gLam, b.lam}, {gMu, b.mu}} {
			for i, g := range set[0] {
				set[1][i] = math.Max(0, set[1][i]-t*g)
			}
		}
	}
}

// val is request r's value in slot s at the current prices.
func (b *boundSearch) val(r int32, s int) float64 {
	m, nS := b.m, b.m.nS
	a, c := int(m.a[r]), int(m.b[r])
	v := float64(m.w[r]) - b.lam[a] - b.lam[c] - b.pi[a*nS+s] - b.pi[c*nS+s]
	if b.onFree[r] {
		v -= b.mu[s]
	}
	return v
}

// top2 is a request's best slot value, that slot, and its second best
// value (each at least 0: leaving it out is always possible).
func (b *boundSearch) top2(r int32) (best float64, at int, second float64) {
	at = -1
	for mask := b.allowed[r]; mask != 0; mask &= mask - 1 {
		s := bits.TrailingZeros64(mask)
		v := b.val(r, s)
		switch {
		case v > best:
			best, at, second = v, s, best
		case v > second:
			second = v
		}
	}
	return best, at, second
}

// edge is how much more request r is worth in slot s than in its best
// other slot (or in none), with the price own, which is being set, left
// out of slot s's value: the most that price could charge r there.
func (b *boundSearch) edge(r int32, s int, own float64) float64 {
	best, at, second := b.top2(r)
	if at == s {
		best = second
	}
	return b.val(r, s) + own - best
}

// keys gives each request its weight plus its best value at the current
// prices (negative when the prices say a schedule is better without it):
// the order in which the search tries requests. A request with no slot
// it could take gets its weight minus the largest weight, last of all.
// Where the prices are near the LP's, the requests of a best schedule are
// the ones of value ≥ 0, so even prices a sweep reaches are a good guide.
func (b *boundSearch) keys() []float64 {
	m := b.m
	keys := make([]float64, m.nR)
	var heaviest int32
	for _, w := range m.w {
		heaviest = max(heaviest, w)
	}
	for r := range keys {
		keys[r] = float64(m.w[r] - heaviest)
	}
	for _, r := range b.reqs {
		best := math.Inf(-1)
		for mask := b.allowed[r]; mask != 0; mask &= mask - 1 {
			best = math.Max(best, b.val(r, bits.TrailingZeros64(mask)))
		}
		keys[r] = float64(m.w[r]) + best
	}
	return keys
}

// kth is the k-th largest of xs (1-based), 0 when there are fewer.
func kth(xs []float64, k int) float64 {
	if k <= 0 || k > len(xs) {
		return 0
	}
	slices.SortFunc(xs, func(a, b float64) int { return cmp.Compare(b, a) })
	return xs[k-1]
}

// sweep sets each price in turn to the least value that minimises the
// dual with every other price held: a person's λ to where their (d+1)-th
// best request stands (d meetings at most), a person-and-slot π to the
// second best request wanting that slot, a slot's μ to the request just
// past its free tables. Each step can only lower the bound. (The least
// of the minimising values stalled lowest of those tried: the middle
// stopped at 13,714 on the 2,000-person fixture, the least at 13,679.)
func (b *boundSearch) sweep(ctx context.Context, deadline time.Time) bool {
	m, nS := b.m, b.m.nS
	var xs []float64
	for p := 0; p < m.nP; p++ {
		if p%64 == 0 && stopped(ctx, deadline) {
			return false
		}
		inc := b.inc[p]
		if len(inc) == 0 {
			continue
		}
		// λ_p
		xs = xs[:0]
		for _, r := range inc {
			best, _, _ := b.top2(r)
			if v := best + b.lam[p]; best > 0 || b.lam[p] > 0 {
				if v > 0 {
					xs = append(xs, v)
				}
			}
		}
		b.lam[p] = kth(xs, int(b.degCap[p])+1)
		// π_{p,s}
		for s := 0; s < nS; s++ {
			if b.perSlot[p*nS+s] == 0 {
				continue
			}
			xs = xs[:0]
			own := b.pi[p*nS+s]
			for _, r := range inc {
				if b.allowed[r]&(1<<s) == 0 {
					continue
				}
				if c := b.edge(r, s, own); c > 0 {
					xs = append(xs, c)
				}
			}
			b.pi[p*nS+s] = kth(xs, 2)
		}
	}
	// μ_s
	for s := 0; s < nS; s++ {
		if stopped(ctx, deadline) {
			return false
		}
		xs = xs[:0]
		own := b.mu[s]
		for _, r := range b.reqs {
			if !b.onFree[r] || b.allowed[r]&(1<<s) == 0 {
				continue
			}
			if c := b.edge(r, s, own); c > 0 {
				xs = append(xs, c)
			}
		}
		b.mu[s] = kth(xs, int(b.slotCap[s])+1)
	}
	return true
}
