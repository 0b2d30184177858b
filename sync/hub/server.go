// Package hub is the venue's LAN server on the organizer's laptop: its TLS
// identity, one-time pairing codes, per-device tokens, the op exchange with
// stations and the exhibitor phones' endpoints. It works on the store and
// asks the app, through Host, only for what is the app's to decide.
package hub

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/fuzhi/eventdesk/internal/netlimit"
	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/wire"
)

// Host is what the hub asks of the app that opened the event.
type Host interface {
	EventID() string
	EventTitle() string
	Now() time.Time
	// NetworkChanged tells the organizer's screen to re-read the network status.
	NetworkChanged()
	// RecordLead checks a badge and stores an exhibitor's lead.
	RecordLead(exhibitor, code, note string, rating int) (*wire.LeadAnswer, error)
	// AnswerProposal applies a station's proposed move or refuses it with
	// the reason, and returns the answered proposal (the hub stores it).
	AnswerProposal(p model.Proposal) model.Proposal
	// Roadshows lists the roadshow talks for a phone's person.
	Roadshows(participant string) ([]wire.RoadshowTalk, error)
	// MarkTalk records that the phone's person wants to meet a talk's
	// presenter (想约谈): a meeting request to the presenter.
	MarkTalk(participant, talk string) (*wire.MarkAnswer, error)
}

// PairingCode is a one-time code the hub shows; Link is what to scan or type.
type PairingCode struct {
	Code        string `json:"code"`
	Kind        string `json:"kind"`
	Participant string `json:"participant,omitempty"`
	Name        string `json:"name,omitempty"`
	Expires     string `json:"expires"`
	Link        string `json:"link"`
}

// Server is a running hub listener.
type Server struct {
	host    Host
	st      *store.Store
	srv     *http.Server
	address string
	fp      string
	cert    tls.Certificate // signs the succession list

	mu    sync.Mutex
	codes map[string]*PairingCode
	gate  *pairingGate
	log   *slog.Logger
	// admitting serialises the check and the ingest of station batches, so
	// two batches cannot both pass the sequence check against one state.
	admitting sync.Mutex
}

// Start listens on addr (TLS) for the open event's stations and exhibitors;
// ui is the built frontend, whose exhibitor page the hub serves. The HTTP
// server's own errors (TLS handshakes, broken connections) go to logger.
func Start(st *store.Store, host Host, ui fs.FS, addr string, logger *slog.Logger) (*Server, error) {
	cert, fp, err := loadOrMakeIdentity(st)
	if err != nil {
		return nil, err
	}
	ln, err := netlimit.Listen(addr, netlimit.Venue)
	if err != nil {
		return nil, fmt.Errorf("主控服务无法监听 %s：%w（端口可能被占用）", addr, err)
	}
	h := &Server{host: host, st: st, fp: fp, cert: cert, codes: map[string]*PairingCode{}, gate: newPairingGate(), log: logger.With("part", "hub")}
	h.address = advertised(ln.Addr().String())
	h.srv = netlimit.Server(h.routes(ui), netlimit.Venue)
	// A phone refusing the self-signed certificate is normal: logged, not shown.
	h.srv.ErrorLog = slog.NewLogLogger(logger.With("part", "hub").Handler(), slog.LevelWarn)
	h.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	go func() {
		if err := h.srv.ServeTLS(ln, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("hub stopped serving", "part", "hub", "err", err)
		}
	}()
	return h, nil
}

// Address is where stations connect (host:port).
func (h *Server) Address() string { return h.address }

// Fingerprint is the pinned SHA-256 of the hub's certificate.
func (h *Server) Fingerprint() string { return h.fp }

// Close stops listening; paired stations keep working offline.
func (h *Server) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = h.srv.Shutdown(ctx)
}

// advertised turns a listen address into one other machines can dial.
func advertised(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		if ips := LocalIPs(); len(ips) > 0 {
			host = ips[0].String()
		} else {
			host = "127.0.0.1"
		}
	}
	return net.JoinHostPort(host, port)
}

func replyJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func replyError(w http.ResponseWriter, status int, msg string) {
	replyJSON(w, status, wire.ErrorReply{Error: msg})
}

func readJSON(w http.ResponseWriter, r *http.Request, limit int64, out any) bool {
	if r.Method != http.MethodPost {
		replyError(w, http.StatusMethodNotAllowed, "请使用 POST")
		return false
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		replyError(w, http.StatusRequestEntityTooLarge, "请求过大或读取失败")
		return false
	}
	if err := json.Unmarshal(raw, out); err != nil {
		replyError(w, http.StatusBadRequest, "请求格式不对："+err.Error())
		return false
	}
	return true
}

func bearer(r *http.Request) string {
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))
	}
	return ""
}

// auth admits a request only with a live token of this event and of the
// right kind; everything else is 401 with the reason.
func (h *Server) auth(w http.ResponseWriter, r *http.Request, kind string) *tokenRecord {
	rec, err := checkToken(h.st, h.host.EventID(), bearer(r))
	if err != nil {
		replyError(w, http.StatusUnauthorized, err.Error())
		return nil
	}
	if rec.Kind != kind {
		replyError(w, http.StatusForbidden, "此令牌不能用于这个接口")
		return nil
	}
	if kind == wire.KindExhibitor {
		h.sawExhibitor(rec)
	}
	return rec
}

// sawExhibitor records when an exhibitor's phone was last heard from, at
// most twice a minute: phones never exchange ops, so without this the
// network page showed them as never seen.
func (h *Server) sawExhibitor(rec *tokenRecord) {
	now := h.host.Now()
	if last, err := time.Parse(time.RFC3339, rec.LastSeen); err == nil && now.Sub(last) < 30*time.Second {
		return
	}
	if _, err := updateToken(h.st, rec.ID, func(cur *tokenRecord) { cur.LastSeen = now.Format(time.RFC3339) }); err != nil {
		return // only the "last seen" mark is lost
	}
	h.host.NetworkChanged()
}

func (h *Server) routes(ui fs.FS) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("/sync/pair", func(w http.ResponseWriter, r *http.Request) { h.pair(w, r, wire.KindStation) })
	mux.HandleFunc("/sync/exchange", h.exchange)
	mux.HandleFunc("/x/api/pair", func(w http.ResponseWriter, r *http.Request) { h.pair(w, r, wire.KindExhibitor) })
	mux.HandleFunc("/x/api/me", h.exhibitorMe)
	mux.HandleFunc("/x/api/lead", h.exhibitorLead)
	mux.HandleFunc("/x/api/leads", h.exhibitorLeads)
	mux.HandleFunc("/x/api/leads.xlsx", h.exhibitorXLSX)
	mux.HandleFunc("/x/api/roadshows", h.phoneRoadshows)
	mux.HandleFunc("/x/api/mark", h.phoneMark)
	if ui != nil {
		static := http.FileServerFS(ui)
		mux.Handle("/assets/", static)
		mux.HandleFunc("/x/", func(w http.ResponseWriter, r *http.Request) {
			page, err := fs.ReadFile(ui, "exhibitor.html")
			if err != nil {
				http.Error(w, "展商页面尚未构建", http.StatusServiceUnavailable)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write(page)
		})
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("X-Frame-Options", "DENY")
		mux.ServeHTTP(w, r)
	})
}

func (h *Server) pair(w http.ResponseWriter, r *http.Request, kind string) {
	var req wire.PairRequest
	if !readJSON(w, r, 4<<10, &req) {
		return
	}
	code, err := h.redeem(req.Code, kind, clientAddress(r))
	if errors.Is(err, errThrottled) {
		h.log.Warn("pairing attempts throttled", "from", clientAddress(r))
		replyError(w, http.StatusTooManyRequests, err.Error())
		return
	}
	if err != nil {
		replyError(w, http.StatusUnauthorized, err.Error())
		return
	}
	id, secret := RandomToken(5), RandomToken(20)
	name := strings.TrimSpace(req.Name)
	if kind == wire.KindExhibitor || name == "" {
		name = code.Name
	}
	if name == "" {
		name = "分站 " + id
	}
	rec := tokenRecord{ID: id, Hash: hashSecret(secret), Name: name, Kind: kind, Participant: code.Participant, Created: h.host.Now().Format(time.RFC3339)}
	if kind == wire.KindStation {
		rec.Replica = store.NewStationID()
	}
	if err := h.st.PutLocal(tokenPrefix+id, rec); err != nil {
		replyError(w, http.StatusInternalServerError, "保存配对失败："+err.Error())
		return
	}
	h.host.NetworkChanged()
	event := h.host.EventID()
	replyJSON(w, http.StatusOK, wire.PairResponse{Token: event + "." + id + "." + secret, Event: event, Name: name, Replica: rec.Replica})
}

func (h *Server) exchange(w http.ResponseWriter, r *http.Request) {
	rec := h.auth(w, r, wire.KindStation)
	if rec == nil {
		return
	}
	var req wire.ExchangeRequest
	if !readJSON(w, r, wire.MaxSyncBytes, &req) {
		return
	}
	h.noteCandidate(rec, req.Candidate, r)
	if len(req.Ops) > 0 {
		h.admitting.Lock()
		err := h.admit(rec, req.Ops)
		if err == nil {
			_, err = h.st.Ingest(r.Context(), req.Ops)
		} else {
			// Refused whole, logged, and shown on the network screen.
			refused, at := err.Error(), h.host.Now().Format(time.RFC3339)
			_, _ = updateToken(h.st, rec.ID, func(cur *tokenRecord) { cur.Refused, cur.RefusedAt = refused, at })
			h.log.Warn("station batch refused", "peer", rec.ID, "replica", rec.Replica, "ops", len(req.Ops), "reason", err.Error())
			h.host.NetworkChanged()
		}
		h.admitting.Unlock()
		if err != nil {
			replyError(w, http.StatusForbidden, "数据被拒绝，未保存："+err.Error())
			return
		}
		h.answerProposals(context.WithoutCancel(r.Context()), req.Ops)
	}
	ops, more, err := h.st.OpsSince(req.VV, wire.SyncBatch)
	if err != nil {
		replyError(w, http.StatusInternalServerError, err.Error())
		return
	}
	vv, err := h.st.VersionVector()
	if err != nil {
		replyError(w, http.StatusInternalServerError, err.Error())
		return
	}
	// What the station will hold after this reply: its own vector plus ours
	// for the stations we just sent in full.
	seen := map[string]uint64{}
	for k, v := range req.VV {
		seen[k] = v
	}
	for _, op := range ops {
		if op.Seq > seen[op.Station] {
			seen[op.Station] = op.Seq
		}
	}
	at, pending := h.host.Now().Format(time.RFC3339), max(0, req.Pending-len(req.Ops))
	_, _ = updateToken(h.st, rec.ID, func(cur *tokenRecord) { cur.LastSeen, cur.VV, cur.Pending = at, seen, pending })
	h.host.NetworkChanged()
	replyJSON(w, http.StatusOK, wire.ExchangeResponse{VV: vv, Ops: ops, More: more, Succession: h.successionFor(req.Succession)})
}

// answerProposals lets the app decide each proposed move that just
// arrived, and stores the answer, which goes back to the station.
func (h *Server) answerProposals(ctx context.Context, ops []store.Op) {
	for _, op := range ops {
		if op.Kind != store.Proposals.PutOp() {
			continue
		}
		p, err := store.Proposals.Decode(op.Payload)
		if err != nil || p.Status != model.ProposalProposed {
			continue
		}
		answered := h.host.AnswerProposal(p)
		_, _ = h.st.Apply(ctx, store.Proposals.Put(answered.ID, answered))
	}
}
