package hub

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"sort"
	"strings"
	"time"

	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/wire"
)

// The hub's TLS identity is a self-signed certificate made once per event
// file and kept in the machine-local bucket; stations pin its fingerprint.
type identity struct {
	CertPEM string `json:"cert"`
	KeyPEM  string `json:"key"`
}

const localIdentity = "hub/identity"

func loadOrMakeIdentity(st *store.Store) (tls.Certificate, string, error) {
	var id identity
	found, err := st.GetLocal(localIdentity, &id)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	if !found {
		if id, err = makeIdentity(); err != nil {
			return tls.Certificate{}, "", fmt.Errorf("make hub certificate: %w", err)
		}
		if err := st.PutLocal(localIdentity, id); err != nil {
			return tls.Certificate{}, "", err
		}
	}
	cert, err := tls.X509KeyPair([]byte(id.CertPEM), []byte(id.KeyPEM))
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("read hub certificate: %w", err)
	}
	return cert, wire.Fingerprint(cert.Certificate[0]), nil
}

func makeIdentity() (identity, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return identity{}, err
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "赋智会务台主控机", Organization: []string{"Fuzhi Event Desk"}},
		NotBefore:    time.Now().Add(-24 * time.Hour),
		NotAfter:     time.Now().Add(3 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  append(LocalIPs(), net.IPv4(127, 0, 0, 1)),
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		return identity{}, err
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return identity{}, err
	}
	return identity{
		CertPEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		KeyPEM:  string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})),
	}, nil
}

// LocalIPs are this machine's LAN addresses, shown in the pairing string.
func LocalIPs() []net.IP {
	var out []net.IP
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
			out = append(out, n.IP)
		}
	}
	return out
}

// Tokens are "<event>.<id>.<secret>": the event part lets the hub tell a
// token of another event from a forged one; only a hash of the secret is kept.
type tokenRecord struct {
	ID          string            `json:"id"`
	Hash        string            `json:"hash"`
	Name        string            `json:"name"`
	Kind        string            `json:"kind"` // station or exhibitor
	Participant string            `json:"participant,omitempty"`
	Created     string            `json:"created"`
	Revoked     string            `json:"revoked,omitempty"`
	LastSeen    string            `json:"lastSeen,omitempty"`
	VV          map[string]uint64 `json:"vv,omitempty"`
	Pending     int               `json:"pending,omitempty"` // what the station said it still had to send
	// Replica is the only replica id a station's token may write under.
	Replica string `json:"replica,omitempty"`
	// Refused says why the last refused batch was refused, and when.
	Refused   string `json:"refused,omitempty"`
	RefusedAt string `json:"refusedAt,omitempty"`
	// CandidateFP and Addrs: the certificate this station would serve with
	// as hub, and where it was seen (the succession list).
	CandidateFP string   `json:"candidateFp,omitempty"`
	Addrs       []string `json:"addrs,omitempty"`
}

const tokenPrefix = "token/"

// RandomToken is n random bytes in base32, for ids, secrets and file names.
func RandomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err))
	}
	return strings.TrimRight(base32.StdEncoding.EncodeToString(b), "=")
}

func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

var (
	errNoToken      = errors.New("未配对：请先用主控机显示的配对码配对")
	errOtherEvent   = errors.New("此令牌属于其他活动，不能用于本活动")
	errRevoked      = errors.New("此设备已被主控机移除，请重新配对")
	errUnknownToken = errors.New("令牌无效，请重新配对")
)

// checkToken finds the record of a presented token, or says why not.
func checkToken(st *store.Store, eventID, token string) (*tokenRecord, error) {
	if token == "" {
		return nil, errNoToken
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, errUnknownToken
	}
	if parts[0] != eventID {
		return nil, errOtherEvent
	}
	var rec tokenRecord
	found, err := st.GetLocal(tokenPrefix+parts[1], &rec)
	if err != nil {
		return nil, err
	}
	if !found || subtle.ConstantTimeCompare([]byte(rec.Hash), []byte(hashSecret(parts[2]))) != 1 {
		return nil, errUnknownToken
	}
	if rec.Revoked != "" {
		return nil, errRevoked
	}
	return &rec, nil
}

// Revoke removes a paired station or exhibitor: its token is refused from
// now on. It works whether or not the hub is listening.
func Revoke(st *store.Store, peerID string, now time.Time) error {
	found, err := updateToken(st, peerID, func(rec *tokenRecord) { rec.Revoked = now.Format(time.RFC3339) })
	if err == nil && !found {
		return fmt.Errorf("找不到设备 %s", peerID)
	}
	return err
}

// updateToken changes a paired device's stored record in one transaction.
// Requests keep their own copy of the record from when they were admitted;
// writing that copy back would undo what happened meanwhile (a removal by
// the organizer above all), so every later change goes through here and
// touches only its own fields. False when the device is unknown.
func updateToken(st *store.Store, id string, change func(*tokenRecord)) (bool, error) {
	var rec tokenRecord
	found := false
	err := st.UpdateLocal(tokenPrefix+id, &rec, func(ok bool) bool {
		if found = ok; ok {
			change(&rec)
		}
		return ok
	})
	return found, err
}

// PeerStatus is one paired station or exhibitor, as the hub sees it.
type PeerStatus struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	Participant string `json:"participant,omitempty"`
	LastSeen    string `json:"lastSeen,omitempty"`
	Waiting     int    `json:"waiting"` // hub ops the station has not received yet
	Pending     int    `json:"pending"` // ops the station still had to send, at its last visit
	Revoked     bool   `json:"revoked"`
	// Refused is why this device's last batch was refused (nothing of it
	// was stored), shown on the network screen with RefusedAt.
	Refused   string `json:"refused,omitempty"`
	RefusedAt string `json:"refusedAt,omitempty"`
}

// Peers lists every device ever paired with this event file.
func Peers(st *store.Store) ([]PeerStatus, error) {
	out := []PeerStatus{}
	err := st.ForEachLocal(tokenPrefix, func(_ string, raw []byte) error {
		var rec tokenRecord
		if err := json.Unmarshal(raw, &rec); err != nil {
			return err
		}
		p := PeerStatus{ID: rec.ID, Name: rec.Name, Kind: rec.Kind, Participant: rec.Participant, LastSeen: rec.LastSeen, Pending: rec.Pending, Revoked: rec.Revoked != "",
			Refused: rec.Refused, RefusedAt: rec.RefusedAt}
		if rec.Kind == wire.KindStation {
			p.Waiting, _ = st.Missing(rec.VV)
		}
		out = append(out, p)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}
