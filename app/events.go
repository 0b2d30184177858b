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
	BadgeProgress    = "badge:progress"    // Progress: pages of a badge run drawn
	BackupChanged    = "backup:changed"    // BackupStatus: a backup was written, or failed
	ProgrammeChanged = "programme:changed" // Changed
)

// UIEvents names every UI event by its Go constant, for the generated
// frontend contract (internal/contract).
var UIEvents = map[string]string{
	"EventChanged": EventChanged, "RosterChanged": RosterChanged, "CheckinChanged": CheckinChanged, "MatchChanged": MatchChanged,
	"LeadsChanged": LeadsChanged, "NetworkChanged": NetworkChanged, "PlatformProgress": PlatformProgress,
	"BadgeProgress": BadgeProgress, "BackupChanged": BackupChanged, "ProgrammeChanged": ProgrammeChanged,
}

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
	store.KindProgramme:   ProgrammeChanged,
	store.KindResponse:    EventChanged,
	store.KindChainMap:    EventChanged,
	store.KindScore:       ProgrammeChanged,
}

// uiEventOrder is the order a commit's events are emitted in.
var uiEventOrder = []string{EventChanged, RosterChanged, CheckinChanged, MatchChanged, LeadsChanged, ProgrammeChanged}

// projection keeps the in-memory pictures of one open store (roster,
// check-ins, the event, the badge key) equal to the file, fed by the
// store's commit hook for local and remote ops alike.
type projection struct {
	w        *Workspace
	st       *store.Store
	roster   *rosterCache
	checkins *checkinState
	requests *requestBook
}

func (p *projection) commit(c store.Commit) {
	counts := map[string]int{}
	// Sized once: a large import is heard of 50,000 people at a time.
	n := 0
	for _, op := range c.Ops {
		if strings.HasPrefix(op.Kind, store.KindParticipant+".") {
			n++
		}
	}
	people := make([]model.Participant, 0, n)
	peopleAt := make([]uint64, 0, n) // the clocks of their ops (see rosterCache.apply)
	var goneAt []uint64
	var gone, arrivals []string // arrivals: people whose dashboard line may have changed
	for i, op := range c.Ops {
		kind, _, _ := strings.Cut(op.Kind, ".")
		var value any // the Go value of a local write; nil for a delete and for remote ops
		if c.Values != nil {
			value = c.Values[i]
		}
		switch kind {
		case store.KindParticipant:
			// A remote write may have lost to a newer one, and a delete has
			// no value: for those the view decides.
			pp, ok := value.(model.Participant)
			if !ok {
				pp, ok, _ = store.Participants.Get(p.st, op.Entity)
			}
			if ok {
				people = append(people, pp)
				peopleAt = append(peopleAt, op.HLC)
			} else {
				gone = append(gone, op.Entity)
				goneAt = append(goneAt, op.HLC)
			}
			arrivals = append(arrivals, op.Entity)
		case store.KindRequest:
			// As for participants: a remote write may have lost to a newer one.
			r, ok := value.(model.MeetingRequest)
			if !ok {
				r, ok, _ = store.Requests.Get(p.st, op.Entity)
			}
			if ok {
				p.requests.set(op.Entity, r)
			}
		case store.KindScan:
			if sc, ok := decoded[model.Scan](value, op.Payload); ok {
				p.checkins.record(op.Entity, scanRec{ID: op.ID(), HLC: op.HLC, Scan: sc})
				arrivals = append(arrivals, op.Entity)
			}
		case store.KindScanUndo:
			if u, ok := decoded[model.ScanUndo](value, op.Payload); ok {
				if owner := p.checkins.undo(u.Scan); owner != "" {
					arrivals = append(arrivals, owner)
				}
			}
		case store.KindEvent:
			ev, ok := value.(model.Event)
			if !ok {
				ev, ok, _ = store.Events.Get(p.st, eventEntity)
			}
			if ok {
				p.w.ifCurrent(p.st, func() { p.w.event = ev })
			}
		case store.KindSecret:
			// A local rotation is the winner; a remote key may have lost, so
			// it is re-read on next use.
			sec, _ := value.(model.BadgeKey)
			p.w.ifCurrent(p.st, func() { p.w.key = sec.Key })
		}
		if ev := uiEventOf[kind]; ev != "" {
			counts[ev]++
		}
	}
	p.roster.apply(people, peopleAt, gone, goneAt)
	p.checkins.retally(p.roster, arrivals)
	current := false
	p.w.ifCurrent(p.st, func() { current = true })
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

// decoded is an append-only op's value: the Go value of a local write, or
// its payload decoded for a remote one.
func decoded[T any](value any, payload json.RawMessage) (T, bool) {
	if v, ok := value.(T); ok {
		return v, true
	}
	var v T
	return v, json.Unmarshal(payload, &v) == nil
}

// ifCurrent runs fn under the workspace lock if st is still the open store.
func (w *Workspace) ifCurrent(st *store.Store, fn func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.store == st {
		fn()
	}
}
