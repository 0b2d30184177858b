package hub

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fuzhi/eventdesk/internal/netlimit"
	"github.com/fuzhi/eventdesk/sync/wire"
)

// clockHost is the test host with a clock the test moves.
type clockHost struct {
	fakeHost
	mu  sync.Mutex
	now time.Time
}

func (c *clockHost) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clockHost) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func newClockHub(t *testing.T) (*testHub, *clockHost) {
	host := &clockHost{now: time.Date(2026, 5, 20, 9, 0, 0, 0, time.UTC)}
	return newTestHubWith(t, host), host
}

func TestAPairingCodeCarries65RandomBits(t *testing.T) {
	h, _ := newClockHub(t)
	seen := map[string]bool{}
	for range MaxOutstandingCodes {
		c, err := h.srv.NewCode(wire.KindStation, "", "")
		if err != nil {
			t.Fatal(err)
		}
		raw := NormalizeCode(c.Code)
		if len(raw) != 13 || strings.Trim(raw, codeAlphabet) != "" {
			t.Fatalf("code %q (%q) is not 13 base32 characters", c.Code, raw)
		}
		if c.Code != raw[:4]+"-"+raw[4:8]+"-"+raw[8:] {
			t.Errorf("code is shown as %q, want it in groups of 4-4-5", c.Code)
		}
		if !strings.Contains(c.Link, "code="+raw+"&") {
			t.Errorf("link %q does not carry the code %s", c.Link, raw)
		}
		if _, code, _, err := wire.ParsePairing(c.Link); err != nil || NormalizeCode(code) != raw {
			t.Errorf("a station reads %q from the link (%v)", code, err)
		}
		if seen[raw] {
			t.Fatalf("code %s made twice", raw)
		}
		seen[raw] = true
	}
	// Each character is 5 uniform bits: over many codes every character of
	// the alphabet appears (a code built from fewer symbols fails here).
	used := map[rune]bool{}
	for range 200 {
		for _, r := range newPairingCode() {
			used[r] = true
		}
	}
	if len(used) != 32 {
		t.Errorf("codes use %d symbols, want all 32", len(used))
	}
	if got := NormalizeCode(" abcd-efgh ijklm\t"); got != "ABCDEFGHIJKLM" {
		t.Errorf("typed code normalised to %q", got)
	}
}

func TestOutstandingCodesAreCappedAndExpiredOnesPruned(t *testing.T) {
	h, clock := newClockHub(t)
	for range MaxOutstandingCodes {
		if _, err := h.srv.NewCode(wire.KindStation, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.srv.NewCode(wire.KindStation, "", ""); !errors.Is(err, ErrTooManyCodes) {
		t.Fatalf("code %d: %v, want ErrTooManyCodes", MaxOutstandingCodes+1, err)
	}
	clock.advance(PairingTTL)
	if n := len(h.srv.ActiveCodes()); n != 0 {
		t.Errorf("%d codes still active after they expired", n)
	}
	h.srv.mu.Lock()
	kept := len(h.srv.codes)
	h.srv.mu.Unlock()
	if kept != 0 {
		t.Errorf("%d expired codes kept in memory", kept)
	}
	if _, err := h.srv.NewCode(wire.KindStation, "", ""); err != nil {
		t.Errorf("after the old codes expired: %v", err)
	}
}

func (h *testHub) tryPair(path, code, kind string) (int, error) {
	var pr wire.PairResponse
	err := wire.PostJSON(context.Background(), h.client, "https://"+h.srv.Address()+path, "", wire.PairRequest{Code: code, Kind: kind}, &pr)
	var he *wire.HTTPError
	if errors.As(err, &he) {
		return he.Status, err
	}
	if err != nil {
		return 0, err
	}
	return http.StatusOK, nil
}

func TestAWrongKindOfCodeIsNotSpent(t *testing.T) {
	h, _ := newClockHub(t)
	c, err := h.srv.NewCode(wire.KindExhibitor, "P1", "甲公司 · 张三")
	if err != nil {
		t.Fatal(err)
	}
	status, err := h.tryPair("/sync/pair", c.Code, wire.KindStation)
	if status != http.StatusUnauthorized || !strings.Contains(err.Error(), "展商的配对码") {
		t.Fatalf("an exhibitor's code used by a station: %d %v", status, err)
	}
	if status, err := h.tryPair("/x/api/pair", strings.ToLower(c.Code), wire.KindExhibitor); status != http.StatusOK {
		t.Fatalf("the exhibitor's phone then: %d %v", status, err)
	}
	if status, _ := h.tryPair("/x/api/pair", c.Code, wire.KindExhibitor); status != http.StatusUnauthorized {
		t.Errorf("a code redeemed twice: %d", status)
	}
}

// The per-address limit, measured over the network as an attacker sees
// it: as fast as one client can send, how many guesses are looked at?
func TestPairingGuessesFromOneAddressAreRateLimited(t *testing.T) {
	h := newTestHub(t) // real clock: the limiter runs on the hub's time
	valid, err := h.srv.NewCode(wire.KindStation, "", "")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	looked, throttled := 0, 0
	for i := range 200 {
		status, err := h.tryPair("/sync/pair", fmt.Sprintf("WRONG%08d", i), wire.KindStation)
		switch status {
		case http.StatusUnauthorized:
			looked++
		case http.StatusTooManyRequests:
			throttled++
		default:
			t.Fatalf("guess %d: %d %v", i, status, err)
		}
	}
	elapsed := time.Since(start)
	allowed := perAddressBurst + int(elapsed/perAddressEvery) + 1
	t.Logf("200 guesses in %v: %d looked at (%.1f/s), %d refused with 429; the limit allows %d",
		elapsed.Round(time.Millisecond), looked, float64(looked)/elapsed.Seconds(), throttled, allowed)
	if looked > allowed || looked < perAddressBurst {
		t.Errorf("%d guesses looked at in %v, want %d..%d", looked, elapsed, perAddressBurst, allowed)
	}
	// While throttled even the right code is refused, so a guesser learns
	// nothing from the answers; the code is not spent.
	if status, _ := h.tryPair("/sync/pair", valid.Code, wire.KindStation); status != http.StatusTooManyRequests {
		t.Errorf("the right code while throttled: %d, want 429", status)
	}
	if n := len(h.srv.ActiveCodes()); n != 1 {
		t.Errorf("%d codes active, want the unspent one", n)
	}
}

// The global limit: many addresses (a botnet on the venue Wi-Fi) together
// get globalBurst guesses, then one a second; an honest device that only
// ever sends right codes is never slowed before that.
func TestPairingGuessesFromManyAddressesShareOneLimit(t *testing.T) {
	h, clock := newClockHub(t)
	looked := 0
	for i := range 500 {
		_, err := h.srv.redeem("WRONGWRONGWRO", wire.KindStation, fmt.Sprintf("10.0.%d.%d", i/250, i%250))
		if !errors.Is(err, errThrottled) {
			looked++
		}
	}
	if looked != globalBurst {
		t.Errorf("500 addresses at one instant: %d guesses looked at, want %d", looked, globalBurst)
	}
	for i := range 10 {
		clock.advance(globalEvery)
		if _, err := h.srv.redeem("WRONGWRONGWRO", wire.KindStation, fmt.Sprintf("10.9.%d.1", i)); errors.Is(err, errThrottled) {
			t.Fatalf("second %d: the hub still refuses everyone", i)
		}
		if _, err := h.srv.redeem("WRONGWRONGWRO", wire.KindStation, fmt.Sprintf("10.9.%d.2", i)); !errors.Is(err, errThrottled) {
			t.Fatalf("second %d: two guesses in one second both looked at", i)
		}
	}
	// Right codes spend nothing: 30 devices pair in a row.
	h2, _ := newClockHub(t)
	for i := range 30 {
		c, err := h2.srv.NewCode(wire.KindStation, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h2.srv.redeem(c.Code, wire.KindStation, "10.1.1.1"); err != nil {
			t.Fatalf("honest device %d: %v", i, err)
		}
	}
	// The limiter forgets the oldest addresses, not the newest, when full.
	g := newPairingGate()
	base := time.Date(2026, 5, 20, 9, 0, 0, 0, time.UTC)
	for i := range maxTrackedAddresses + 10 {
		g.spend(fmt.Sprintf("a%d", i), base.Add(time.Duration(i)*time.Millisecond))
	}
	if len(g.perAddr) != maxTrackedAddresses {
		t.Errorf("tracking %d addresses, want at most %d", len(g.perAddr), maxTrackedAddresses)
	}
	if _, ok := g.perAddr[fmt.Sprintf("a%d", maxTrackedAddresses+9)]; !ok {
		t.Error("the newest address was forgotten")
	}
}

// The venue listener cuts slow bodies and idle connections (the behaviour
// itself is tested in internal/netlimit).
func TestTheHubListenerHasDeadlines(t *testing.T) {
	h := newTestHub(t)
	if h.srv.srv.ReadTimeout != netlimit.Venue.ReadTimeout || h.srv.srv.IdleTimeout != netlimit.Venue.IdleTimeout || h.srv.srv.ReadTimeout == 0 {
		t.Errorf("hub read %v idle %v", h.srv.srv.ReadTimeout, h.srv.srv.IdleTimeout)
	}
}
