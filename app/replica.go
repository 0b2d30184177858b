package app

import (
	"encoding/json"
	"strings"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
)

// Events emitted when another machine's changes arrive.
const (
	NetworkChanged = "network:changed"
)

// ingest stores ops that came from another machine and brings the
// in-memory caches (roster, check-ins, event, badge key) up to date with
// them, so the desk answers from the merged picture at once.
func (w *Workspace) ingest(st *store.Store, ops []store.Op) (int, error) {
	n, err := st.Ingest(w.ctx, ops)
	if err != nil || n == 0 {
		return n, err
	}
	w.mu.RLock()
	roster, checkins, current := w.roster, w.checkins, w.store
	w.mu.RUnlock()
	if current != st {
		return n, nil // the event was closed meanwhile; the file has the ops
	}
	changed := map[string]bool{}
	for _, op := range ops {
		kind, _, _ := strings.Cut(op.Kind, ".")
		changed[kind] = true
		switch kind {
		case store.KindParticipant:
			var p model.Participant
			if ok, _ := st.Get(store.KindParticipant, op.Entity, &p); ok {
				roster.put(p)
			} else {
				roster.remove(op.Entity)
			}
		case store.KindScan:
			var sc Scan
			if json.Unmarshal(op.Payload, &sc) == nil {
				checkins.mu.Lock()
				if !checkins.has(op.Entity, op.ID()) {
					checkins.add(op.Entity, scanRec{ID: op.ID(), HLC: op.HLC, Scan: sc})
				}
				checkins.mu.Unlock()
			}
		case store.KindScanUndo:
			var u ScanUndo
			if json.Unmarshal(op.Payload, &u) == nil {
				checkins.mu.Lock()
				checkins.undone[u.Scan] = true
				checkins.mu.Unlock()
			}
		case store.KindEvent:
			var ev model.Event
			if ok, _ := st.Get(store.KindEvent, "event", &ev); ok {
				w.mu.Lock()
				w.event = ev
				w.mu.Unlock()
			}
		case store.KindSecret:
			w.mu.Lock()
			w.key = nil // re-read on next use; the winner may have changed
			w.mu.Unlock()
		}
	}
	if changed[store.KindParticipant] {
		w.emit(RosterChanged, nil)
	}
	if changed[store.KindScan] || changed[store.KindScanUndo] {
		w.emit(CheckinChanged, nil)
	}
	if changed[store.KindSession] || changed[store.KindMeeting] || changed[store.KindRequest] || changed[store.KindOutcome] || changed[store.KindProposal] {
		w.emit(MatchChanged, "sync")
	}
	if changed[store.KindEvent] {
		if info, err := w.info(); err == nil {
			w.emit(EventChanged, info)
		}
	}
	return n, nil
}
