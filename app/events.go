package app

import (
	"encoding/json"
	"strings"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
)

// The UI events, each name with its one payload type. Everything that
// changes the event file is announced from the store's commit hook (see
// project), so a change made in this window, by another desk on this hub
// or by a station far away produces the same events.
const (
	EventChanged     = "event:changed"     // *EventInfo, nil when the event was closed
	RosterChanged    = "roster:changed"    // Changed
	CheckinChanged   = "checkin:changed"   // Changed
	MatchChanged     = "match:changed"     // Changed
	LeadsChanged     = "leads:changed"     // Changed
	NetworkChanged   = "network:changed"   // nil: re-read NetworkService.Status
	PlatformProgress = "platform:progress" // Progress
)

// Changed says how many ops of one area a commit held and where they came from.
type Changed struct {
	Ops    int  `json:"ops"`
	Remote bool `json:"remote"`
}

// Progress is a long job's advance, in its own units.
type Progress struct {
	Done  int `json:"done"`
	Total int `json:"total"`
}

// uiEventOf maps a view kind to the UI event its changes raise; "" raises
// none (the badge key changes nothing on screen), EventChanged re-sends
// the event's headline numbers.
var uiEventOf = map[string]string{
	store.KindEvent:       EventChanged,
	store.KindOrg:         EventChanged,
	store.KindAchievement: EventChanged,
	store.KindDemand:      EventChanged,
	store.KindParticipant: RosterChanged,
	store.KindScan:        CheckinChanged,
	store.KindScanUndo:    CheckinChanged,
	store.KindSession:     MatchChanged,
	store.KindRequest:     MatchChanged,
	store.KindMeeting:     MatchChanged,
	store.KindOutcome:     MatchChanged,
	store.KindProposal:    MatchChanged,
	store.KindLead:        LeadsChanged,
	store.KindSecret:      "",
}

// uiEventOrder is the order a commit's events are emitted in.
var uiEventOrder = []string{EventChanged, RosterChanged, CheckinChanged, MatchChanged, LeadsChanged}

// projection keeps the in-memory pictures of one open store (roster,
// check-ins, the event, the badge key) equal to the file, fed by the
// store's commit hook for local and remote ops alike.
type projection struct {
	w        *Workspace
	st       *store.Store
	roster   *rosterCache
	checkins *checkinState
}

func (p *projection) commit(c store.Commit) {
	counts := map[string]int{}
	var people []model.Participant
	var gone []string
	for i, op := range c.Ops {
		kind, action, _ := strings.Cut(op.Kind, ".")
		var value any
		if c.Values != nil {
			value = c.Values[i]
		}
		switch kind {
		case store.KindParticipant:
			if pp, ok := value.(model.Participant); ok && !c.Remote {
				people = append(people, pp)
			} else if pp, ok := value.(*model.Participant); ok && !c.Remote {
				people = append(people, *pp)
			} else if action == "delete" && !c.Remote {
				gone = append(gone, op.Entity)
			} else {
				// Another machine's write may have lost to a newer one: the view decides.
				var pp model.Participant
				if ok, _ := p.st.Get(store.KindParticipant, op.Entity, &pp); ok {
					people = append(people, pp)
				} else {
					gone = append(gone, op.Entity)
				}
			}
		case store.KindScan:
			var sc Scan
			if v, ok := value.(Scan); ok {
				sc = v
			} else if json.Unmarshal(op.Payload, &sc) != nil {
				continue
			}
			p.checkins.record(op.Entity, scanRec{ID: op.ID(), HLC: op.HLC, Scan: sc})
		case store.KindScanUndo:
			var u ScanUndo
			if v, ok := value.(ScanUndo); ok {
				u = v
			} else if json.Unmarshal(op.Payload, &u) != nil {
				continue
			}
			p.checkins.undo(u.Scan)
		case store.KindEvent:
			var ev model.Event
			if v, ok := value.(model.Event); ok && !c.Remote {
				ev = v
			} else if ok, _ := p.st.Get(store.KindEvent, "event", &ev); !ok {
				continue
			}
			p.w.mu.Lock()
			if p.w.store == p.st {
				p.w.event = ev
			}
			p.w.mu.Unlock()
		case store.KindSecret:
			p.w.mu.Lock()
			if p.w.store == p.st {
				p.w.key = nil // re-read on next use: a remote key may have lost
				if v, ok := value.(secret); ok && !c.Remote {
					p.w.key = v.Key
				}
			}
			p.w.mu.Unlock()
		}
		if ev := uiEventOf[kind]; ev != "" {
			counts[ev]++
		}
	}
	p.roster.apply(people, gone)
	p.w.mu.RLock()
	current := p.w.store == p.st
	p.w.mu.RUnlock()
	if !current {
		return // an event being opened or closed: its own events follow
	}
	for _, name := range uiEventOrder {
		n := counts[name]
		if n == 0 {
			continue
		}
		if name == EventChanged {
			if info, err := p.w.info(); err == nil {
				p.w.emit(EventChanged, info)
			}
			continue
		}
		p.w.emit(name, Changed{Ops: n, Remote: c.Remote})
	}
}
