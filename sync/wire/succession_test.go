package wire

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"
)

func testCert(t *testing.T) (*ecdsa.PrivateKey, string, string) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "hub"}, NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return key, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), Fingerprint(der)
}

func signedList(t *testing.T) (Succession, string, *ecdsa.PrivateKey) {
	key, certPEM, fp := testCert(t)
	s := Succession{Event: "E1", HubCert: certPEM, HubReplica: "HUB", Port: "8443",
		Candidates: []Candidate{{Replica: "S1", Name: "签到台1", Fingerprint: strings.Repeat("a", 64), Addrs: []string{"192.168.1.20"}}},
		Devices:    []Device{{ID: "D1", Hash: strings.Repeat("b", 64), Kind: KindStation, Replica: "S1"}}}
	if err := s.Sign(key); err != nil {
		t.Fatal(err)
	}
	return s, fp, key
}

func TestASignedSuccessionListVerifies(t *testing.T) {
	s, fp, _ := signedList(t)
	if err := s.Verify(fp, "E1"); err != nil {
		t.Fatal(err)
	}
}

// A desk trusts a list only from the hub it pinned, unchanged, for its event.
func TestForgedOrAlteredSuccessionListsAreRefused(t *testing.T) {
	s, fp, _ := signedList(t)

	moved := s
	moved.Candidates = []Candidate{{Replica: "S1", Fingerprint: strings.Repeat("e", 64), Addrs: []string{"10.0.0.66"}}}
	if moved.Verify(fp, "E1") == nil {
		t.Error("a list with a swapped candidate certificate verified")
	}
	added := s
	added.Devices = append(append([]Device(nil), s.Devices...), Device{ID: "EVIL", Hash: strings.Repeat("c", 64), Kind: KindStation})
	if added.Verify(fp, "E1") == nil {
		t.Error("a list with an added device verified")
	}
	// A neighbour's laptop signs its own list with its own certificate.
	evilKey, evilCert, _ := testCert(t)
	forged := s
	forged.HubCert = evilCert
	forged.Sign(evilKey)
	if forged.Verify(fp, "E1") == nil {
		t.Error("a list signed by another certificate verified against the pinned one")
	}
	// …or keeps the hub's certificate and signs with its own key.
	stolen := s
	stolen.Sign(evilKey)
	if stolen.Verify(fp, "E1") == nil {
		t.Error("a list re-signed with another key verified")
	}
	if s.Verify(fp, "E2") == nil {
		t.Error("another event's list verified")
	}
	unsigned := s
	unsigned.Signature = ""
	if unsigned.Verify(fp, "E1") == nil {
		t.Error("an unsigned list verified")
	}
}

func TestCandidateOffersAreChecked(t *testing.T) {
	_, certPEM, fp := testCert(t)
	got, addrs, err := CheckOffer(CandidateOffer{Cert: certPEM, Addrs: []string{"192.168.1.5", "not-an-ip", "../../x", "10.0.0.1", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"}})
	if err != nil || got != fp {
		t.Fatalf("offer: %v %v", got, err)
	}
	if len(addrs) != 2 || addrs[0] != "192.168.1.5" || addrs[1] != "10.0.0.1" {
		t.Fatalf("addresses kept: %v", addrs)
	}
	for _, bad := range []string{"", "not pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", strings.Repeat("x", 9000)} {
		if _, _, err := CheckOffer(CandidateOffer{Cert: bad}); err == nil {
			t.Errorf("offer %.30q accepted", bad)
		}
	}
}
