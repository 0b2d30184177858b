package app

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fuzhi/eventdesk/app/schedule"
	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/station"
)

// MatchService sets up the one-on-one matchmaking session and its
// schedule: slots and tables, who cannot meet when, the schedule computed
// from accepted requests (RequestService), its publication, and moves on
// the grid. The hub decides the schedule; a station's move is a proposal
// the hub applies or refuses (answerProposal).
type MatchService struct {
	ws        *Workspace
	requests  *RequestService
	programme *ProgrammeService
	mu        sync.Mutex
	// draft is the last "schedule all" result, shown for review until
	// published, discarded or the session is changed; draftOf is the event
	// file it was computed for (another event opened meanwhile has none).
	draft   *ScheduleDraft
	draftOf *store.Store
}

// pendingDraft is the draft of the event open in st, or nil.
func (s *MatchService) pendingDraft(st *store.Store) *ScheduleDraft {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.draftOf != st {
		return nil
	}
	return s.draft
}

// setDraft replaces the draft of the event open in st (nil forgets it).
func (s *MatchService) setDraft(st *store.Store, d *ScheduleDraft) {
	s.mu.Lock()
	s.draft, s.draftOf = d, st
	s.mu.Unlock()
	s.ws.emit(MatchChanged, Changed{})
}

// sessionEntity is the one session of an event file.
const sessionEntity = "session"

// SessionInput generates slots and tables.
type SessionInput struct {
	Start       string   `json:"start"`       // first slot, "2026-05-20T14:00" (venue time) or RFC 3339
	SlotMinutes int      `json:"slotMinutes"` // length of a meeting
	Slots       int      `json:"slots"`
	BreakAfter  []int    `json:"breakAfter,omitempty"` // a 20-minute break after these slot numbers (1-based)
	BreakMin    int      `json:"breakMinutes,omitempty"`
	Tables      int      `json:"tables"`
	Fixed       []string `json:"fixed,omitempty"` // participants who keep their own table (T001, T002, … in order)
	MaxMeetings int      `json:"maxMeetings"`
	RequestCap  int      `json:"requestCap"`
	// RequestDeadline is when unanswered requests expire (venue time);
	// empty = when the first slot starts.
	RequestDeadline string `json:"requestDeadline,omitempty"`
}

// Session returns the setup, or an empty one.
func (s *MatchService) Session() (*model.MatchSession, error) {
	st, _, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	sess, _, err := store.Sessions.Get(st, sessionEntity)
	if err != nil {
		return nil, err
	}
	// A fresh event has no session yet: empty lists, not null, for the screens.
	if sess.Blocked == nil {
		sess.Blocked = map[string][]string{}
	}
	if sess.Slots == nil {
		sess.Slots = []model.MatchSlot{}
	}
	if sess.Tables == nil {
		sess.Tables = []model.MatchTable{}
	}
	return &sess, nil
}

// SetupSession (re)creates the slots and tables; blocked slots are kept.
func (s *MatchService) SetupSession(in SessionInput) (*model.MatchSession, error) {
	st, _, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	if isStation(st) {
		return nil, errScheduleOnHub
	}
	p, err := s.proposeSession(in)
	if err != nil {
		return nil, err
	}
	if err := s.saveSession(p.st, p.next); err != nil {
		return nil, err
	}
	return p.next, nil
}

// sessionProposal is a session built from the form, beside the one it
// would replace and the meetings placed on the old one.
type sessionProposal struct {
	st        *store.Store
	old, next *model.MatchSession
	meetings  []model.Meeting
}

// proposeSession builds the session the form asks for and refuses it if it
// drops what happened (keepsWhatHappened); preview and save share it.
func (s *MatchService) proposeSession(in SessionInput) (*sessionProposal, error) {
	st, _, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	old, err := s.Session()
	if err != nil {
		return nil, err
	}
	next, err := s.buildSession(in, old)
	if err != nil {
		return nil, err
	}
	meetings, err := store.Meetings.List(st)
	if err != nil {
		return nil, fmt.Errorf("read meetings: %w", err)
	}
	if err := keepsWhatHappened(next, meetings); err != nil {
		return nil, err
	}
	return &sessionProposal{st: st, old: old, next: next, meetings: meetings}, nil
}

// SessionChange is what saving a session setup would do to what is there:
// the screen asks before it saves a change that loses or moves something.
type SessionChange struct {
	// Expiring is how many unanswered requests would expire at once (the
	// new deadline, or the first slot, is already past).
	Expiring int `json:"expiring"`
	// Moved is how many published meetings would change time.
	Moved int `json:"moved"`
	// Lost is how many published meetings would lose their slot or table.
	Lost int `json:"lost"`
	// FirstSlot is when the new first slot starts (RFC 3339).
	FirstSlot string `json:"firstSlot"`
}

// PreviewSession says what SetupSession(in) would do, without saving.
func (s *MatchService) PreviewSession(in SessionInput) (*SessionChange, error) {
	p, err := s.proposeSession(in)
	if err != nil {
		return nil, err
	}
	old, next := p.old, p.next
	ch := &SessionChange{FirstSlot: next.Slots[0].Start}
	if next.RequestsExpired(s.ws.now()) {
		reqs, err := s.requests.byID()
		if err != nil {
			return nil, err
		}
		for _, r := range reqs {
			if r.Status == model.RequestRequested {
				ch.Expiring++
			}
		}
	}
	if old.Published == "" {
		return ch, nil
	}
	starts := map[string]string{}
	for _, sl := range next.Slots {
		starts[sl.ID] = sl.Start
	}
	tables := map[string]bool{}
	for _, tb := range next.Tables {
		tables[tb.ID] = true
	}
	was := map[string]string{}
	for _, sl := range old.Slots {
		was[sl.ID] = sl.Start
	}
	for _, m := range p.meetings {
		if m.Status != model.MeetingScheduled {
			continue
		}
		start, ok := starts[m.Slot]
		switch {
		case !ok || !tables[m.Table]:
			ch.Lost++
		case start != was[m.Slot]:
			ch.Moved++
		}
	}
	return ch, nil
}

// keepsWhatHappened refuses a session that drops a slot or a table where a
// meeting took place (held or missed) or was fixed by hand (locked, added
// on the spot): those are the record of the day and the schedule is built
// around them, so they can only move with the organizer's own hand.
func keepsWhatHappened(next *model.MatchSession, meetings []model.Meeting) error {
	slots, tables := map[string]bool{}, map[string]bool{}
	for _, sl := range next.Slots {
		slots[sl.ID] = true
	}
	for _, tb := range next.Tables {
		tables[tb.ID] = true
	}
	n, lastSlot, lastTable := 0, "", ""
	for _, m := range meetings {
		fixed := m.Status == model.MeetingHeld || m.Status == model.MeetingNoShow || m.Locked || m.Spontaneous
		if !fixed || m.Status == model.MeetingCancelled || (slots[m.Slot] && tables[m.Table]) {
			continue
		}
		n++
		if m.Slot > lastSlot {
			lastSlot = m.Slot
		}
		if m.Table > lastTable {
			lastTable = m.Table
		}
	}
	if n == 0 {
		return nil
	}
	num := func(id string) string { return strings.TrimLeft(strings.TrimLeft(id, "ST"), "0") }
	return sayKeepWhatHappened.Err("n", n, "slots", num(lastSlot), "tables", num(lastTable))
}

// buildSession turns the form into a new session, keeping what the form
// does not set (blocked slots, publication) from current, which it leaves
// as it is.
func (s *MatchService) buildSession(in SessionInput, current *model.MatchSession) (*model.MatchSession, error) {
	_, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	if in.Slots < 1 || in.Slots > schedule.MaxSlots {
		return nil, saySlotsRange.Err("max", schedule.MaxSlots)
	}
	if in.SlotMinutes < 5 || in.SlotMinutes > 240 {
		return nil, sayMinutesRange.Err()
	}
	if in.Tables < 1 || in.Tables > 2000 {
		return nil, sayTablesRange.Err()
	}
	if len(in.Fixed) > in.Tables {
		return nil, sayTooManyFixed.Err("n", len(in.Fixed), "tables", in.Tables)
	}
	start, err := parseVenueTime(in.Start)
	if err != nil {
		return nil, err
	}
	if in.BreakMin == 0 {
		in.BreakMin = 20
	}
	next := *current
	sess := &next
	sess.Slots, sess.Tables, sess.MaxMeetings, sess.RequestCap, sess.RequestDeadline = nil, nil, in.MaxMeetings, in.RequestCap, ""
	if strings.TrimSpace(in.RequestDeadline) != "" {
		dl, err := parseVenueTime(in.RequestDeadline)
		if err != nil {
			return nil, sayBadDeadline.Wrap(err)
		}
		sess.RequestDeadline = dl.Format(time.RFC3339)
	}
	t := start
	for i := 1; i <= in.Slots; i++ {
		sess.Slots = append(sess.Slots, model.MatchSlot{ID: fmt.Sprintf("S%02d", i), Start: t.Format(time.RFC3339), Minutes: in.SlotMinutes})
		t = t.Add(time.Duration(in.SlotMinutes) * time.Minute)
		for _, b := range in.BreakAfter {
			if b == i {
				t = t.Add(time.Duration(in.BreakMin) * time.Minute)
			}
		}
	}
	for i := 1; i <= in.Tables; i++ {
		tb := model.MatchTable{ID: fmt.Sprintf("T%03d", i), Label: fmt.Sprintf("%d 号桌", i)}
		if i <= len(in.Fixed) {
			p, ok := roster.get(in.Fixed[i-1])
			if !ok {
				return nil, sayFixedMissing.Err("id", in.Fixed[i-1])
			}
			tb.Fixed = p.ID
			tb.Label = fmt.Sprintf("%d 号桌（%s）", i, p.Org)
		}
		sess.Tables = append(sess.Tables, tb)
	}
	return sess, nil
}

func parseVenueTime(s string) (time.Time, error) {
	china := model.VenueZone
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), china); err == nil {
			return t, nil
		}
	}
	return time.Time{}, sayBadStart.Err("value", s)
}

func (s *MatchService) saveSession(st *store.Store, sess *model.MatchSession) error {
	if _, err := st.Apply(s.ws.ctx, store.Sessions.Put(sessionEntity, *sess)); err != nil {
		return saySessionSaveFailed.Wrap(err)
	}
	if s.pendingDraft(st) != nil {
		s.setDraft(st, nil) // computed for the old slots and tables
	}
	return nil
}

// SetBlocked records the slots a participant cannot meet in (their
// roadshow talk, arriving late).
func (s *MatchService) SetBlocked(participantID string, slots []string) error {
	st, roster, err := s.ws.open()
	if err != nil {
		return err
	}
	if _, ok := roster.get(participantID); !ok {
		return sayNoParticipant.Err("id", participantID)
	}
	sess, err := s.Session()
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, sl := range sess.Slots {
		known[sl.ID] = true
	}
	for _, sl := range slots {
		if !known[sl] {
			return sayNoSlot.Err("slot", sl)
		}
	}
	if len(slots) == 0 {
		delete(sess.Blocked, participantID)
	} else {
		sess.Blocked[participantID] = slots
	}
	return s.saveSession(st, sess)
}

// ScheduleDraft is a provisional schedule for the organizer to review.
type ScheduleDraft struct {
	// Meetings is the schedule as it will be once published: the meetings
	// that stay (locked, held, missed, agreed on the spot) and the draft's,
	// each marked with how it differs from the published schedule.
	Meetings []MeetingView  `json:"meetings"`
	Weight   int            `json:"weight"`
	Stats    schedule.Stats `json:"stats"`
	Requests int            `json:"requests"` // accepted requests considered
	Added    int            `json:"added"`    // pairs that had no meeting
	Moved    int            `json:"moved"`    // pairs whose time or table changes
	Removed  int            `json:"removed"`  // published meetings the draft drops
	Same     int            `json:"same"`     // unchanged, stays included

	planned []schedule.Meeting
}

// Draft change marks on MeetingView.
const (
	DraftNew   = "new"
	DraftMoved = "moved"
	DraftSame  = "same"
)

// publishPlan is what publishing a draft does to the published schedule.
type publishPlan struct {
	stay    []model.Meeting // kept as they are
	put     []model.Meeting // the draft's meetings
	remove  []model.Meeting // published meetings that do not stay
	changed map[string]string
}

// planPublish works out publishing planned over old; ScheduleAll shows it,
// Publish applies it.
func planPublish(old []model.Meeting, planned []schedule.Meeting, reqs map[string]model.MeetingRequest) publishPlan {
	p := publishPlan{changed: map[string]string{}}
	keep := map[string]bool{}
	before := map[string]model.Meeting{}
	for _, m := range old {
		if schedule.Stays(m) {
			keep[m.Request] = true
			p.stay = append(p.stay, m)
			p.changed[m.ID] = DraftSame
			continue
		}
		before[m.Request] = m
		p.remove = append(p.remove, m)
	}
	for _, mt := range planned {
		if keep[mt.Request] {
			continue
		}
		r := reqs[mt.Request]
		m := model.Meeting{ID: "M" + mt.Request, Request: mt.Request, From: r.From, To: r.To, Slot: mt.Slot, Table: mt.Table, Status: model.MeetingScheduled}
		switch was, ok := before[mt.Request]; {
		case !ok:
			p.changed[m.ID] = DraftNew
		case was.Slot != m.Slot || was.Table != m.Table:
			p.changed[m.ID] = DraftMoved
		default:
			p.changed[m.ID] = DraftSame
		}
		delete(before, mt.Request)
		p.put = append(p.put, m)
	}
	return p
}

// dropped counts the published meetings the plan loses altogether.
func (p publishPlan) dropped() int {
	kept := map[string]bool{}
	for _, m := range p.put {
		kept[m.Request] = true
	}
	n := 0
	for _, m := range p.remove {
		if !kept[m.Request] {
			n++
		}
	}
	return n
}

// board is the session and every meeting, for the conflict rules. The
// people on a stage of the programme meanwhile are blocked in those slots
// as if the organizer had blocked them (presenterBlocks).
func (s *MatchService) board() (schedule.Board, error) {
	sess, err := s.Session()
	if err != nil {
		return schedule.Board{}, err
	}
	programme, err := listView(s.ws, store.Programme)
	if err != nil {
		return schedule.Board{}, err
	}
	if staged := presenterBlocks(programme, sess.Slots); len(staged) > 0 {
		blocked := make(map[string][]string, len(sess.Blocked)+len(staged))
		for who, slots := range sess.Blocked {
			blocked[who] = slots
		}
		for who, slots := range staged {
			blocked[who] = dedupStrings(append(slices.Clone(blocked[who]), slots...))
		}
		sess.Blocked = blocked
	}
	meetings, err := listView(s.ws, store.Meetings)
	return schedule.Board{Session: sess, Meetings: meetings}, err
}

// dedupStrings keeps the first of each string, in order.
func dedupStrings(in []string) []string {
	out := in[:0]
	seen := map[string]bool{}
	for _, x := range in {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// instance builds the scheduler's input (schedule.Board.Instance), and
// returns the board and requests it was built from, for describing the draft.
func (s *MatchService) instance() (*schedule.Instance, schedule.Board, map[string]model.MeetingRequest, error) {
	b, err := s.board()
	if err != nil {
		return nil, b, nil, err
	}
	if len(b.Session.Slots) == 0 || len(b.Session.Tables) == 0 {
		return nil, b, nil, sayNoSession.Err()
	}
	if _, err := s.requests.expireDue(); err != nil {
		return nil, b, nil, err
	}
	reqs, err := s.requests.byID()
	if err != nil {
		return nil, b, nil, err
	}
	return b.Instance(reqs), b, reqs, nil
}

// ScheduleAll computes a provisional schedule of every accepted request;
// nothing changes until the organizer publishes it. The search runs for
// the given seconds, or less once its schedule is proved the best.
func (s *MatchService) ScheduleAll(seconds float64) (*ScheduleDraft, error) {
	if seconds <= 0 || seconds > 60 {
		seconds = 5
	}
	return s.scheduleAll(schedule.Options{Seed: 1, Budget: time.Duration(seconds * float64(time.Second))})
}

// scheduleAll is ScheduleAll with the search's options: the demo event
// stops by rounds, so it is the same on every machine.
func (s *MatchService) scheduleAll(opt schedule.Options) (*ScheduleDraft, error) {
	st, err := s.ws.Store()
	if err != nil {
		return nil, err
	}
	in, board, reqs, err := s.instance()
	if err != nil {
		return nil, err
	}
	if len(in.Requests) == 0 {
		return nil, sayNothingToPlace.Err()
	}
	out, stats, err := schedule.Solve(s.ws.ctx, in, opt)
	if err != nil {
		return nil, sayCannotSchedule.Wrap(err)
	}
	if err := schedule.Verify(in, out); err != nil {
		return nil, fmt.Errorf("internal: schedule breaks a rule: %w", err)
	}
	d := &ScheduleDraft{Weight: out.Weight, Stats: *stats, Requests: len(in.Requests), planned: out.Meetings}
	if err := s.describeDraft(d, board, reqs); err != nil {
		return nil, err
	}
	s.setDraft(st, d)
	return d, nil
}

// describeDraft fills the draft's view: the schedule after publishing and
// how it differs from the published one.
func (s *MatchService) describeDraft(d *ScheduleDraft, b schedule.Board, reqs map[string]model.MeetingRequest) error {
	plan := planPublish(b.Meetings, d.planned, reqs)
	b.Meetings = append(append([]model.Meeting{}, plan.stay...), plan.put...)
	var err error
	d.Meetings, err = s.views(b, reqs)
	if err != nil {
		return err
	}
	for i := range d.Meetings {
		switch d.Meetings[i].Draft = plan.changed[d.Meetings[i].ID]; d.Meetings[i].Draft {
		case DraftNew:
			d.Added++
		case DraftMoved:
			d.Moved++
		default:
			d.Same++
		}
	}
	d.Removed = plan.dropped()
	return nil
}

// Draft is the schedule computed by ScheduleAll and not yet published, or
// nil; the grid shows it until it is published or discarded.
func (s *MatchService) Draft() (*ScheduleDraft, error) {
	st, err := s.ws.Store()
	if err != nil {
		return nil, err
	}
	return s.pendingDraft(st), nil
}

// DiscardDraft forgets the draft; the published schedule stays as it is.
func (s *MatchService) DiscardDraft() error {
	st, err := s.ws.Store()
	if err != nil {
		return err
	}
	s.setDraft(st, nil)
	return nil
}

// Publish replaces the schedule with the reviewed draft. Meetings that
// were locked, held or missed stay as they are.
func (s *MatchService) Publish() (int, error) {
	st, _, err := s.ws.open()
	if err != nil {
		return 0, err
	}
	if isStation(st) {
		return 0, errScheduleOnHub
	}
	d := s.pendingDraft(st)
	if d == nil {
		return 0, sayNoDraft.Err()
	}
	reqs, err := s.requests.byID()
	if err != nil {
		return 0, err
	}
	old, err := listView(s.ws, store.Meetings)
	if err != nil {
		return 0, err
	}
	plan := planPublish(old, d.planned, reqs)
	var changes []store.Change
	for _, m := range plan.remove {
		changes = append(changes, store.Meetings.Delete(m.ID))
	}
	for _, m := range plan.put {
		changes = append(changes, store.Meetings.Put(m.ID, m))
	}
	sess, err := s.Session()
	if err != nil {
		return 0, err
	}
	sess.Published = s.ws.now().Format(time.RFC3339)
	changes = append(changes, store.Sessions.Put(sessionEntity, *sess))
	if _, err := st.Apply(s.ws.ctx, changes...); err != nil {
		return 0, sayPublishFailed.Wrap(err)
	}
	s.setDraft(st, nil)
	return len(plan.stay) + len(plan.put), nil
}

// MeetingView is a meeting on the grid, with names and any rule it breaks.
type MeetingView struct {
	model.Meeting
	FromName  string         `json:"fromName"`
	FromOrg   string         `json:"fromOrg"`
	ToName    string         `json:"toName"`
	ToOrg     string         `json:"toOrg"`
	Topic     string         `json:"topic,omitempty"`
	Outcome   *model.Outcome `json:"outcome,omitempty"`
	Conflicts []string       `json:"conflicts"`
	// Draft, on a draft's meetings only: new, moved or same.
	Draft string `json:"draft,omitempty"`
}

// Meetings lists the published schedule with conflicts flagged, so a
// manual move that breaks a rule shows at once.
func (s *MatchService) Meetings() ([]MeetingView, error) {
	b, err := s.board()
	if err != nil {
		return nil, err
	}
	reqs, err := s.requests.byID()
	if err != nil {
		return nil, err
	}
	return s.views(b, reqs)
}

// views names the board's meetings and says which rules each breaks.
func (s *MatchService) views(b schedule.Board, reqs map[string]model.MeetingRequest) ([]MeetingView, error) {
	_, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	outcomes, err := listView(s.ws, store.Outcomes)
	if err != nil {
		return nil, err
	}
	byMeeting := map[string]model.Outcome{}
	for _, o := range outcomes {
		byMeeting[o.Meeting] = o
	}
	conflicts := b.Conflicts()
	out := make([]MeetingView, 0, len(b.Meetings))
	for _, m := range b.Meetings {
		f, _ := roster.get(m.From)
		t, _ := roster.get(m.To)
		v := MeetingView{Meeting: m, FromName: f.Name, FromOrg: f.Org, ToName: t.Name, ToOrg: t.Org, Topic: reqs[m.Request].Topic,
			Conflicts: conflictTexts(conflicts[m.ID], roster, b.Session)}
		if o, ok := byMeeting[m.ID]; ok {
			v.Outcome = &o
		}
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Slot != out[j].Slot {
			return out[i].Slot < out[j].Slot
		}
		return out[i].Table < out[j].Table
	})
	return out, nil
}

// conflictTexts says each broken rule in the organizer's words, naming
// people and tables as the screens and table cards do.
func conflictTexts(cs []schedule.Conflict, roster *rosterCache, sess *model.MatchSession) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		p, _ := roster.get(c.Who)
		switch c.Kind {
		case schedule.PersonTwice:
			out = append(out, fmt.Sprintf("%s 在同一时段有两场洽谈", p.Name))
		case schedule.PersonBlocked:
			out = append(out, fmt.Sprintf("%s 在该时段不可约", p.Name))
		case schedule.PersonOffOwnTable:
			out = append(out, fmt.Sprintf("%s 应在固定桌位 %s", p.Name, shortTableLabel(sess, c.Table)))
		case schedule.TableTwice:
			out = append(out, fmt.Sprintf("%s 在同一时段有两场洽谈", shortTableLabel(sess, c.Table)))
		case schedule.TableFixedForOther:
			out = append(out, fmt.Sprintf("%s 是固定桌位", tableLabel(sess, c.Table)))
		}
	}
	return out
}

func (s *MatchService) meeting(id string) (*store.Store, model.Meeting, error) {
	st, _, err := s.ws.open()
	if err != nil {
		return nil, model.Meeting{}, err
	}
	m, ok, err := store.Meetings.Get(st, id)
	if err != nil || !ok {
		return nil, m, sayNoMeeting.Err("id", id)
	}
	return st, m, nil
}

func (s *MatchService) saveMeeting(st *store.Store, m model.Meeting) error {
	if _, err := st.Apply(s.ws.ctx, store.Meetings.Put(m.ID, m)); err != nil {
		return sayMeetingSaveFailed.Wrap(err)
	}
	return nil
}

// MoveMeeting puts a meeting in another slot or at another table (a drag
// on the grid). A move that breaks a rule is kept and flagged, so the
// organizer sees the conflict and can fix it, rather than losing the move.
// On a station the move is a proposal to the hub.
func (s *MatchService) MoveMeeting(id, slot, table string) ([]string, error) {
	st, m, err := s.meeting(id)
	if err != nil {
		return nil, err
	}
	if isStation(st) {
		return s.propose(st, m, slot, table)
	}
	conflicts, err := s.checkMove(m, slot, table)
	if err != nil {
		return nil, err
	}
	m.Slot, m.Table = slot, table
	if err := s.saveMeeting(st, m); err != nil {
		return nil, err
	}
	return conflicts, nil
}

// checkMove is what moving m to slot and table would break, asked before
// anything is written.
func (s *MatchService) checkMove(m model.Meeting, slot, table string) ([]string, error) {
	b, err := s.board()
	if err != nil {
		return nil, err
	}
	if !b.HasSlot(slot) || !b.HasTable(table) {
		return nil, sayNoCell.Err("slot", slot, "table", table)
	}
	_, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	return conflictTexts(b.MoveConflicts(m, slot, table), roster, b.Session), nil
}

// LockMeeting keeps a meeting where it is when the organizer schedules again.
func (s *MatchService) LockMeeting(id string, locked bool) error {
	st, m, err := s.meeting(id)
	if err != nil {
		return err
	}
	if isStation(st) {
		return errScheduleOnHub
	}
	m.Locked = locked
	return s.saveMeeting(st, m)
}

var errScheduleOnHub = sayScheduleOnHub.Err()

// isStation tells whether this file syncs with a hub.
func isStation(st *store.Store) bool {
	_, ok := station.ConfigOf(st)
	return ok
}

// propose records a station's wish to move a meeting; the hub answers it.
func (s *MatchService) propose(st *store.Store, m model.Meeting, slot, table string) ([]string, error) {
	p := model.Proposal{ID: newID("Q", nil), Meeting: m.ID, Slot: slot, Table: table, By: st.Station(), Status: model.ProposalProposed}
	if _, err := st.Apply(s.ws.ctx, store.Proposals.Put(p.ID, p)); err != nil {
		return nil, sayProposalSaveFailed.Wrap(err)
	}
	return []string{"已作为建议发送给主控机，由主控机确认后生效"}, nil
}

// answerProposal applies a station's move when it breaks no rule, and
// otherwise refuses it with the reason; the check comes first, so a
// refused move writes nothing.
func (s *MatchService) answerProposal(p model.Proposal) model.Proposal {
	p.Status, p.Reason = model.ProposalApplied, ""
	st, m, err := s.meeting(p.Meeting)
	if err == nil && (m.Locked || m.Status == model.MeetingHeld) {
		err = sayLockedOrHeld.Err()
	}
	var conflicts []string
	if err == nil {
		conflicts, err = s.checkMove(m, p.Slot, p.Table)
	}
	if err == nil && len(conflicts) > 0 {
		err = errors.New(strings.Join(conflicts, "；"))
	}
	if err == nil {
		m.Slot, m.Table = p.Slot, p.Table
		err = s.saveMeeting(st, m)
	}
	if err != nil {
		p.Status, p.Reason = model.ProposalRefused, err.Error()
	}
	return p
}
