package app

import (
	"bytes"
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/fuzhi/eventdesk/app/pdf"
	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/model/msg"
	"github.com/fuzhi/eventdesk/store"
)

// TableService is the matchmaking on the event day, at the tables: badges
// scanned at a table, meetings held or missed, a missed meeting re-placed
// or its gap filled, meetings agreed on the spot, each meeting's outcome
// and its history, and the printed agendas and table cards.
type TableService struct {
	ws       *Workspace
	match    *MatchService
	requests *RequestService
	checkin  *CheckinService
}

// TableScanAnswer is what a table-side scan tells the matchmaking staff.
type TableScanAnswer struct {
	Result  string         `json:"result"` // arrived, held, not_here, or a badge refusal
	Message msg.Text       `json:"message"`
	Meeting *model.Meeting `json:"meeting,omitempty"`
	Name    string         `json:"name,omitempty"`
}

// Scan records a badge scanned at a table. The meeting is the one at that
// table, with that person, in the slot nearest to now; when both sides have
// scanned it is marked held.
func (s *TableService) Scan(table, code string) (*TableScanAnswer, error) {
	st, _, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	p, _, refusal, err := s.ws.verifyBadge(code)
	if err != nil {
		return nil, err
	}
	if refusal != nil {
		return &TableScanAnswer{Result: refusal.Result, Message: refusal.Message}, nil
	}
	b, err := s.match.board()
	if err != nil {
		return nil, err
	}
	starts := map[string]time.Time{}
	for _, sl := range b.Session.Slots {
		t, _ := time.Parse(time.RFC3339, sl.Start)
		starts[sl.ID] = t.Add(time.Duration(sl.Minutes) * time.Minute / 2)
	}
	// The meeting this scan belongs to: the one whose other side is already
	// waiting at the table comes first (the pair is meeting now), then one
	// this person has not arrived at yet, then any; nearest to now within each.
	now := s.ws.now()
	rank := func(m *model.Meeting) int {
		other := m.Counterpart(p.ID)
		switch {
		case m.Status != model.MeetingHeld && slices.Contains(m.Arrived, other) && !slices.Contains(m.Arrived, p.ID):
			return 0
		case m.Status != model.MeetingHeld && !slices.Contains(m.Arrived, p.ID):
			return 1
		}
		return 2
	}
	var best *model.Meeting
	var bestRank int
	var bestGap time.Duration
	for i := range b.Meetings {
		m := &b.Meetings[i]
		if m.Table != table || m.Status == model.MeetingCancelled || (m.From != p.ID && m.To != p.ID) {
			continue
		}
		r, gap := rank(m), now.Sub(starts[m.Slot]).Abs()
		if best == nil || r < bestRank || r == bestRank && gap < bestGap {
			best, bestRank, bestGap = m, r, gap
		}
	}
	if best == nil {
		return &TableScanAnswer{Result: "not_here", Name: p.Name,
			Message: sayNotAtTable.Say("name", p.Name, "org", p.Org, "table", tableNumber(table))}, nil
	}
	m := *best
	if !slices.Contains(m.Arrived, p.ID) {
		m.Arrived = append(m.Arrived, p.ID)
	}
	ans := &TableScanAnswer{Result: "arrived", Name: p.Name}
	if slices.Contains(m.Arrived, m.Counterpart(p.ID)) {
		m.Status = model.MeetingHeld
		ans.Result = string(model.MeetingHeld)
		ans.Message = sayBothArrived.Say("slot", m.Slot)
	} else {
		ans.Message = sayArrived.Say("name", p.Name)
	}
	if err := s.match.saveMeeting(st, m); err != nil {
		return nil, err
	}
	ans.Meeting = &m
	return ans, nil
}

func tableLabel(sess *model.MatchSession, id string) string {
	for _, t := range sess.Tables {
		if t.ID == id {
			return t.Label
		}
	}
	return id
}

// Mark records what happened at the table: held, no_show or cancelled.
func (s *TableService) Mark(id string, status model.MeetingStatus) error {
	if !slices.Contains(model.MeetingStatuses, status) {
		return sayUnknownMeetingStatus.Err("value", status)
	}
	st, m, err := s.match.meeting(id)
	if err != nil {
		return err
	}
	m.Status = status
	return s.match.saveMeeting(st, m)
}

// Replace puts a missed meeting's request into the next slot where both
// people and a table are free, as a new meeting; the no-show stays on record.
func (s *TableService) Replace(id string) (*model.Meeting, error) {
	st, m, err := s.match.meeting(id)
	if err != nil {
		return nil, err
	}
	if isStation(st) {
		return nil, errScheduleOnHub
	}
	if m.Status != model.MeetingNoShow {
		return nil, sayOnlyNoShow.Err()
	}
	b, err := s.match.board()
	if err != nil {
		return nil, err
	}
	if done, ok := b.Replacement(m); ok {
		return &done, nil // already re-placed: the same answer again
	}
	slot, table, ok := b.NextFree(m)
	if !ok {
		return nil, sayNoLaterTable.Err()
	}
	n := m
	n.ID, n.Slot, n.Table, n.Status, n.Locked = newID("M", nil), slot, table, model.MeetingScheduled, true
	if err := s.match.saveMeeting(st, n); err != nil {
		return nil, err
	}
	return &n, nil
}

// AddSpontaneous records a meeting two people decided on the spot, at a
// free table; it is accepted at once and never moved by a re-schedule.
func (s *TableService) AddSpontaneous(from, to, slot, table string) (*model.Meeting, error) {
	st, _, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	if isStation(st) {
		return nil, errScheduleOnHub
	}
	b, err := s.match.board()
	if err != nil {
		return nil, err
	}
	if !b.HasSlot(slot) || !b.HasTable(table) {
		return nil, sayNoCell.Err("slot", slot, "table", table)
	}
	r, err := s.requests.Create(from, to, "want", "现场临时洽谈", true)
	if err != nil {
		return nil, err
	}
	m := model.Meeting{ID: "M" + r.ID, Request: r.ID, From: from, To: to, Slot: slot, Table: table, Status: model.MeetingScheduled, Spontaneous: true}
	if err := s.match.saveMeeting(st, m); err != nil {
		return nil, err
	}
	return &m, nil
}

// FillGap gives the person who came to a missed meeting another one in the
// same slot and at the same table (schedule.Board.GapFill).
func (s *TableService) FillGap(meetingID, presentID string) (*model.Meeting, error) {
	st, m, err := s.match.meeting(meetingID)
	if err != nil {
		return nil, err
	}
	if isStation(st) {
		return nil, errScheduleOnHub
	}
	if presentID != m.From && presentID != m.To {
		return nil, sayNotInMeeting.Err("id", presentID)
	}
	b, err := s.match.board()
	if err != nil {
		return nil, err
	}
	reqs, err := listView(s.ws, store.Requests)
	if err != nil {
		return nil, err
	}
	best := b.GapFill(m, presentID, reqs)
	if best == nil {
		return nil, sayNoWishFits.Err()
	}
	n := model.Meeting{ID: "M" + best.ID, Request: best.ID, From: best.From, To: best.To, Slot: m.Slot, Table: m.Table, Status: model.MeetingScheduled, Locked: true}
	if err := s.match.saveMeeting(st, n); err != nil {
		return nil, err
	}
	return &n, nil
}

// SaveOutcome records (or corrects) a meeting's outcome; each save is an op.
func (s *TableService) SaveOutcome(o model.Outcome) (*model.Outcome, error) {
	st, _, err := s.match.meeting(o.Meeting)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(model.OutcomeResults, o.Result) {
		return nil, sayUnknownResult.Err("value", o.Result)
	}
	if o.Amount < 0 {
		return nil, sayNegativeAmount.Err()
	}
	if o.Signed && o.Result != model.ResultAgreement {
		return nil, saySignedAgreement.Err()
	}
	if o.Finance != nil {
		o.Finance.Institution = strings.TrimSpace(o.Finance.Institution)
	}
	if err := o.CheckExtras(); err != nil {
		return nil, err
	}
	o.Updated = s.ws.now().Format(time.RFC3339)
	if _, err := st.Apply(s.ws.ctx, store.Outcomes.Put(o.Meeting, o)); err != nil {
		return nil, sayOutcomeSaveFailed.Wrap(err)
	}
	return &o, nil
}

// OutcomeHistory lists every saved version of a meeting's outcome, oldest
// first: the op log keeps them all.
func (s *TableService) OutcomeHistory(meetingID string) ([]model.Outcome, error) {
	st, _, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	out := []model.Outcome{}
	err = st.Ops(func(op store.Op) error {
		if op.Kind == store.Outcomes.PutOp() && op.Entity == meetingID {
			var o model.Outcome
			if err := json.Unmarshal(op.Payload, &o); err != nil {
				return err
			}
			out = append(out, o)
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Updated < out[j].Updated })
	return out, err
}

// AgendaRequest chooses whose agendas to print: given people, or everyone
// with a meeting.
type AgendaRequest struct {
	IDs []string `json:"ids,omitempty"`
}

// Agendas prints each person's meetings, in time order, one page each.
func (s *TableService) Agendas(req AgendaRequest) ([]byte, error) {
	_, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	sess, err := s.match.Session()
	if err != nil {
		return nil, err
	}
	meetings, err := s.match.Meetings()
	if err != nil {
		return nil, err
	}
	slotTime := map[string]string{}
	for _, sl := range sess.Slots {
		if t, err := time.Parse(time.RFC3339, sl.Start); err == nil {
			slotTime[sl.ID] = t.Format("15:04") + "-" + t.Add(time.Duration(sl.Minutes)*time.Minute).Format("15:04") // the font has no en dash
		}
	}
	programme, err := listView(s.ws, store.Programme)
	if err != nil {
		return nil, err
	}
	sortProgramme(programme)
	byPerson := map[string][]pdf.AgendaItem{}
	var order []string
	for _, m := range meetings {
		if !m.Status.TakesPlace() {
			continue
		}
		for _, side := range [2][3]string{{m.From, m.ToName, m.ToOrg}, {m.To, m.FromName, m.FromOrg}} {
			if _, seen := byPerson[side[0]]; !seen {
				order = append(order, side[0])
			}
			byPerson[side[0]] = append(byPerson[side[0]], pdf.AgendaItem{Time: slotTime[m.Slot], Table: shortTableLabel(sess, m.Table), Counterpart: side[1], Org: side[2], Topic: m.Topic})
		}
	}
	ids := req.IDs
	if len(ids) == 0 {
		ids = order
		sort.Slice(ids, func(i, j int) bool {
			a, _ := roster.get(ids[i])
			b, _ := roster.get(ids[j])
			return a.Org+a.Name < b.Org+b.Name
		})
	}
	var agendas []pdf.Agenda
	for _, id := range ids {
		p, ok := roster.get(id)
		if !ok {
			return nil, sayNoParticipant.Err("id", id)
		}
		code, _ := s.checkin.BadgeCode(id)
		items := byPerson[id]
		sort.SliceStable(items, func(i, j int) bool { return items[i].Time < items[j].Time })
		agendas = append(agendas, pdf.Agenda{Name: p.Name, Org: p.Org, Code: code, Items: items, Programme: programmeFor(programme, id)})
	}
	// When and where, under the person's name: the date of the session and the venue.
	when := []string{}
	if len(sess.Slots) > 0 {
		if t, err := time.Parse(time.RFC3339, sess.Slots[0].Start); err == nil {
			when = append(when, t.Format("2006年1月2日"))
		}
	}
	if v := s.ws.currentEvent().Venue; v != "" {
		when = append(when, v)
	}
	when = append(when, "供需对接洽谈")
	var buf bytes.Buffer
	if err := pdf.Agendas(&buf, s.ws.eventTitle(), strings.Join(when, " · "), agendas); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// shortTableLabel is "1 号桌", without the exhibitor's name.
func shortTableLabel(sess *model.MatchSession, id string) string {
	return strings.SplitN(tableLabel(sess, id), "（", 2)[0]
}

// TableTents prints a folding card for every table.
func (s *TableService) TableTents() ([]byte, error) {
	_, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	sess, err := s.match.Session()
	if err != nil {
		return nil, err
	}
	var tents []pdf.TableTent
	for _, t := range sess.Tables {
		tent := pdf.TableTent{Label: shortTableLabel(sess, t.ID)}
		if p, ok := roster.get(t.Fixed); ok && t.Fixed != "" {
			tent.Owner = p.Org
		}
		tents = append(tents, tent)
	}
	var buf bytes.Buffer
	if err := pdf.TableTents(&buf, s.ws.eventTitle(), tents); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// tableNumber is a table's number as people say it ("T003" → "3"): the
// label is Chinese ("3 号桌"), the sentences around it say the rest.
func tableNumber(id string) string {
	if n := strings.TrimLeft(strings.TrimPrefix(id, "T"), "0"); n != "" {
		return n
	}
	return id
}

// programmeFor is the day's programme as a person's agenda prints it, with
// the sessions they are on stage in marked: their talk's planned time, or
// that they speak or host ("" marks none).
func programmeFor(programme []model.ProgrammeSession, person string) []pdf.ProgrammeLine {
	out := make([]pdf.ProgrammeLine, 0, len(programme))
	for i := range programme {
		sess := &programme[i]
		l := pdf.ProgrammeLine{Time: model.VenueTime(sess.Start, "15:04") + "-" + model.VenueTime(sess.End, "15:04"),
			Kind: model.SessionKindNames[sess.Kind], Title: sess.Title, Room: sess.Room}
		if person != "" {
			l.Mine = turnIn(sess, person)
		}
		out = append(out, l)
	}
	return out
}

// turnIn is a person's part in one session: their talk's planned time,
// 嘉宾 or 主持; "" when they have none.
func turnIn(sess *model.ProgrammeSession, person string) string {
	for _, t := range sess.Planned() {
		if t.Presenter == person {
			return "路演 " + t.From.In(model.VenueZone).Format("15:04")
		}
	}
	switch {
	case slices.Contains(sess.Speakers, person):
		return "嘉宾"
	case slices.Contains(sess.Hosts, person):
		return "主持"
	}
	return ""
}

// turnOf is a person's turns on stage through the day, for their badge's
// back: "路演 09:38 成果路演；嘉宾 开幕式".
func turnOf(programme []model.ProgrammeSession, person string) string {
	var turns []string
	for i := range programme {
		if t := turnIn(&programme[i], person); t != "" {
			turns = append(turns, t+" "+programme[i].Title)
		}
	}
	return strings.Join(turns, "；")
}
