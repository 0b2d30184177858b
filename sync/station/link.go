// Package station keeps a station's event file in step with its hub: the
// pairing that makes the station's copy, and the exchange loop over TLS
// pinned to the hub's fingerprint. Everything a station does is stored
// locally first; the link only ever moves ops, so the station works the
// same with and without the venue network.
package station

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/wire"
)

// LocalKey is where a station's file remembers its hub (machine-local).
const LocalKey = "station/hub"

// Config is what a station remembers about its hub.
type Config struct {
	Address     string `json:"address"` // https://host:port
	Fingerprint string `json:"fingerprint"`
	Token       string `json:"token"`
	Event       string `json:"event"`
	Name        string `json:"name"`
	// Relay lists lost hubs' replica ids whose ops this station sends on to
	// the hub that took over (their ops exist only on the desks now).
	Relay []string `json:"relay,omitempty"`
}

// ConfigOf reads the hub a file syncs with; ok is false for a file that is
// not a station's.
func ConfigOf(st *store.Store) (Config, bool) {
	var cfg Config
	ok, _ := st.GetLocal(LocalKey, &cfg)
	return cfg, ok
}

// Client talks to a hub whose certificate has the pinned fingerprint.
func Client(fingerprint string) *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: wire.PinnedTLS(fingerprint)}}
}

// Link keeps one station file in step with its hub.
type Link struct {
	st      *store.Store
	cfg     Config
	client  *http.Client
	now     func() time.Time
	changed func()
	log     *slog.Logger

	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	hubVV   map[string]uint64
	lastOK  time.Time
	lastErr string
	// offer is this station's candidacy (its certificate and addresses);
	// succ the hub's signed succession list it holds; failures counts the
	// exchanges that could not reach the hub in a row.
	offer     *wire.CandidateOffer
	succ      *wire.Succession
	failures  int
	lastProbe time.Time // the last round of tries of the successors
}

// New makes a link; changed is called when the network status changed.
func New(st *store.Store, cfg Config, now func() time.Time, changed func()) *Link {
	if changed == nil {
		changed = func() {}
	}
	l := &Link{st: st, cfg: cfg, client: Client(cfg.Fingerprint), now: now, changed: changed, log: slog.New(slog.DiscardHandler)}
	if s, ok := SuccessionOf(st); ok {
		l.succ = &s
	}
	return l
}

// WithLogger logs the link going offline and coming back (not every retry).
func (l *Link) WithLogger(logger *slog.Logger) *Link {
	l.log = logger.With("part", "station", "hub", l.cfg.Address)
	return l
}

// Config is the hub this link talks to.
func (l *Link) Config() Config {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cfg
}

// Start runs the exchange loop in the background until Stop.
func (l *Link) Start(ctx context.Context) {
	ctx, l.cancel = context.WithCancel(ctx)
	l.wg.Add(1)
	go l.run(ctx)
}

// Stop ends the background loop and waits for it.
func (l *Link) Stop() {
	if l.cancel != nil {
		l.cancel()
		l.wg.Wait()
	}
}

// Status is the link as the network screen shows it.
type Status struct {
	Online   bool
	LastSync time.Time
	LastErr  string
	HubVV    map[string]uint64
	Pending  int // ops this station has to send that the hub lacks
}

// Status reports whether the hub answered lately, and what it holds.
func (l *Link) Status() Status {
	mine, _ := l.st.VersionVector()
	l.mu.Lock()
	defer l.mu.Unlock()
	return Status{Online: !l.lastOK.IsZero() && l.now().Sub(l.lastOK) < 10*time.Second && l.lastErr == "",
		LastSync: l.lastOK, LastErr: l.lastErr, HubVV: l.hubVV, Pending: behindIn(mine, l.hubVV, l.relaySet(l.cfg))}
}

// run exchanges ops every second while there is something to say, backing
// off to five seconds while the hub cannot be reached.
func (l *Link) run(ctx context.Context) {
	defer l.wg.Done()
	wait := time.Duration(0)
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		more, err := l.Exchange(ctx)
		switch {
		case err != nil:
			wait = min(max(2*wait, time.Second), 5*time.Second)
		case more:
			wait = 0
		default:
			wait = time.Second
		}
	}
}

// SyncAll exchanges until neither side has anything left for the other.
func (l *Link) SyncAll(ctx context.Context) error {
	for {
		more, err := l.Exchange(ctx)
		if err != nil || !more {
			return err
		}
	}
}

// Exchange sends the ops the hub lacks and receives the ops this station
// lacks, in one round trip. It reports whether either side had more.
func (l *Link) Exchange(ctx context.Context) (bool, error) {
	l.mu.Lock()
	hubVV, cfg, client := l.hubVV, l.cfg, l.client
	l.mu.Unlock()
	mine, err := l.st.VersionVector()
	if err != nil {
		return false, err
	}
	relay := l.relaySet(cfg)
	var send []store.Op
	if hubVV != nil {
		if send, _, err = l.st.OpsSince(sendVector(mine, hubVV, relay), wire.SyncBatch); err != nil {
			return false, err
		}
	}
	pending := behindIn(mine, hubVV, relay)
	req := wire.ExchangeRequest{VV: mine, Ops: send, Pending: pending, Candidate: l.candidacy(), Succession: l.heldDigest()}
	var resp wire.ExchangeResponse
	err = wire.PostJSON(ctx, client, cfg.Address+"/sync/exchange", cfg.Token, req, &resp)
	if err != nil {
		l.mu.Lock()
		wasOnline := l.lastErr == ""
		l.lastErr = err.Error()
		l.failures++
		failures := l.failures
		l.mu.Unlock()
		if wasOnline {
			l.log.Warn("hub unreachable", "err", err)
		}
		l.changed()
		var refused *wire.HTTPError
		if failures >= takeoverAfter && !errors.As(err, &refused) {
			if l.followSuccessor(ctx) {
				return true, nil
			}
		}
		return false, err
	}
	if len(resp.Ops) > 0 {
		if _, err := l.st.Ingest(ctx, resp.Ops); err != nil {
			return false, fmt.Errorf("保存主控机的数据失败：%w", err)
		}
	}
	if resp.Succession != nil {
		l.keepSuccession(*resp.Succession, cfg)
	}
	l.mu.Lock()
	wasOffline := l.lastErr != "" || l.lastOK.IsZero()
	l.hubVV, l.lastOK, l.lastErr, l.failures = resp.VV, l.now(), "", 0
	l.mu.Unlock()
	if wasOffline {
		l.log.Info("hub reachable", "sent", len(send), "received", len(resp.Ops))
	}
	if wasOffline || len(send) > 0 || len(resp.Ops) > 0 {
		l.changed()
	}
	// Go again at once while either side still has something for the
	// other: the hub said so, or the hub's vector (which already counts
	// what was just sent) is behind this station's in what it sends. That
	// also covers the first exchange, which only learns what the hub has.
	return resp.More || behindIn(mine, resp.VV, relay) > 0, nil
}

// Join pairs with a hub as a station, using what the hub shows (the link,
// or address + code + fingerprint), and copies the event from it into a
// new file under dir. It returns the file's path; the caller opens it.
func Join(ctx context.Context, dir, pairing, name string) (string, error) {
	addr, code, fp, err := wire.ParsePairing(pairing)
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(name) == "" {
		name, _ = os.Hostname()
	}
	client := Client(fp)
	var paired wire.PairResponse
	if err := wire.PostJSON(ctx, client, addr+"/sync/pair", "", wire.PairRequest{Code: code, Name: name, Kind: wire.KindStation}, &paired); err != nil {
		return "", fmt.Errorf("配对失败：%w", err)
	}
	if !wire.ValidID(paired.Event) {
		// The id names the file: a hub answering "../../x" must not make
		// this machine write outside its data folder.
		return "", fmt.Errorf("配对失败：主控机返回的活动编号不合法（%.40q）", paired.Event)
	}
	path := filepath.Join(dir, fmt.Sprintf("分站-%s-%s.fzevent", paired.Event, safeFileName(name)))
	if _, err := os.Stat(path); err == nil {
		path = strings.TrimSuffix(path, ".fzevent") + "-" + randomSuffix() + ".fzevent"
	}
	// The copy is made under a temporary name and renamed when complete,
	// so a join cut off half way leaves no file that looks like an event.
	partial := path + ".partial"
	st, err := store.Open(ctx, partial, store.Options{Station: paired.Replica})
	if err != nil {
		return "", err
	}
	cfg := Config{Address: addr, Fingerprint: fp, Token: paired.Token, Event: paired.Event, Name: name}
	if err := st.PutLocal(LocalKey, cfg); err != nil {
		st.Close()
		os.Remove(partial)
		return "", err
	}
	link := New(st, cfg, time.Now, nil)
	if err := link.SyncAll(ctx); err != nil {
		st.Close()
		os.Remove(partial)
		return "", fmt.Errorf("从主控机接收活动失败：%w", err)
	}
	if err := st.Close(); err != nil {
		os.Remove(partial)
		return "", fmt.Errorf("保存分站文件：%w", err)
	}
	// The station's copy was written in many small transactions; it is
	// compacted on its way to its final name (a 50,000-person event came
	// to twice its compacted size).
	defer os.Remove(partial)
	if _, _, err := store.CompactFile(ctx, partial, path); err != nil {
		if err := os.Rename(partial, path); err != nil {
			return "", fmt.Errorf("保存分站文件：%w", err)
		}
	}
	return path, nil
}

func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>| `, r) {
			return '_'
		}
		return r
	}, s)
}

func randomSuffix() string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
