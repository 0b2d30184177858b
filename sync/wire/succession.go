package wire

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
)

// Succession is how the venue survives the loss of its hub laptop. The hub
// hands every station, with its exchanges, a list it signs with its own key:
// which stations may take over (each with the certificate fingerprint it
// will serve with and the addresses it was seen at), and the paired devices'
// token records (hashes only), so that a station promoted to hub admits the
// same desks without pairing them again. A station trusts a candidate's
// certificate only because the hub it pinned signed it; the hub's private
// key never leaves the hub.
type Succession struct {
	Event string `json:"event"`
	// HubCert is the signing hub's certificate (PEM); its fingerprint must be
	// the one the station pinned, and its key signed this list.
	HubCert string `json:"hubCert"`
	// HubReplica is the replica id the hub writes under: after a promotion
	// the new hub admits that replica's ops relayed by the desks that hold
	// them, since the lost hub can no longer send them itself.
	HubReplica string      `json:"hubReplica"`
	Port       string      `json:"port"` // the venue's hub port: a promoted station listens on it
	Candidates []Candidate `json:"candidates"`
	Devices    []Device    `json:"devices"`
	Signature  string      `json:"signature,omitempty"` // hex ASN.1 ECDSA over the SHA-256 of the list without it
}

// Candidate is a station that may be promoted to hub.
type Candidate struct {
	Replica     string   `json:"replica"`
	Name        string   `json:"name"`
	Fingerprint string   `json:"fingerprint"` // of the certificate it will serve with
	Addrs       []string `json:"addrs"`       // IP addresses it was seen at or reported
}

// Device is one paired device's token record, as a promoted hub needs it.
type Device struct {
	ID          string `json:"id"`
	Hash        string `json:"hash"` // SHA-256 of the token's secret; the secret itself is never sent
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	Participant string `json:"participant,omitempty"`
	Replica     string `json:"replica,omitempty"`
	Revoked     string `json:"revoked,omitempty"`
}

// CandidateOffer is what a station tells the hub about itself so it can be
// listed: the certificate it would serve with, and its LAN addresses.
type CandidateOffer struct {
	Cert  string   `json:"cert"`
	Addrs []string `json:"addrs"`
}

// Limits on what a station may offer (a station is not trusted with more).
const (
	maxOfferAddrs = 8
	maxCertBytes  = 8 << 10
)

// CheckOffer validates a station's offer and returns the fingerprint of its
// certificate and its addresses, IPs only.
func CheckOffer(o CandidateOffer) (string, []string, error) {
	if len(o.Cert) > maxCertBytes {
		return "", nil, errors.New("候选证书过大")
	}
	block, _ := pem.Decode([]byte(o.Cert))
	if block == nil || block.Type != "CERTIFICATE" {
		return "", nil, errors.New("候选证书格式不对")
	}
	if _, err := x509.ParseCertificate(block.Bytes); err != nil {
		return "", nil, fmt.Errorf("候选证书无法读取：%w", err)
	}
	var addrs []string
	for _, a := range o.Addrs {
		if ip := net.ParseIP(a); ip != nil && len(addrs) < maxOfferAddrs {
			addrs = append(addrs, ip.String())
		}
	}
	return Fingerprint(block.Bytes), addrs, nil
}

// Digest is the SHA-256 of the list without its signature: what is signed,
// and how a station tells the hub which list it already holds.
func (s Succession) Digest() string {
	s.Signature = ""
	raw, _ := json.Marshal(s)
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// Sign signs the list with the hub's key.
func (s *Succession) Sign(key *ecdsa.PrivateKey) error {
	digest, _ := hex.DecodeString(s.Digest())
	sig, err := ecdsa.SignASN1(rand.Reader, key, digest)
	if err != nil {
		return fmt.Errorf("sign succession: %w", err)
	}
	s.Signature = hex.EncodeToString(sig)
	return nil
}

// Verify accepts the list only if it was signed by the hub with the pinned
// fingerprint, for this event.
func (s Succession) Verify(pinned, event string) error {
	block, _ := pem.Decode([]byte(s.HubCert))
	if block == nil {
		return errors.New("接替名单缺少主控机证书")
	}
	if Fingerprint(block.Bytes) != pinned {
		return errors.New("接替名单不是配对的主控机签发的")
	}
	if s.Event != event {
		return fmt.Errorf("接替名单属于其他活动（%.40q）", s.Event)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return fmt.Errorf("接替名单的证书无法读取：%w", err)
	}
	pub, ok := cert.PublicKey.(*ecdsa.PublicKey)
	if !ok {
		return errors.New("接替名单的证书不是 ECDSA 证书")
	}
	sig, err := hex.DecodeString(s.Signature)
	if err != nil || len(sig) == 0 {
		return errors.New("接替名单没有签名")
	}
	digest, _ := hex.DecodeString(s.Digest())
	if !ecdsa.VerifyASN1(pub, digest, sig) {
		return errors.New("接替名单的签名不符，已忽略")
	}
	return nil
}
