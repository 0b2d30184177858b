package app

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
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strings"
	"time"

	"github.com/fuzhi/eventdesk/store"
)

// The hub's TLS identity is a self-signed certificate made once per event
// file. Stations do not trust a CA for it: they pin its SHA-256 fingerprint,
// which arrives with the pairing code through the screen or the QR, so a
// laptop on the venue Wi-Fi pretending to be the hub is refused.
type hubIdentity struct {
	CertPEM string `json:"cert"`
	KeyPEM  string `json:"key"`
}

const localHubIdentity = "hub/identity"

func loadOrMakeIdentity(st *store.Store) (tls.Certificate, string, error) {
	var id hubIdentity
	found, err := st.GetLocal(localHubIdentity, &id)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	if !found {
		if id, err = makeIdentity(); err != nil {
			return tls.Certificate{}, "", fmt.Errorf("make hub certificate: %w", err)
		}
		if err := st.PutLocal(localHubIdentity, id); err != nil {
			return tls.Certificate{}, "", err
		}
	}
	cert, err := tls.X509KeyPair([]byte(id.CertPEM), []byte(id.KeyPEM))
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("read hub certificate: %w", err)
	}
	return cert, fingerprint(cert.Certificate[0]), nil
}

func makeIdentity() (hubIdentity, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return hubIdentity{}, err
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
		IPAddresses:  append(localIPs(), net.IPv4(127, 0, 0, 1)),
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		return hubIdentity{}, err
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return hubIdentity{}, err
	}
	return hubIdentity{
		CertPEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		KeyPEM:  string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})),
	}, nil
}

func fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// pinnedTLS accepts exactly the certificate with the pinned fingerprint.
func pinnedTLS(fp string) *tls.Config {
	return &tls.Config{
		InsecureSkipVerify: true, // replaced by the pin check below: the hub's certificate is self-signed
		MinVersion:         tls.VersionTLS12,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 || fingerprint(cs.PeerCertificates[0].Raw) != fp {
				return errors.New("主控机身份不符（证书指纹与配对时不同），已拒绝连接")
			}
			return nil
		},
	}
}

// localIPs are this machine's LAN addresses, shown in the pairing string.
func localIPs() []net.IP {
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
}

func randomToken(n int) string {
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
	found, err := st.GetLocal("token/"+parts[1], &rec)
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
