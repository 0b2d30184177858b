package schedule

// The smoothed dual: each request's "best slot at these prices, or none"
// (a max) becomes tau·log(1 + Σ exp(value/tau)), which lies above the max
// by at most tau·log(1+slots) and is smooth, so setting one price at a
// time where it is least (the sweep) no longer stalls at a corner. Its
// prices are only ever used through the exact dual (value), so whatever
// tau and however far the sweeps got, the bound published is proved.

import (
	"context"
	"math"
	"math/bits"
	"time"
)

// root1D is the t ≥ 0 where Σ σ(c_i − t) = want (σ the logistic function),
// or 0 when the sum is at most want already at t = 0: the smoothed form
// of "set the price where the (want+1)-th best stands". The sum falls as t
// grows; Newton's steps, kept inside a bracket, find it in a few rounds.
func root1D(c []float64, want float64) float64 {
	if float64(len(c)) <= want {
		return 0
	}
	sum := func(t float64) (h, slope float64) {
		for _, ci := range c {
			z := ci - t
			var s float64
			if z >= 0 {
				s = 1 / (1 + math.Exp(-z))
			} else {
				e := math.Exp(z)
				s = e / (1 + e)
			}
			h += s
			slope += s * (1 - s)
		}
		return h, slope
	}
	h, slope := sum(0)
	if h <= want {
		return 0
	}
	lo, hi := 0.0, 0.0
	for _, ci := range c {
		hi = math.Max(hi, ci)
	}
	hi += math.Log(float64(len(c))/want) + 1
	t := 0.0
	for range 30 {
		// h > want at lo, < want at hi
		next := t + (h-want)/math.Max(slope, 1e-12)
		if next <= lo || next >= hi {
			next = (lo + hi) / 2
		}
		t = next
		h, slope = sum(t)
		if math.Abs(h-want) < 1e-6 {
			break
		}
		if h > want {
			lo = t
		} else {
			hi = t
		}
	}
	return t
}

// settled is a new price, or the old one if the new one is not a number
// (a price must stay finite and ≥ 0 for the bound to hold).
func settled(price, old float64) float64 {
	if math.IsNaN(price) || math.IsInf(price, 0) || price < 0 {
		return old
	}
	return price
}

// logAddExp is log(e^a + e^b) without overflow.
func logAddExp(a, b float64) float64 {
	if a < b {
		a, b = b, a
	}
	if math.IsInf(b, -1) {
		return a
	}
	return a + math.Log1p(math.Exp(b-a))
}

// options is one request's slots at the current prices, for the smoothed
// dual: l[s] is slot s's value/tau (−Inf where not allowed), e[s] is
// exp(l[s] − top), where top is the largest of them and 0 (leaving the
// request out), and sum is exp(−top) plus every e.
type options struct {
	top  float64
	sum  float64 // exp(−top) + Σ e: every option, leaving out included
	l, e []float64
}

func (b *boundSearch) optionsOf(r int32, tau float64, o *options) {
	for s := range o.l {
		o.l[s], o.e[s] = math.Inf(-1), 0
	}
	for mask := b.allowed[r]; mask != 0; mask &= mask - 1 {
		s := bits.TrailingZeros64(mask)
		o.l[s] = b.val(r, s) / tau
	}
	o.rescale()
}

// rescale sets top and e afresh from l.
func (o *options) rescale() {
	o.top = 0
	for _, l := range o.l {
		o.top = math.Max(o.top, l)
	}
	o.sum = math.Exp(-o.top)
	for s, l := range o.l {
		o.e[s] = math.Exp(l - o.top)
		o.sum += o.e[s]
	}
}

// shiftAll adds d to every slot's l (a price on the whole request moved
// by −d·tau): the scaled values stay as they are unless the largest
// changes between a slot and leaving the request out.
func (o *options) shiftAll(d float64) {
	was := o.top
	for s := range o.l {
		o.l[s] += d
	}
	if was > 0 && was+d > 0 {
		o.top = was + d
		o.sum = math.Exp(-o.top)
		for _, e := range o.e {
			o.sum += e
		}
		return
	}
	o.rescale()
}

// shift adds d to slot s's l (a price moved by −d·tau).
func (o *options) shift(s int, d float64) {
	wasTop := o.l[s] == o.top
	o.l[s] += d
	if wasTop || o.l[s] > o.top {
		o.rescale() // the largest moved, or there is a new largest
		return
	}
	o.sum -= o.e[s]
	o.e[s] = math.Exp(o.l[s] - o.top)
	o.sum += o.e[s]
}

// logUsed is the log of the sum over the slots (leaving out excluded).
func (o *options) logUsed() float64 {
	sum := 0.0
	for _, e := range o.e {
		sum += e
	}
	if sum == 0 {
		return logSumExp(o.l, -1)
	}
	return o.top + math.Log(sum)
}

// logOthers is the log of the sum over every option but slot s, leaving
// out included.
func (o *options) logOthers(s int) float64 {
	sum := o.sum - o.e[s]
	if o.e[s] > o.sum/2 {
		// Slot s holds most of the sum: add the others up instead of
		// losing their digits in the difference.
		sum = math.Exp(-o.top)
		for s2, e := range o.e {
			if s2 != s {
				sum += e
			}
		}
	}
	if sum == 0 {
		return logAddExp(0, logSumExp(o.l, s))
	}
	return o.top + math.Log(sum)
}

// logSumExp is log Σ exp(l[i]) over i ≠ skip, computed with care.
func logSumExp(l []float64, skip int) float64 {
	top := math.Inf(-1)
	for i, v := range l {
		if i != skip {
			top = math.Max(top, v)
		}
	}
	if math.IsInf(top, -1) {
		return top
	}
	sum := 0.0
	for i, v := range l {
		if i != skip {
			sum += math.Exp(v - top)
		}
	}
	return top + math.Log(sum)
}

// newOptions is n options of nS slots each, on one backing array.
func newOptions(n, nS int) []options {
	back := make([]float64, 2*n*nS)
	out := make([]options, n)
	for i := range out {
		out[i].l, out[i].e = back[2*i*nS:(2*i+1)*nS], back[(2*i+1)*nS:(2*i+2)*nS]
	}
	return out
}

// smoothSweep is sweep's counterpart on the smoothed dual at temperature
// tau: each price in turn set where the smoothed function is least with
// the others held. Unlike sweep it does not stop at the corners of the
// dual: at a falling tau it goes on towards the LP's bound.
func (b *boundSearch) smoothSweep(ctx context.Context, deadline time.Time, tau float64) bool {
	m, nS := b.m, b.m.nS
	if b.opts == nil {
		maxInc := 0
		for _, inc := range b.inc {
			maxInc = max(maxInc, len(inc))
		}
		b.opts = newOptions(maxInc, nS)
		for _, r := range b.reqs {
			if b.onFree[r] {
				b.free = append(b.free, r)
			}
		}
		b.freeOpts = newOptions(len(b.free), nS)
	}
	c, opts := b.c[:0], b.opts
	defer func() { b.c = c }()
	for p := 0; p < m.nP; p++ {
		if p%64 == 0 && stopped(ctx, deadline) {
			return false
		}
		inc := b.inc[p]
		if len(inc) == 0 {
			continue
		}
		// λ_p: each request's slots together, with λ_p taken out
		c = c[:0]
		for i, r := range inc {
			b.optionsOf(r, tau, &opts[i])
			c = append(c, opts[i].logUsed()+b.lam[p]/tau)
		}
		old := b.lam[p]
		b.lam[p] = settled(tau*root1D(c, b.degCap[p]), old)
		if d := (old - b.lam[p]) / tau; d != 0 {
			for i := range inc {
				opts[i].shiftAll(d)
			}
		}
		// π_{p,s}
		for s := 0; s < nS; s++ {
			if b.perSlot[p*nS+s] == 0 {
				continue
			}
			own := b.pi[p*nS+s] / tau
			c = c[:0]
			for i, r := range inc {
				if b.allowed[r]&(1<<s) != 0 {
					c = append(c, opts[i].l[s]+own-opts[i].logOthers(s))
				}
			}
			t := settled(root1D(c, 1), own)
			b.pi[p*nS+s] = tau * t
			if own != t {
				for i, r := range inc {
					if b.allowed[r]&(1<<s) != 0 {
						opts[i].shift(s, own-t)
					}
				}
			}
		}
	}
	// μ_s
	free, all := b.free, b.freeOpts
	for i, r := range free {
		b.optionsOf(r, tau, &all[i])
	}
	for s := 0; s < nS; s++ {
		if stopped(ctx, deadline) {
			return false
		}
		own := b.mu[s] / tau
		c = c[:0]
		for i, r := range free {
			if b.allowed[r]&(1<<s) != 0 {
				c = append(c, all[i].l[s]+own-all[i].logOthers(s))
			}
		}
		t := settled(root1D(c, b.slotCap[s]), own)
		b.mu[s] = tau * t
		if own != t {
			for i, r := range free {
				if b.allowed[r]&(1<<s) != 0 {
					all[i].shift(s, own-t)
				}
			}
		}
	}
	return true
}
