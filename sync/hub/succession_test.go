package hub

import (
	"context"
	"strings"
	"testing"

	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/wire"
)

// A station offers itself and receives the signed list; an exhibitor's
// phone hears where the listed desks would serve (never a loopback
// address, which would be the phone itself); an exhibitor cannot offer.
func TestTheHubListsCandidatesAndSignsTheList(t *testing.T) {
	h := newTestHub(t)
	station := h.pair(t, wire.KindStation)
	exhibitor := h.pair(t, wire.KindExhibitor)
	// The station's own certificate, made as a station makes it.
	dir := t.TempDir()
	st2, err := store.Open(context.Background(), dir+"/station.fzevent", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	certPEM, fp, err := CandidateCert(st2)
	if err != nil {
		t.Fatal(err)
	}
	var resp wire.ExchangeResponse
	req := wire.ExchangeRequest{VV: map[string]uint64{}, Candidate: &wire.CandidateOffer{Cert: certPEM, Addrs: []string{"192.168.1.20", "not an ip"}}}
	if err := wire.PostJSON(context.Background(), h.client, "https://"+h.srv.Address()+"/sync/exchange", station.Token, req, &resp); err != nil {
		t.Fatal(err)
	}
	s := resp.Succession
	if s == nil || s.Verify(h.srv.Fingerprint(), "E1") != nil {
		t.Fatalf("no valid list: %+v", s)
	}
	if len(s.Candidates) != 1 || s.Candidates[0].Fingerprint != fp || s.Candidates[0].Replica != station.Replica || len(s.Devices) != 2 {
		t.Fatalf("list %+v", s)
	}
	if got := strings.Join(s.Candidates[0].Addrs, ","); got != "127.0.0.1,192.168.1.20" {
		t.Fatalf("candidate addresses %s: the one the hub saw first, then the offered IPs", got)
	}
	for _, d := range s.Devices {
		if strings.Contains(d.Hash, strings.Split(station.Token, ".")[2]) || d.Hash == "" {
			t.Fatalf("the list carries a secret, not its hash: %+v", d)
		}
	}
	// Holding it, the station is not sent it again.
	req = wire.ExchangeRequest{VV: map[string]uint64{}, Succession: s.Digest()}
	resp = wire.ExchangeResponse{}
	if err := wire.PostJSON(context.Background(), h.client, "https://"+h.srv.Address()+"/sync/exchange", station.Token, req, &resp); err != nil || resp.Succession != nil {
		t.Fatalf("a current list was sent again (%v)", err)
	}
	var me wire.ExhibitorMe
	if err := wire.PostJSON(context.Background(), h.client, "https://"+h.srv.Address()+"/x/api/me", exhibitor.Token, struct{}{}, &me); err != nil {
		t.Fatal(err)
	}
	_, port, _ := strings.Cut(h.srv.Address(), ":")
	if len(me.Successors) != 1 || me.Successors[0] != "https://192.168.1.20:"+port {
		t.Fatalf("exhibitor successors %v", me.Successors)
	}
	// An exhibitor's token cannot exchange, so it cannot offer itself.
	req = wire.ExchangeRequest{VV: map[string]uint64{}, Candidate: &wire.CandidateOffer{Cert: certPEM}}
	if err := wire.PostJSON(context.Background(), h.client, "https://"+h.srv.Address()+"/sync/exchange", exhibitor.Token, req, &resp); err == nil {
		t.Fatal("an exhibitor exchanged ops")
	}
}
