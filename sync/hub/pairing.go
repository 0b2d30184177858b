package hub

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"sort"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/fuzhi/eventdesk/sync/wire"
)

// Pairing codes are the only secret a new device needs, and anyone on the
// venue Wi-Fi can try them, so a code carries 65 random bits (13 base32
// characters, still one small QR and typeable in three groups), lives ten
// minutes, and the hub answers only a few wrong guesses: a guesser gets
// about one try every 6 seconds from one address and one a second from all
// addresses together, which puts a 2^-40 chance of a hit out of reach.
const (
	// PairingTTL is how long a pairing code can be redeemed.
	PairingTTL = 10 * time.Minute
	// MaxOutstandingCodes caps the codes waiting to be redeemed: each one
	// is a target for guessing, and an organizer never needs more at once.
	MaxOutstandingCodes = 50

	codeLength = 13

	// Wrong codes allowed per address: a burst of 5 (typing mistakes),
	// then one every 6 seconds.
	perAddressBurst = 5
	perAddressEvery = 6 * time.Second
	// Wrong codes allowed from everyone together.
	globalBurst = 20
	globalEvery = time.Second
	// Addresses remembered for limiting; older ones are forgotten first.
	maxTrackedAddresses = 4096
)

// The standard base32 alphabet has no 0, 1, 8 or 9 to mistake for O, I, L
// or B, and codes are normalised as typed (case, spaces, dashes).
const codeAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// newPairingCode is codeLength characters of codeAlphabet, 5 random bits
// each: the first 13 characters of 9 random bytes in base32 (72 bits).
func newPairingCode() string { return RandomToken(9)[:codeLength] }

// groupCode shows a code as people read it aloud: ABCD-EFGH-IJKLM.
func groupCode(c string) string {
	if len(c) != codeLength {
		return c
	}
	return c[:4] + "-" + c[4:8] + "-" + c[8:]
}

// NormalizeCode accepts a code as typed: any case, with spaces or dashes.
func NormalizeCode(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, strings.TrimSpace(s))
}

// ErrTooManyCodes is returned when MaxOutstandingCodes are waiting.
var ErrTooManyCodes = fmt.Errorf("已有 %d 个配对码尚未使用：请先用掉或等它们过期（%d 分钟）再生成", MaxOutstandingCodes, int(PairingTTL/time.Minute))

// errThrottled answers a guesser (HTTP 429), without saying whether the
// code would have been right.
var errThrottled = errors.New("配对尝试过于频繁，请稍等一分钟再试")

// pairingGate counts wrong pairing codes per address and in total. Only
// wrong codes spend its allowance, so an organizer pairing twenty phones in
// a row is never slowed; once an address or the whole hub is out of
// allowance, every attempt is refused before the code is looked at.
type pairingGate struct {
	global  *rate.Limiter
	perAddr map[string]*trackedLimiter
}

type trackedLimiter struct {
	lim  *rate.Limiter
	seen time.Time
}

func newPairingGate() *pairingGate {
	return &pairingGate{
		global:  rate.NewLimiter(rate.Every(globalEvery), globalBurst),
		perAddr: map[string]*trackedLimiter{},
	}
}

// open reports whether addr may try a code now (the caller holds h.mu).
func (g *pairingGate) open(addr string, now time.Time) bool {
	if g.global.TokensAt(now) < 1 {
		return false
	}
	if l, ok := g.perAddr[addr]; ok && l.lim.TokensAt(now) < 1 {
		return false
	}
	return true
}

// spend records a wrong code from addr (the caller holds h.mu).
func (g *pairingGate) spend(addr string, now time.Time) {
	g.global.AllowN(now, 1)
	l, ok := g.perAddr[addr]
	if !ok {
		if len(g.perAddr) >= maxTrackedAddresses {
			g.forgetOldest()
		}
		l = &trackedLimiter{lim: rate.NewLimiter(rate.Every(perAddressEvery), perAddressBurst)}
		g.perAddr[addr] = l
	}
	l.seen = now
	l.lim.AllowN(now, 1)
}

// forgetOldest drops the address that guessed least recently. Forgetting
// gives that address its burst back, but the global limit still holds.
func (g *pairingGate) forgetOldest() {
	var oldest string
	var at time.Time
	for a, l := range g.perAddr {
		if oldest == "" || l.seen.Before(at) {
			oldest, at = a, l.seen
		}
	}
	delete(g.perAddr, oldest)
}

// clientAddress is the address a request came from, without its port, so
// that one machine is one address whatever port it dials from.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// NewCode makes a one-time code for a station or for an exhibitor (who
// collects leads as participant; name is shown on the phone).
func (h *Server) NewCode(kind, participant, name string) (*PairingCode, error) {
	now := h.host.Now()
	h.mu.Lock()
	defer h.mu.Unlock()
	h.pruneCodes(now)
	if len(h.codes) >= MaxOutstandingCodes {
		return nil, ErrTooManyCodes
	}
	code := newPairingCode()
	pc := &PairingCode{Code: groupCode(code), Kind: kind, Participant: participant, Name: name, Expires: now.Add(PairingTTL).Format(time.RFC3339)}
	if kind == wire.KindExhibitor {
		pc.Link = fmt.Sprintf("https://%s/x/#code=%s", h.address, code)
	} else {
		pc.Link = fmt.Sprintf("fzhub://%s?code=%s&fp=%s", h.address, code, h.fp)
	}
	h.codes[code] = pc
	return pc, nil
}

// pruneCodes forgets expired codes (the caller holds h.mu).
func (h *Server) pruneCodes(now time.Time) {
	for k, c := range h.codes {
		if exp, err := time.Parse(time.RFC3339, c.Expires); err != nil || !now.Before(exp) {
			delete(h.codes, k)
		}
	}
}

// ActiveCodes are the codes not yet redeemed or expired, newest first.
func (h *Server) ActiveCodes() []PairingCode {
	now := h.host.Now()
	h.mu.Lock()
	defer h.mu.Unlock()
	h.pruneCodes(now)
	out := make([]PairingCode, 0, len(h.codes))
	for _, c := range h.codes {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Expires > out[j].Expires })
	return out
}

// redeem spends a pairing code: valid for minutes, once, and only for its
// kind of device. A code of the other kind is not spent (the organizer
// handed the wrong one; the right device can still use it), but counts as
// a wrong guess.
func (h *Server) redeem(code, kind, addr string) (*PairingCode, error) {
	now := h.host.Now()
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.gate.open(addr, now) {
		return nil, errThrottled
	}
	h.pruneCodes(now)
	key := NormalizeCode(code)
	c, ok := h.codes[key]
	if !ok {
		h.gate.spend(addr, now)
		return nil, errors.New("配对码无效、已过期或已被使用，请在主控机上重新生成")
	}
	if c.Kind != kind {
		h.gate.spend(addr, now)
		return nil, fmt.Errorf("这是%s的配对码", map[string]string{wire.KindStation: "分站", wire.KindExhibitor: "展商"}[c.Kind])
	}
	delete(h.codes, key)
	return c, nil
}
