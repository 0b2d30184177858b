package store

import (
	"encoding/json"
	"fmt"

	"github.com/fuzhi/eventdesk/model"
)

// The typed view registry: each view kind bound to its Go type once, here,
// so callers write store.Meetings.Get(st, id) and never pass a kind string
// or decode JSON by hand. A kind added to viewKinds without an entry here
// cannot be read outside this package.
var (
	Events       = View[model.Event]{KindEvent}
	Participants = View[model.Participant]{KindParticipant}
	Orgs         = View[model.Org]{KindOrg}
	Achievements = View[model.Achievement]{KindAchievement}
	Demands      = View[model.Demand]{KindDemand}
	BadgeKeys    = View[model.BadgeKey]{KindSecret}
	Sessions     = View[model.MatchSession]{KindSession}
	Requests     = View[model.MeetingRequest]{KindRequest}
	Meetings     = View[model.Meeting]{KindMeeting}
	Outcomes     = View[model.Outcome]{KindOutcome}
	Leads        = View[model.Lead]{KindLead}
	Proposals    = View[model.Proposal]{KindProposal}
	Programme    = View[model.ProgrammeSession]{KindProgramme}
	Responses    = View[model.ChallengeResponse]{KindResponse}
	ChainMaps    = View[model.ChainMapping]{KindChainMap}
	Scores       = View[model.Score]{KindScore}

	Scans     = Log[model.Scan]{KindScan}
	ScanUndos = Log[model.ScanUndo]{KindScanUndo}
)

// View is a last-writer-wins view kind bound to the type of its values.
type View[T any] struct{ kind string }

// Kind is the view's kind, as it appears in ops.
func (v View[T]) Kind() string { return v.kind }

// PutOp is the op kind of a write to this view.
func (v View[T]) PutOp() string { return v.kind + ".put" }

// Put is the change that stores value under id.
func (v View[T]) Put(id string, value T) Change {
	return Change{Kind: v.kind, Entity: id, Value: value}
}

// Delete is the change that removes id.
func (v View[T]) Delete(id string) Change { return Change{Kind: v.kind, Entity: id, Delete: true} }

// Decode reads an op's payload as this view's type.
func (v View[T]) Decode(payload []byte) (T, error) {
	var out T
	if err := json.Unmarshal(payload, &out); err != nil {
		return out, fmt.Errorf("decode %s: %w", v.kind, err)
	}
	return out, nil
}

// Get reads one value; false when there is none.
func (v View[T]) Get(s *Store, id string) (T, bool, error) {
	var out T
	ok, err := s.get(v.kind, id, &out)
	return out, ok, err
}

// List reads every value, in id order (never nil).
func (v View[T]) List(s *Store) ([]T, error) {
	out := []T{}
	err := v.Each(s, func(_ string, x T) error {
		out = append(out, x)
		return nil
	})
	return out, err
}

// Each calls fn with every id and value, in id order, without
// collecting them (the roster of a 50k-person event is read this way).
func (v View[T]) Each(s *Store, fn func(id string, value T) error) error {
	return s.forEach(v.kind, func(id string, raw []byte) error {
		var x T
		if err := json.Unmarshal(raw, &x); err != nil {
			return fmt.Errorf("decode %s %s: %w", v.kind, id, err)
		}
		return fn(id, x)
	})
}

// Count is how many values the view holds.
func (v View[T]) Count(s *Store) (int, error) { return s.count(v.kind) }

// Log is an append-only view kind bound to the type of its entries: every
// op adds an entry, none is overwritten.
type Log[T any] struct{ kind string }

// Kind is the log's kind, as it appears in ops.
func (l Log[T]) Kind() string { return l.kind }

// Add is the change that appends value to entity's entries.
func (l Log[T]) Add(entity string, value T) Change {
	return Change{Kind: l.kind, Entity: entity, Value: value}
}

// Decode reads an op's payload as this log's type.
func (l Log[T]) Decode(payload []byte) (T, error) {
	var out T
	if err := json.Unmarshal(payload, &out); err != nil {
		return out, fmt.Errorf("decode %s: %w", l.kind, err)
	}
	return out, nil
}

// Each walks the entries in (entity, time) order; with a non-empty entity
// only that entity's.
func (l Log[T]) Each(s *Store, entity string, fn func(Entry, T) error) error {
	return s.forEachEntry(l.kind, entity, func(e Entry) error {
		x, err := l.Decode(e.Payload)
		if err != nil {
			return fmt.Errorf("%s of %s: %w", l.kind, e.Entity, err)
		}
		return fn(e, x)
	})
}
