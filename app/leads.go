package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
)

// Lead is a visitor an exhibitor scanned at the booth. One per exhibitor
// and visitor: scanning again updates the note and rating.
type Lead struct {
	Exhibitor   string `json:"exhibitor"`
	Participant string `json:"participant"`
	Name        string `json:"name"`
	Org         string `json:"org"`
	Title       string `json:"title,omitempty"`
	Role        string `json:"role,omitempty"`
	// Mobile only when the visitor agreed to share contact details.
	Mobile  string `json:"mobile,omitempty"`
	Note    string `json:"note,omitempty"`
	Rating  int    `json:"rating"`
	First   string `json:"first"`
	Updated string `json:"updated"`
}

type leadRequest struct {
	Code   string `json:"code"`
	Note   string `json:"note"`
	Rating int    `json:"rating"`
}

// LeadAnswer is what the exhibitor's page shows after a scan.
type LeadAnswer struct {
	Result  string `json:"result"` // ok, or a badge refusal
	Message string `json:"message"`
	Lead    *Lead  `json:"lead,omitempty"`
}

// recordLead checks the badge and stores the lead for one exhibitor.
func (w *Workspace) recordLead(st *store.Store, exhibitor, code, note string, rating int) (*LeadAnswer, error) {
	p, _, refusal, err := w.verifyBadge(code)
	if err != nil {
		return nil, err
	}
	if refusal != nil {
		return &LeadAnswer{Result: refusal.Result, Message: refusal.Message}, nil
	}
	if rating < 0 || rating > 5 {
		return nil, fmt.Errorf("评分应为 1–5 星")
	}
	entity := exhibitor + "|" + p.ID
	var l Lead
	found, err := st.Get(store.KindLead, entity, &l)
	if err != nil {
		return nil, err
	}
	now := w.now().Format(time.RFC3339)
	if !found {
		l = Lead{Exhibitor: exhibitor, Participant: p.ID, First: now}
	}
	l.Name, l.Org, l.Title, l.Role, l.Updated = p.Name, p.Org, p.Title, model.RoleLabel[p.Role], now
	l.Mobile = ""
	if p.Consent {
		l.Mobile = p.Mobile
	}
	if n := strings.TrimSpace(note); n != "" {
		l.Note = model.CleanName(n)
	}
	if rating > 0 {
		l.Rating = rating
	}
	if _, err := st.Apply(w.ctx, store.Change{Kind: store.KindLead, Entity: entity, Value: l}); err != nil {
		return nil, fmt.Errorf("保存线索失败：%w", err)
	}
	msg := fmt.Sprintf("已记录：%s · %s", p.Name, p.Org)
	if found && (strings.TrimSpace(note) != "" || rating > 0) {
		msg = fmt.Sprintf("已保存备注和评分：%s · %s", p.Name, p.Org)
	} else if found {
		msg = fmt.Sprintf("已更新：%s · %s（此前已扫过）", p.Name, p.Org)
	}
	return &LeadAnswer{Result: "ok", Message: msg, Lead: &l}, nil
}

// leadsOf lists one exhibitor's leads, newest first; "" lists everyone's.
func leadsOf(st *store.Store, exhibitor string) ([]Lead, error) {
	out := []Lead{}
	err := st.ForEach(store.KindLead, func(id string, raw []byte) error {
		if exhibitor != "" && !strings.HasPrefix(id, exhibitor+"|") {
			return nil
		}
		var l Lead
		if err := json.Unmarshal(raw, &l); err != nil {
			return fmt.Errorf("decode lead %s: %w", id, err)
		}
		out = append(out, l)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Updated > out[j].Updated })
	return out, err
}

func leadsWorkbook(leads []Lead) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "展位线索"
	f.SetSheetName("Sheet1", sheet)
	rows := [][]any{{"姓名", "单位", "职务", "参会类型", "手机号", "评分", "备注", "首次扫码", "最近更新"}}
	for _, l := range leads {
		rows = append(rows, []any{l.Name, l.Org, l.Title, l.Role, l.Mobile, l.Rating, l.Note, l.First, l.Updated})
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return nil, fmt.Errorf("write leads row %d: %w", i+1, err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("write leads workbook: %w", err)
	}
	return buf.Bytes(), nil
}

func (h *hubServer) exhibitorMe(w http.ResponseWriter, r *http.Request) {
	rec := h.auth(w, r, "exhibitor")
	if rec == nil {
		return
	}
	replyJSON(w, http.StatusOK, map[string]string{"name": rec.Name, "event": h.ws.eventTitle()})
}

func (h *hubServer) exhibitorLead(w http.ResponseWriter, r *http.Request) {
	rec := h.auth(w, r, "exhibitor")
	if rec == nil {
		return
	}
	var req leadRequest
	if !readJSON(w, r, 64<<10, &req) {
		return
	}
	ans, err := h.ws.recordLead(h.st, rec.Participant, req.Code, req.Note, req.Rating)
	if err != nil {
		replyError(w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	replyJSON(w, http.StatusOK, ans)
}

// ownLeads admits an exhibitor and reads only that exhibitor's leads.
func (h *hubServer) ownLeads(w http.ResponseWriter, r *http.Request) ([]Lead, bool) {
	rec := h.auth(w, r, "exhibitor")
	if rec == nil {
		return nil, false
	}
	leads, err := leadsOf(h.st, rec.Participant)
	if err != nil {
		replyError(w, http.StatusInternalServerError, err.Error())
		return nil, false
	}
	return leads, true
}

func (h *hubServer) exhibitorLeads(w http.ResponseWriter, r *http.Request) {
	if leads, ok := h.ownLeads(w, r); ok {
		replyJSON(w, http.StatusOK, leads)
	}
}

func (h *hubServer) exhibitorXLSX(w http.ResponseWriter, r *http.Request) {
	leads, ok := h.ownLeads(w, r)
	if !ok {
		return
	}
	data, err := leadsWorkbook(leads)
	if err != nil {
		replyError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="leads.xlsx"; filename*=UTF-8''%E5%B1%95%E4%BD%8D%E7%BA%BF%E7%B4%A2.xlsx`)
	_, _ = w.Write(data)
}

func (w *Workspace) eventTitle() string {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.event.Name
}

// Leads lists every exhibitor's leads (the organizer's view, for the summary).
func (n *NetworkService) Leads() ([]Lead, error) {
	st, _, err := n.ws.open()
	if err != nil {
		return nil, err
	}
	return leadsOf(st, "")
}
