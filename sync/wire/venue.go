// Package wire holds both protocols of Fuzhi Event Desk side by side: the
// venue protocol between a hub and its stations and exhibitor phones
// (pairing, op exchange by version vectors, exhibitor leads; venue.go) and
// the upload protocol between a hub and the national platform (batches,
// acks, the schema's projection; platform.go). Types, limits and decoders
// only: no servers, no store writes.
package wire

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/model/msg"
	"github.com/fuzhi/eventdesk/store"
)

// Venue protocol limits.
const (
	// MaxSyncBytes bounds one replication request (a 20,000-op batch is ~6 MB).
	MaxSyncBytes = 256 << 20
	// SyncBatch is the most ops one exchange carries each way.
	SyncBatch = 20000
)

// Device kinds a pairing code is for.
const (
	KindStation   = "station"
	KindExhibitor = "exhibitor"
)

// PairRequest redeems a one-time pairing code (POST /sync/pair, /x/api/pair).
type PairRequest struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// PairResponse carries the device's own token: "<event>.<id>.<secret>".
type PairResponse struct {
	Token string `json:"token"`
	Event string `json:"event"`
	Name  string `json:"name,omitempty"`
	// Replica is the replica id the hub assigns a station: its file writes
	// under this id, and the hub admits ops from its token under no other.
	Replica string `json:"replica,omitempty"`
}

// ExchangeRequest is a station's half of one exchange (POST /sync/exchange):
// its version vector, the ops the hub lacks, and how many more it holds.
type ExchangeRequest struct {
	VV      map[string]uint64 `json:"vv"`
	Ops     []store.Op        `json:"ops"`
	Pending int               `json:"pending"`
	// Candidate offers this station as a hub if the hub is lost; sent until
	// the succession list the station holds names it.
	Candidate *CandidateOffer `json:"candidate,omitempty"`
	// Succession is the Digest of the list the station holds ("" for none):
	// the hub sends its list only when it differs.
	Succession string `json:"succession,omitempty"`
}

// ExchangeResponse is the hub's half: its vector and the ops the station lacks.
type ExchangeResponse struct {
	VV   map[string]uint64 `json:"vv"`
	Ops  []store.Op        `json:"ops"`
	More bool              `json:"more"`
	// Succession is the hub's signed list, when the station's is out of date.
	Succession *Succession `json:"succession,omitempty"`
}

// LeadRequest is an exhibitor's scan at the booth (POST /x/api/lead).
type LeadRequest struct {
	Code   string `json:"code"`
	Note   string `json:"note"`
	Rating int    `json:"rating"`
}

// LeadAnswer is what the exhibitor's page shows after a scan.
type LeadAnswer struct {
	Result  string      `json:"result"` // ok, or a badge refusal
	Message msg.Text    `json:"message"`
	Lead    *model.Lead `json:"lead,omitempty"`
}

// RoadshowTalk is a roadshow talk as a paired phone sees it (POST
// /x/api/roadshows): what is on stage, what was and what is next, and
// whether this phone's person has marked it.
type RoadshowTalk struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Owner     string `json:"owner"`
	Presenter string `json:"presenter"`
	Session   string `json:"session"`
	Start     string `json:"start"` // planned, RFC 3339
	State     string `json:"state"` // TalkOnStage, TalkPresented or TalkComing
	Marked    bool   `json:"marked"`
}

// Where a talk stands on the stage.
const (
	TalkOnStage   = "on"
	TalkPresented = "done"
	TalkComing    = "next"
)

// MarkRequest is a phone's 想约谈 on a talk (POST /x/api/mark).
type MarkRequest struct {
	Talk string `json:"talk"`
}

// MarkAnswer is what the phone shows after a mark.
type MarkAnswer struct {
	Message msg.Text `json:"message"`
	New     bool     `json:"new"`
}

// ExhibitorMe tells a paired exhibitor's page who it is (POST /x/api/me).
type ExhibitorMe struct {
	Name  string `json:"name"`
	Event string `json:"event"`
	// Successors are where a station would serve as hub if this one is lost
	// (https://ip:port): the page keeps them and, when the hub cannot be
	// reached, offers to continue there with the same token.
	Successors []string `json:"successors"`
}

// ErrorReply is every refusal's body.
type ErrorReply struct {
	Error string `json:"error"`
}

// ParsePairing reads "fzhub://host:port?code=C&fp=F" (the QR) or the same
// three parts typed with spaces: "host:port C F".
func ParsePairing(s string) (addr, code, fp string, err error) {
	s = strings.TrimSpace(s)
	bad := errors.New("配对信息格式不对：请扫描主控机上的二维码，或输入“地址 配对码 指纹”")
	if strings.HasPrefix(s, "fzhub://") {
		u, perr := url.Parse(s)
		if perr != nil {
			return "", "", "", bad
		}
		addr, code, fp = u.Host, u.Query().Get("code"), u.Query().Get("fp")
	} else {
		f := strings.Fields(s)
		if len(f) != 3 {
			return "", "", "", bad
		}
		addr, code, fp = f[0], f[1], f[2]
	}
	addr = strings.TrimPrefix(strings.TrimPrefix(addr, "https://"), "http://")
	host, port, serr := net.SplitHostPort(addr)
	if serr != nil || host == "" || port == "" || strings.ContainsAny(addr, "/?#@ ") || code == "" || len(code) > 16 {
		return "", "", "", bad
	}
	if raw, herr := hex.DecodeString(fp); herr != nil || len(raw) != 32 {
		return "", "", "", bad
	}
	return "https://" + addr, strings.ToUpper(code), strings.ToLower(fp), nil
}

// Fingerprint is the SHA-256 of a certificate, as pinned at pairing.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// PinnedTLS accepts exactly the certificate with the pinned fingerprint.
// The hub's certificate is self-signed: stations do not trust a CA for it,
// the fingerprint arrives with the pairing code through the screen or the
// QR, so a laptop on the venue Wi-Fi pretending to be the hub is refused.
func PinnedTLS(fp string) *tls.Config {
	return &tls.Config{
		InsecureSkipVerify: true, // replaced by the pin check below: the hub's certificate is self-signed
		MinVersion:         tls.VersionTLS12,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 || Fingerprint(cs.PeerCertificates[0].Raw) != fp {
				return errors.New("主控机身份不符（证书指纹与配对时不同），已拒绝连接")
			}
			return nil
		},
	}
}

// HTTPError is a refusal with the hub's own message.
type HTTPError struct {
	Status  int
	Message string
}

func (e *HTTPError) Error() string { return fmt.Sprintf("%s（HTTP %d）", e.Message, e.Status) }

// PostJSON makes one call of the venue protocol.
func PostJSON(ctx context.Context, c *http.Client, u, token string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		var opErr *net.OpError
		if errors.As(err, &opErr) {
			return fmt.Errorf("连不上主控机 %s：%w", u, err)
		}
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 512<<20))
	if err != nil {
		return fmt.Errorf("读取主控机回复失败：%w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var e ErrorReply
		_ = json.Unmarshal(raw, &e)
		if e.Error == "" {
			e.Error = strings.TrimSpace(string(raw))
		}
		return &HTTPError{Status: resp.StatusCode, Message: e.Error}
	}
	return json.Unmarshal(raw, out)
}
