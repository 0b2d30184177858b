package station

import (
	"context"
	"net"
	"slices"
	"sync"
	"time"

	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/wire"
)

// LocalSuccession is where a station keeps its hub's signed succession
// list (machine-local): who may take over if the hub laptop is lost.
const LocalSuccession = "station/succession"

// takeoverAfter is how many exchanges in a row must fail to reach the hub
// (about ten seconds with the loop's back-off) before the link looks for a
// station that took over.
const takeoverAfter = 3

// probeTimeout bounds one round of tries of the candidates' addresses,
// and successorRetry spaces the rounds.
const (
	probeTimeout   = 3 * time.Second
	successorRetry = 15 * time.Second
)

// SuccessionOf reads the succession list a station file holds.
func SuccessionOf(st *store.Store) (wire.Succession, bool) {
	var s wire.Succession
	ok, err := st.GetLocal(LocalSuccession, &s)
	return s, ok && err == nil
}

// WithCandidate offers this station as a hub, serving with certPEM, to be
// listed in the hub's succession list (hub.CandidateCert makes it).
func (l *Link) WithCandidate(certPEM string, addrs []string) *Link {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.offer = &wire.CandidateOffer{Cert: certPEM, Addrs: addrs}
	return l
}

// candidacy is the offer to send: only until the list this station holds
// names it (the offer is a few hundred bytes; no need to repeat it).
func (l *Link) candidacy() *wire.CandidateOffer {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.offer == nil {
		return nil
	}
	if l.succ != nil {
		for _, c := range l.succ.Candidates {
			if c.Replica == l.st.Station() {
				return nil
			}
		}
	}
	return l.offer
}

func (l *Link) heldDigest() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.succ == nil {
		return ""
	}
	return l.succ.Digest()
}

// keepSuccession stores a list the pinned hub signed; anything else is
// ignored (and logged): a list is trusted only through the hub's key.
func (l *Link) keepSuccession(s wire.Succession, cfg Config) {
	if err := s.Verify(cfg.Fingerprint, cfg.Event); err != nil {
		l.log.Warn("succession list ignored", "err", err)
		return
	}
	if err := l.st.PutLocal(LocalSuccession, s); err != nil {
		l.log.Warn("succession list not kept", "err", err)
		return
	}
	l.mu.Lock()
	l.succ = &s
	l.mu.Unlock()
}

// relaySet is what this station sends: its own ops, and those of lost hubs
// it holds for the hub that took over. Other desks send their own.
func (l *Link) relaySet(cfg Config) map[string]bool {
	set := map[string]bool{l.st.Station(): true}
	for _, r := range cfg.Relay {
		set[r] = true
	}
	return set
}

// sendVector is the hub's vector with every replica this station does not
// send marked as complete, so OpsSince returns only ops it may send.
func sendVector(mine, hub map[string]uint64, relay map[string]bool) map[string]uint64 {
	vv := make(map[string]uint64, len(mine))
	for k, v := range hub {
		vv[k] = v
	}
	for k, v := range mine {
		if !relay[k] && v > vv[k] {
			vv[k] = v
		}
	}
	return vv
}

// behindIn counts the ops this station would send that the hub lacks.
func behindIn(mine, hub map[string]uint64, relay map[string]bool) int {
	n := 0
	for k, v := range mine {
		if relay[k] && v > hub[k] {
			n += int(v - hub[k])
		}
	}
	return n
}

// followSuccessor looks, while the hub cannot be reached, for a candidate
// from the signed list that now answers as hub: it must present the
// certificate the lost hub vouched for, and admit this station's token.
// On success the link follows it for good (and relays the lost hub's ops
// it holds); no pairing by hand. Every listed address is tried at once, at
// most every successorRetry: during a Wi-Fi outage every probe times out,
// and the link must not spend the outage probing one address after another
// while the real hub comes back.
func (l *Link) followSuccessor(ctx context.Context) bool {
	l.mu.Lock()
	succ, cfg := l.succ, l.cfg
	// Real time, not l.now (tests pin that to the event day).
	due := l.lastProbe.IsZero() || time.Since(l.lastProbe) >= successorRetry
	if due {
		l.lastProbe = time.Now()
	}
	l.mu.Unlock()
	if succ == nil || succ.Port == "" || !due {
		return false
	}
	// The probe is a real exchange with this station's vector, so a hub
	// that took over sends only what is missing (an empty vector would
	// fetch a whole batch to throw away).
	mine, err := l.st.VersionVector()
	if err != nil {
		return false
	}
	type found struct {
		c       wire.Candidate
		address string
	}
	probe, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	answers := make(chan found)
	var wg sync.WaitGroup
	for _, c := range succ.Candidates {
		if c.Replica == l.st.Station() || c.Fingerprint == cfg.Fingerprint {
			continue
		}
		client := Client(c.Fingerprint)
		for _, addr := range c.Addrs {
			address := "https://" + net.JoinHostPort(addr, succ.Port)
			wg.Add(1)
			go func() {
				defer wg.Done()
				var resp wire.ExchangeResponse
				if wire.PostJSON(probe, client, address+"/sync/exchange", cfg.Token, wire.ExchangeRequest{VV: mine}, &resp) == nil {
					select {
					case answers <- found{c, address}:
					case <-probe.Done():
					}
				}
			}()
		}
	}
	go func() { wg.Wait(); close(answers) }()
	hit, ok := <-answers
	cancel() // the other probes stop
	if !ok {
		return false
	}
	next := cfg
	next.Address, next.Fingerprint = hit.address, hit.c.Fingerprint
	if succ.HubReplica != "" && !slices.Contains(next.Relay, succ.HubReplica) {
		next.Relay = append(slices.Clone(next.Relay), succ.HubReplica)
	}
	if err := l.st.PutLocal(LocalKey, next); err != nil {
		l.log.Warn("new hub not remembered", "err", err)
		return false
	}
	l.mu.Lock()
	l.cfg, l.client, l.hubVV, l.failures = next, Client(hit.c.Fingerprint), nil, 0
	l.mu.Unlock()
	l.log.Warn("following the station that took over as hub", "name", hit.c.Name, "replica", hit.c.Replica, "address", hit.address)
	l.changed()
	return true
}
