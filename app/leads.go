package app

import (
	"fmt"
	"strings"
	"time"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/wire"
)

// recordLead checks the badge and stores the lead for one exhibitor.
func (w *Workspace) recordLead(exhibitor, code, note string, rating int) (*wire.LeadAnswer, error) {
	st, _, err := w.open()
	if err != nil {
		return nil, err
	}
	p, _, refusal, err := w.verifyBadge(code)
	if err != nil {
		return nil, err
	}
	if refusal != nil {
		return &wire.LeadAnswer{Result: refusal.Result, Message: refusal.Message}, nil
	}
	if rating < 0 || rating > 5 {
		return nil, fmt.Errorf("评分应为 1–5 星")
	}
	entity := exhibitor + "|" + p.ID
	l, found, err := store.Leads.Get(st, entity)
	if err != nil {
		return nil, err
	}
	now := w.now().Format(time.RFC3339)
	if !found {
		l = model.Lead{Exhibitor: exhibitor, Participant: p.ID, First: now}
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
	if _, err := st.Apply(w.ctx, store.Leads.Put(entity, l)); err != nil {
		return nil, fmt.Errorf("保存线索失败：%w", err)
	}
	msg := fmt.Sprintf("已记录：%s · %s", p.Name, p.Org)
	if found && (strings.TrimSpace(note) != "" || rating > 0) {
		msg = fmt.Sprintf("已保存备注和评分：%s · %s", p.Name, p.Org)
	} else if found {
		msg = fmt.Sprintf("已更新：%s · %s（此前已扫过）", p.Name, p.Org)
	}
	return &wire.LeadAnswer{Result: "ok", Message: msg, Lead: &l}, nil
}

func (w *Workspace) eventTitle() string {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.event.Name
}
