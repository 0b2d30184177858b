package hub

import (
	"bytes"
	"fmt"
	"net/http"
	"sort"

	"github.com/xuri/excelize/v2"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/wire"
)

// LeadsOf lists one exhibitor's leads, newest first; "" lists everyone's.
func LeadsOf(st *store.Store, exhibitor string) ([]model.Lead, error) {
	all, err := store.Leads.List(st)
	out := all[:0]
	for _, l := range all {
		if exhibitor == "" || l.Exhibitor == exhibitor {
			out = append(out, l)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Updated > out[j].Updated })
	return out, err
}

// LeadsWorkbook is an exhibitor's leads as the spreadsheet they take home.
func LeadsWorkbook(leads []model.Lead) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "展位线索"
	f.SetSheetName("Sheet1", sheet)
	rows := [][]any{{"姓名", "单位", "职务", "参会类型", "手机号", "评分", "备注", "首次扫码", "最近更新"}}
	for _, l := range leads {
		// On the venue's clock: the hub's laptop may keep UTC.
		rows = append(rows, []any{l.Name, l.Org, l.Title, l.Role, l.Mobile, l.Rating, l.Note,
			model.VenueTime(l.First, "2006-01-02 15:04"), model.VenueTime(l.Updated, "2006-01-02 15:04")})
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

func (h *Server) exhibitorMe(w http.ResponseWriter, r *http.Request) {
	rec := h.auth(w, r, wire.KindExhibitor)
	if rec == nil {
		return
	}
	replyJSON(w, http.StatusOK, wire.ExhibitorMe{Name: rec.Name, Event: h.host.EventTitle(), Successors: h.successorURLs()})
}

func (h *Server) exhibitorLead(w http.ResponseWriter, r *http.Request) {
	rec := h.auth(w, r, wire.KindExhibitor)
	if rec == nil {
		return
	}
	var req wire.LeadRequest
	if !readJSON(w, r, 64<<10, &req) {
		return
	}
	ans, err := h.host.RecordLead(rec.Participant, req.Code, req.Note, req.Rating)
	if err != nil {
		replyError(w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	replyJSON(w, http.StatusOK, ans)
}

// ownLeads admits an exhibitor and reads only that exhibitor's leads.
func (h *Server) ownLeads(w http.ResponseWriter, r *http.Request) ([]model.Lead, bool) {
	rec := h.auth(w, r, wire.KindExhibitor)
	if rec == nil {
		return nil, false
	}
	leads, err := LeadsOf(h.st, rec.Participant)
	if err != nil {
		replyError(w, http.StatusInternalServerError, err.Error())
		return nil, false
	}
	return leads, true
}

func (h *Server) exhibitorLeads(w http.ResponseWriter, r *http.Request) {
	if leads, ok := h.ownLeads(w, r); ok {
		replyJSON(w, http.StatusOK, leads)
	}
}

func (h *Server) exhibitorXLSX(w http.ResponseWriter, r *http.Request) {
	leads, ok := h.ownLeads(w, r)
	if !ok {
		return
	}
	data, err := LeadsWorkbook(leads)
	if err != nil {
		replyError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="leads.xlsx"; filename*=UTF-8''%E5%B1%95%E4%BD%8D%E7%BA%BF%E7%B4%A2.xlsx`)
	_, _ = w.Write(data)
}

// phoneRoadshows lists the roadshow talks for a paired phone: an investor
// or an enterprise marks the ones it wants to follow up.
func (h *Server) phoneRoadshows(w http.ResponseWriter, r *http.Request) {
	rec := h.auth(w, r, wire.KindExhibitor)
	if rec == nil {
		return
	}
	var none struct{}
	if !readJSON(w, r, 4<<10, &none) {
		return
	}
	talks, err := h.host.Roadshows(rec.Participant)
	if err != nil {
		replyError(w, http.StatusInternalServerError, err.Error())
		return
	}
	replyJSON(w, http.StatusOK, talks)
}

// phoneMark is a 想约谈 from a paired phone, always for the phone's own
// person: the token says who marks, the body only which talk.
func (h *Server) phoneMark(w http.ResponseWriter, r *http.Request) {
	rec := h.auth(w, r, wire.KindExhibitor)
	if rec == nil {
		return
	}
	var req wire.MarkRequest
	if !readJSON(w, r, 4<<10, &req) {
		return
	}
	ans, err := h.host.MarkTalk(rec.Participant, req.Talk)
	if err != nil {
		replyError(w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	replyJSON(w, http.StatusOK, ans)
}
