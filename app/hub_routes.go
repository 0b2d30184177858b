package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/fuzhi/eventdesk/store"
)

// MaxSyncBytes bounds one replication request (a 20,000-op batch is ~6 MB).
const MaxSyncBytes = 256 << 20

func replyJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func replyError(w http.ResponseWriter, status int, msg string) {
	replyJSON(w, status, errorReply{Error: msg})
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
func (h *hubServer) auth(w http.ResponseWriter, r *http.Request, kind string) *tokenRecord {
	rec, err := checkToken(h.st, h.ws.eventID(), bearer(r))
	if err != nil {
		replyError(w, http.StatusUnauthorized, err.Error())
		return nil
	}
	if rec.Kind != kind {
		replyError(w, http.StatusForbidden, "此令牌不能用于这个接口")
		return nil
	}
	return rec
}

func (h *hubServer) routes(ui fs.FS) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("/sync/pair", func(w http.ResponseWriter, r *http.Request) { h.pair(w, r, "station") })
	mux.HandleFunc("/sync/exchange", h.exchange)
	mux.HandleFunc("/x/api/pair", func(w http.ResponseWriter, r *http.Request) { h.pair(w, r, "exhibitor") })
	mux.HandleFunc("/x/api/me", h.exhibitorMe)
	mux.HandleFunc("/x/api/lead", h.exhibitorLead)
	mux.HandleFunc("/x/api/leads", h.exhibitorLeads)
	mux.HandleFunc("/x/api/leads.xlsx", h.exhibitorXLSX)
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

func (h *hubServer) pair(w http.ResponseWriter, r *http.Request, kind string) {
	var req pairRequest
	if !readJSON(w, r, 64<<10, &req) {
		return
	}
	code, err := h.redeem(req.Code, kind, h.ws.now())
	if err != nil {
		replyError(w, http.StatusUnauthorized, err.Error())
		return
	}
	id, secret := randomToken(5), randomToken(20)
	name := strings.TrimSpace(req.Name)
	if kind == "exhibitor" || name == "" {
		name = code.Name
	}
	if name == "" {
		name = "分站 " + id
	}
	rec := tokenRecord{ID: id, Hash: hashSecret(secret), Name: name, Kind: kind, Participant: code.Participant, Created: h.ws.now().Format(time.RFC3339)}
	if err := h.st.PutLocal("token/"+id, rec); err != nil {
		replyError(w, http.StatusInternalServerError, "保存配对失败："+err.Error())
		return
	}
	h.ws.emit(NetworkChanged, nil)
	replyJSON(w, http.StatusOK, pairResponse{Token: h.ws.eventID() + "." + id + "." + secret, Event: h.ws.eventID(), Name: name})
}

func (h *hubServer) exchange(w http.ResponseWriter, r *http.Request) {
	rec := h.auth(w, r, "station")
	if rec == nil {
		return
	}
	var req exchangeRequest
	if !readJSON(w, r, MaxSyncBytes, &req) {
		return
	}
	if len(req.Ops) > 0 {
		if _, err := h.ws.ingest(h.st, req.Ops); err != nil {
			replyError(w, http.StatusBadRequest, "数据被拒绝，未保存："+err.Error())
			return
		}
		h.answerProposals(req.Ops)
	}
	ops, more, err := h.st.OpsSince(req.VV, syncBatch)
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
	rec.LastSeen, rec.VV, rec.Pending = h.ws.now().Format(time.RFC3339), seen, max(0, req.Pending-len(req.Ops))
	_ = h.st.PutLocal("token/"+rec.ID, rec)
	h.ws.emit(NetworkChanged, nil)
	replyJSON(w, http.StatusOK, exchangeResponse{VV: vv, Ops: ops, More: more})
}

// Proposal is a station's wish to move a meeting; the hub applies it when
// it breaks no rule and otherwise refuses it with the reason.
type Proposal struct {
	ID      string `json:"id"`
	Meeting string `json:"meeting"`
	Slot    string `json:"slot"`
	Table   string `json:"table"`
	By      string `json:"by"`
	Status  string `json:"status"` // proposed, applied, refused
	Reason  string `json:"reason,omitempty"`
}

func (h *hubServer) answerProposals(ops []store.Op) {
	match := NewMatchService(h.ws)
	for _, op := range ops {
		if op.Kind != store.KindProposal+".put" {
			continue
		}
		var p Proposal
		if json.Unmarshal(op.Payload, &p) != nil || p.Status != "proposed" {
			continue
		}
		p.Status, p.Reason = "applied", ""
		_, old, err := match.meeting(p.Meeting)
		if err == nil && (old.Locked || old.Status == "held") {
			err = errors.New("该洽谈已锁定或已举行")
		}
		if err == nil {
			var conflicts []string
			conflicts, err = match.MoveMeeting(p.Meeting, p.Slot, p.Table)
			if err == nil && len(conflicts) > 0 {
				_, _ = match.MoveMeeting(p.Meeting, old.Slot, old.Table)
				err = errors.New(strings.Join(conflicts, "；"))
			}
		}
		if err != nil {
			p.Status, p.Reason = "refused", err.Error()
		}
		_, _ = h.st.Apply(h.ws.ctx, store.Change{Kind: store.KindProposal, Entity: p.ID, Value: p})
	}
}
