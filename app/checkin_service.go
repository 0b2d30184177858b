package app

import (
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"github.com/fuzhi/eventdesk/app/figures"
	"github.com/fuzhi/eventdesk/app/ticket"
	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/model/msg"
	"github.com/fuzhi/eventdesk/store"
)

// CheckinService is the door: badge scans, search, walk-ins, the dashboard.
type CheckinService struct {
	ws     *Workspace
	roster *RosterService
	badge  *BadgeService
}

// Scan results, as the desk colours them.
const (
	ResultOK        = "ok"        // green
	ResultDuplicate = "duplicate" // amber
	ResultRevoked   = "revoked"   // red from here on
	ResultForged    = "forged"
	ResultForeign   = "foreign"
	ResultUnknown   = "unknown"
	ResultMalformed = "malformed"
)

// Holder is the person a badge belongs to, as the desk shows them.
type Holder struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Org   string `json:"org"`
	Title string `json:"title,omitempty"`
	Role  string `json:"role,omitempty"`
}

func holderOf(p *model.Participant) *Holder {
	return &Holder{ID: p.ID, Name: p.Name, Org: p.Org, Title: p.Title, Role: string(p.Role)}
}

// ScanAnswer is what the desk shows after a scan, and what `fuzhi checkin` prints.
type ScanAnswer struct {
	Result      string   `json:"result"`
	Reason      string   `json:"reason,omitempty"`
	Message     msg.Text `json:"message"`
	Participant *Holder  `json:"participant,omitempty"`
	ScanID      string   `json:"scanId,omitempty"`
	At          string   `json:"at,omitempty"`
	Desk        string   `json:"desk,omitempty"`
	FirstAt     string   `json:"firstAt,omitempty"`   // duplicate: when the check-in that counts happened
	FirstDesk   string   `json:"firstDesk,omitempty"` // and where
}

const badgeKeyEntity = "badge_key"

func newBadgeKeyChange(now time.Time) store.Change {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err))
	}
	return store.BadgeKeys.Put(badgeKeyEntity, model.BadgeKey{Key: k, Created: now.Format(time.RFC3339)})
}

// badgeKey returns the event's signing key, creating it for files made
// before badges existed.
func (w *Workspace) badgeKey() ([]byte, error) {
	st, _, err := w.open()
	if err != nil {
		return nil, err
	}
	w.mu.RLock()
	k := w.key
	w.mu.RUnlock()
	if k != nil {
		return k, nil
	}
	sec, found, err := store.BadgeKeys.Get(st, badgeKeyEntity)
	if err != nil {
		return nil, err
	}
	if !found {
		ch := newBadgeKeyChange(w.now())
		if _, err := st.Apply(w.ctx, ch); err != nil {
			return nil, fmt.Errorf("create badge key: %w", err)
		}
		return ch.Value.(model.BadgeKey).Key, nil // the commit hook keeps it
	}
	w.ifCurrent(st, func() { w.key = sec.Key })
	return sec.Key, nil
}

// BadgeCode is the signed code printed in a participant's QR.
func (s *CheckinService) BadgeCode(participantID string) (string, error) {
	_, roster, err := s.ws.open()
	if err != nil {
		return "", err
	}
	p, ok := roster.get(participantID)
	if !ok {
		return "", sayNoParticipant.Err("id", participantID)
	}
	key, err := s.ws.badgeKey()
	if err != nil {
		return "", err
	}
	return ticket.Make(key, s.ws.eventID(), p.ID, p.CurrentBadgeVersion())
}

func (w *Workspace) eventID() string {
	w.settled()
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.event.ID
}

var problemMessages = map[ticket.Problem]*msg.Kind{
	ticket.ProblemNotACode:  sayNotACode,
	ticket.ProblemBarcode:   sayBarcode,
	ticket.ProblemLowercase: sayLowercase,
	ticket.ProblemTruncated: sayTruncated,
	ticket.ProblemMalformed: sayMalformed,
}

// Scan checks a scanned code and, when it is good, records the check-in
// durably before answering: a green answer is never lost.
func (s *CheckinService) Scan(code, desk string) (*ScanAnswer, error) {
	st, _, cs, err := s.ws.openDesk()
	if err != nil {
		return nil, err
	}
	p, version, refusal, err := s.ws.verifyBadge(code)
	if err != nil || refusal != nil {
		return refusal, err
	}
	return s.record(st, cs, p, desk, "scan", version)
}

// verifyBadge checks a scanned code against the event and its key. A code
// that cannot be used comes back as a refusal answer (never as an error, an
// error means the app itself failed), so every scanning screen says the same.
func (w *Workspace) verifyBadge(code string) (*model.Participant, int, *ScanAnswer, error) {
	_, roster, err := w.open()
	if err != nil {
		return nil, 0, nil, err
	}
	c, problem := ticket.Parse(code)
	if problem != ticket.ProblemNone {
		return nil, 0, &ScanAnswer{Result: ResultMalformed, Reason: string(problem), Message: problemMessages[problem].Say()}, nil
	}
	if c.Event != w.eventID() {
		return nil, 0, &ScanAnswer{Result: ResultForeign, Message: sayForeignBadge.Say("event", c.Event)}, nil
	}
	key, err := w.badgeKey()
	if err != nil {
		return nil, 0, nil, err
	}
	if !c.Verify(key) {
		return nil, 0, &ScanAnswer{Result: ResultForged, Message: sayForgedBadge.Say()}, nil
	}
	p, ok := roster.get(c.Participant)
	if !ok {
		return nil, 0, &ScanAnswer{Result: ResultUnknown, Message: sayUnknownHolder.Say()}, nil
	}
	if c.Version < p.CurrentBadgeVersion() {
		return nil, 0, &ScanAnswer{Result: ResultRevoked, Participant: holderOf(&p),
			Message: sayRevokedBadge.Say("version", p.CurrentBadgeVersion())}, nil
	}
	return &p, c.Version, nil, nil
}

// CheckIn checks a person in without a badge (found by search).
func (s *CheckinService) CheckIn(participantID, desk string) (*ScanAnswer, error) {
	st, roster, cs, err := s.ws.openDesk()
	if err != nil {
		return nil, err
	}
	p, ok := roster.get(participantID)
	if !ok {
		return nil, sayNoParticipant.Err("id", participantID)
	}
	return s.record(st, cs, &p, desk, "search", 0)
}

func (s *CheckinService) record(st *store.Store, cs *checkinState, p *model.Participant, desk, method string, version int) (*ScanAnswer, error) {
	desk = strings.TrimSpace(desk)
	if desk == "" {
		desk = st.Station()
	}
	// One check-in at a time per workspace, so two desks on this hub cannot
	// both be told "welcome" for the same person.
	cs.desk.Lock()
	defer cs.desk.Unlock()
	cs.data.RLock()
	first := cs.first(p.ID)
	cs.data.RUnlock()
	now := s.ws.now()
	sc := model.Scan{Desk: desk, Method: method, Version: version, At: now.Format(time.RFC3339)}
	ops, err := st.Apply(s.ws.ctx, store.Scans.Add(p.ID, sc))
	if err != nil {
		return nil, sayCheckinNotSaved.Wrap(err)
	}
	rec := scanRec{ID: ops[0].ID(), HLC: ops[0].HLC, Scan: sc}
	ans := &ScanAnswer{Participant: holderOf(p), ScanID: rec.ID, At: sc.At, Desk: desk}
	if first != nil && first.HLC < rec.HLC {
		ans.Result = ResultDuplicate
		ans.FirstAt, ans.FirstDesk = first.At, first.Desk
		ans.Message = sayAlreadyIn.Say("name", p.Name, "time", clock(first.At), "desk", first.Desk)
	} else {
		ans.Result = ResultOK
		ans.Message = sayWelcome.Say("name", p.Name)
	}
	return ans, nil
}

func clock(rfc string) string { return model.VenueTime(rfc, "15:04") }

// Undo takes back one scan by its id.
func (s *CheckinService) Undo(scanID string) error {
	st, _, cs, err := s.ws.openDesk()
	if err != nil {
		return err
	}
	cs.desk.Lock()
	defer cs.desk.Unlock()
	cs.data.RLock()
	pid := cs.owner[scanID]
	undone := cs.undone[scanID]
	cs.data.RUnlock()
	if pid == "" {
		return sayNoScan.Err("id", scanID)
	}
	if undone {
		return nil
	}
	if _, err := st.Apply(s.ws.ctx, store.ScanUndos.Add(pid, model.ScanUndo{Scan: scanID})); err != nil {
		return sayUndoNotSaved.Wrap(err)
	}
	return nil
}

// LastCheckIn is who UndoLast would take back at a desk, and when they
// came, so the desk can ask "撤销 王伟 09:12 的签到？" before doing it.
type LastCheckIn struct {
	Holder
	At string `json:"at"`
}

// LastAtDesk says whose check-in UndoLast would take back at desk.
func (s *CheckinService) LastAtDesk(desk string) (*LastCheckIn, error) {
	_, roster, cs, err := s.ws.openDesk()
	if err != nil {
		return nil, err
	}
	cs.data.RLock()
	pid, rec := cs.lastAtDesk(desk)
	cs.data.RUnlock()
	if rec == nil {
		return nil, sayNoUndo.Err("desk", desk)
	}
	p, _ := roster.get(pid)
	return &LastCheckIn{Holder: *holderOf(&p), At: rec.At}, nil
}

// UndoLast takes back the last person this desk let in: every scan of
// theirs that still counts, so they are out again (a repeat scan must not
// quietly become their check-in). It says whose check-in it was. expected
// is the person the desk confirmed (LastAtDesk); if someone else has
// checked in at this desk since, nothing is undone.
func (s *CheckinService) UndoLast(desk, expected string) (*Holder, error) {
	st, roster, cs, err := s.ws.openDesk()
	if err != nil {
		return nil, err
	}
	cs.desk.Lock()
	defer cs.desk.Unlock()
	cs.data.RLock()
	pid, rec := cs.lastAtDesk(desk)
	if rec != nil && expected != "" && pid != expected {
		cs.data.RUnlock()
		p, _ := roster.get(pid)
		return nil, sayUndoMoved.Err("desk", desk, "name", p.Name)
	}
	var changes []store.Change
	if rec != nil {
		for _, r := range cs.scans[pid] {
			if !cs.undone[r.ID] {
				changes = append(changes, store.ScanUndos.Add(pid, model.ScanUndo{Scan: r.ID, Desk: desk}))
			}
		}
	}
	cs.data.RUnlock()
	if rec == nil {
		return nil, sayNoUndo.Err("desk", desk)
	}
	if _, err := st.Apply(s.ws.ctx, changes...); err != nil {
		return nil, sayUndoNotSaved.Wrap(err)
	}
	p, _ := roster.get(pid)
	return holderOf(&p), nil
}

// SearchHit is one search result with the person's check-in status.
type SearchHit struct {
	Participant model.Participant `json:"participant"`
	CheckedIn   bool              `json:"checkedIn"`
	At          string            `json:"at,omitempty"`
	Desk        string            `json:"desk,omitempty"`
}

// Search finds people by name, pinyin, initials, mobile (or its last four
// digits) or organization.
func (s *CheckinService) Search(q string, limit int) ([]SearchHit, error) {
	_, roster, cs, err := s.ws.openDesk()
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 200 {
		limit = 20
	}
	found := roster.search.find(roster, q, limit)
	hits := make([]SearchHit, 0, len(found))
	cs.data.RLock()
	defer cs.data.RUnlock()
	for _, p := range found {
		h := SearchHit{Participant: *p}
		if f := cs.first(p.ID); f != nil {
			h.CheckedIn, h.At, h.Desk = true, f.At, f.Desk
		}
		hits = append(hits, h)
	}
	return hits, nil
}

// WalkInResult is the registered person, their check-in and their badge.
type WalkInResult struct {
	Participant model.Participant `json:"participant"`
	Answer      ScanAnswer        `json:"answer"`
	// Badge is to be written, then marked printed (BadgeService.MarkPrinted).
	Badge PrintedBadges `json:"badge"`
	// Existing is set instead of all the above when the person at the door
	// is already registered: the desk offers to check them in or print
	// their badge rather than refusing the walk-in.
	Existing *model.Participant `json:"existing,omitempty"`
}

// WalkIn registers someone at the door, checks them in and makes their
// badge in one step.
func (s *CheckinService) WalkIn(p model.Participant, desk, layout string) (*WalkInResult, error) {
	p.ID = ""
	p.Source = "walkin"
	if same, ok := s.roster.registered(p); ok {
		return &WalkInResult{Existing: &same}, nil
	}
	saved, err := s.roster.Save(p)
	if err != nil {
		return nil, err
	}
	ans, err := s.CheckIn(saved.ID, desk)
	if err != nil {
		return nil, err
	}
	badge, err := s.badge.Print(BadgeRequest{Layout: layout, IDs: []string{saved.ID}})
	if err != nil {
		return nil, sayWalkInBadgeFailed.Wrap(err)
	}
	final, _ := s.ws.roster.get(saved.ID)
	return &WalkInResult{Participant: final, Answer: *ans, Badge: *badge}, nil
}

// Dashboard counts arrivals by role, quarter hour and desk. The counts are
// kept as check-ins commit (checkinState.retally), so a projector
// refreshing every second costs the desks nothing.
func (s *CheckinService) Dashboard() (*figures.Dashboard, error) {
	_, _, cs, err := s.ws.openDesk()
	if err != nil {
		return nil, err
	}
	d := cs.dashboard(s.ws.now().Format(time.RFC3339))
	return &d, nil
}

// RotateKey replaces the event's badge key after a leak or loss. Every badge
// printed so far stops scanning, so it needs the event's name typed back.
func (s *CheckinService) RotateKey(confirmName string) error {
	st, _, err := s.ws.open()
	if err != nil {
		return err
	}
	s.ws.mu.RLock()
	name := s.ws.event.Name
	s.ws.mu.RUnlock()
	if strings.TrimSpace(confirmName) != name {
		return sayRotateConfirm.Err("name", name)
	}
	ch := newBadgeKeyChange(s.ws.now())
	if _, err := st.Apply(s.ws.ctx, ch); err != nil {
		return sayRotateFailed.Wrap(err)
	}
	return nil
}
