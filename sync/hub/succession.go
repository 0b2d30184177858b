package hub

import (
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sort"
	"time"

	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/wire"
)

// localRetired lists the replica ids of hubs this file's hub took over
// from (machine-local): their ops, relayed by the desks that hold them,
// are admitted, since the lost hub cannot send them itself.
const localRetired = "hub/retired"

// CandidateCert is the certificate a station would serve with if promoted
// (made once, kept where a hub keeps its identity), and its fingerprint.
func CandidateCert(st *store.Store) (string, string, error) {
	_, fp, err := loadOrMakeIdentity(st)
	if err != nil {
		return "", "", err
	}
	var id identity
	if _, err := st.GetLocal(localIdentity, &id); err != nil {
		return "", "", err
	}
	return id.CertPEM, fp, nil
}

// noteCandidate records a station's offer to take over, with the address
// the hub saw it at first (the one other desks can most likely reach).
func (h *Server) noteCandidate(rec *tokenRecord, offer *wire.CandidateOffer, r *http.Request) {
	if offer == nil || rec.Kind != wire.KindStation {
		return
	}
	fp, addrs, err := wire.CheckOffer(*offer)
	if err != nil {
		h.log.Warn("candidate offer refused", "peer", rec.ID, "err", err)
		return
	}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		if ip := net.ParseIP(host); ip != nil {
			addrs = append([]string{ip.String()}, without(addrs, ip.String())...)
		}
	}
	_, _ = updateToken(h.st, rec.ID, func(cur *tokenRecord) { cur.CandidateFP, cur.Addrs = fp, addrs })
}

func without(list []string, s string) []string {
	out := list[:0:0]
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

// succession builds the signed list the stations keep (wire.Succession).
func (h *Server) succession() (*wire.Succession, error) {
	var id identity
	if _, err := h.st.GetLocal(localIdentity, &id); err != nil {
		return nil, err
	}
	_, port, _ := net.SplitHostPort(h.address)
	s := &wire.Succession{Event: h.host.EventID(), HubCert: id.CertPEM, HubReplica: h.st.Station(), Port: port,
		Candidates: []wire.Candidate{}, Devices: []wire.Device{}}
	err := h.st.ForEachLocal(tokenPrefix, func(_ string, raw []byte) error {
		var rec tokenRecord
		if err := json.Unmarshal(raw, &rec); err != nil {
			return err
		}
		s.Devices = append(s.Devices, wire.Device{ID: rec.ID, Hash: rec.Hash, Name: rec.Name, Kind: rec.Kind,
			Participant: rec.Participant, Replica: rec.Replica, Revoked: rec.Revoked})
		if rec.Kind == wire.KindStation && rec.Revoked == "" && rec.CandidateFP != "" && rec.Replica != "" {
			s.Candidates = append(s.Candidates, wire.Candidate{Replica: rec.Replica, Name: rec.Name, Fingerprint: rec.CandidateFP, Addrs: rec.Addrs})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(s.Devices, func(i, j int) bool { return s.Devices[i].ID < s.Devices[j].ID })
	sort.Slice(s.Candidates, func(i, j int) bool { return s.Candidates[i].Replica < s.Candidates[j].Replica })
	return s, nil
}

// successionFor is the list to send a station that holds the one with the
// given digest: nil when it is current.
func (h *Server) successionFor(held string) *wire.Succession {
	s, err := h.succession()
	if err != nil || s.Digest() == held {
		return nil
	}
	key, ok := h.cert.PrivateKey.(*ecdsa.PrivateKey)
	if !ok || s.Sign(key) != nil {
		return nil
	}
	return s
}

// TakeOver makes a station's file the venue's hub from its succession list:
// the devices the lost hub paired are admitted with the tokens they hold,
// and the lost hub's replica is marked retired so its ops, relayed by the
// desks, are admitted. The station's own candidate certificate (already its
// hub identity) is what the other desks were told to trust. The caller
// removes the station link and starts the hub.
func TakeOver(st *store.Store, s wire.Succession, now time.Time) error {
	candidates := map[string]wire.Candidate{}
	for _, c := range s.Candidates {
		candidates[c.Replica] = c
	}
	for _, d := range s.Devices {
		var cur tokenRecord
		found, err := st.GetLocal(tokenPrefix+d.ID, &cur)
		if err != nil {
			return err
		}
		if found {
			continue
		}
		rec := tokenRecord{ID: d.ID, Hash: d.Hash, Name: d.Name, Kind: d.Kind, Participant: d.Participant, Replica: d.Replica,
			Revoked: d.Revoked, Created: now.Format(time.RFC3339)}
		if c, ok := candidates[d.Replica]; ok && d.Replica != "" {
			// Still able to take over in turn, should this laptop be lost too.
			rec.CandidateFP, rec.Addrs = c.Fingerprint, c.Addrs
		}
		if d.Replica == st.Station() {
			// This laptop's own desk token: it is the hub now.
			rec.Revoked = now.Format(time.RFC3339)
		}
		if err := st.PutLocal(tokenPrefix+d.ID, rec); err != nil {
			return err
		}
	}
	var retired []string
	if _, err := st.GetLocal(localRetired, &retired); err != nil {
		return err
	}
	if s.HubReplica != "" && s.HubReplica != st.Station() {
		retired = append(without(retired, s.HubReplica), s.HubReplica)
	}
	if err := st.PutLocal(localRetired, retired); err != nil {
		return fmt.Errorf("take over: %w", err)
	}
	return nil
}

// retiredReplicas are the lost hubs whose relayed ops this hub admits.
func retiredReplicas(st *store.Store) map[string]bool {
	var list []string
	_, _ = st.GetLocal(localRetired, &list)
	out := map[string]bool{}
	for _, r := range list {
		out[r] = true
	}
	return out
}

// successorURLs are the listed candidates' hub addresses a phone on the
// venue network could reach (loopback left out: it would be the phone).
func (h *Server) successorURLs() []string {
	out := []string{}
	s, err := h.succession()
	if err != nil {
		return out
	}
	for _, c := range s.Candidates {
		for _, a := range c.Addrs {
			if ip := net.ParseIP(a); ip != nil && !ip.IsLoopback() {
				out = append(out, "https://"+net.JoinHostPort(a, s.Port))
			}
		}
	}
	return out
}
