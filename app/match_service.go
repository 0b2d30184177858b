package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fuzhi/eventdesk/app/pdf"
	"github.com/fuzhi/eventdesk/app/schedule"
	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
)

// MatchService runs the one-on-one matchmaking session.
type MatchService struct {
	ws *Workspace
	mu sync.Mutex
	// draft is the last "schedule all" result, shown for review until published.
	draft *ScheduleDraft
}

// NewMatchService binds the service to a workspace.
func NewMatchService(ws *Workspace) *MatchService { return &MatchService{ws: ws} }

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
	var sess model.MatchSession
	if _, err := st.Get(store.KindSession, "session", &sess); err != nil {
		return nil, err
	}
	if sess.Blocked == nil {
		sess.Blocked = map[string][]string{}
	}
	return &sess, nil
}

// SetupSession (re)creates the slots and tables; blocked slots are kept.
func (s *MatchService) SetupSession(in SessionInput) (*model.MatchSession, error) {
	st, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	if s.ws.isStation(st) {
		return nil, errScheduleOnHub
	}
	if in.Slots < 1 || in.Slots > schedule.MaxSlots {
		return nil, fmt.Errorf("时段数应在 1 到 %d 之间", schedule.MaxSlots)
	}
	if in.SlotMinutes < 5 || in.SlotMinutes > 240 {
		return nil, fmt.Errorf("每场洽谈时长应在 5 到 240 分钟之间")
	}
	if in.Tables < 1 || in.Tables > 2000 {
		return nil, fmt.Errorf("洽谈桌数应在 1 到 2000 之间")
	}
	if len(in.Fixed) > in.Tables {
		return nil, fmt.Errorf("固定桌位（%d 个）多于洽谈桌（%d 张）", len(in.Fixed), in.Tables)
	}
	start, err := parseVenueTime(in.Start)
	if err != nil {
		return nil, err
	}
	if in.BreakMin == 0 {
		in.BreakMin = 20
	}
	sess, err := s.Session()
	if err != nil {
		return nil, err
	}
	sess.Slots, sess.Tables, sess.MaxMeetings, sess.RequestCap, sess.RequestDeadline = nil, nil, in.MaxMeetings, in.RequestCap, ""
	if strings.TrimSpace(in.RequestDeadline) != "" {
		dl, err := parseVenueTime(in.RequestDeadline)
		if err != nil {
			return nil, fmt.Errorf("请求截止时间：%w", err)
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
				return nil, fmt.Errorf("固定桌位的参会人 %s 不存在", in.Fixed[i-1])
			}
			tb.Fixed = p.ID
			tb.Label = fmt.Sprintf("%d 号桌（%s）", i, p.Org)
		}
		sess.Tables = append(sess.Tables, tb)
	}
	if err := s.saveSession(st, sess); err != nil {
		return nil, err
	}
	return sess, nil
}

func parseVenueTime(s string) (time.Time, error) {
	china := time.FixedZone("CST", 8*3600)
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), china); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("开始时间“%s”格式不对，应为 2026-05-20 14:00", s)
}

func (s *MatchService) saveSession(st *store.Store, sess *model.MatchSession) error {
	if _, err := st.Apply(s.ws.ctx, store.Change{Kind: store.KindSession, Entity: "session", Value: sess}); err != nil {
		return fmt.Errorf("保存对接场次失败：%w", err)
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
		return fmt.Errorf("找不到参会人 %s", participantID)
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
			return fmt.Errorf("时段 %s 不存在", sl)
		}
	}
	if len(slots) == 0 {
		delete(sess.Blocked, participantID)
	} else {
		sess.Blocked[participantID] = slots
	}
	return s.saveSession(st, sess)
}

// RequestView is a request with the two people's names and whether the
// other side asked too.
type RequestView struct {
	model.MeetingRequest
	FromName string `json:"fromName"`
	FromOrg  string `json:"fromOrg"`
	ToName   string `json:"toName"`
	ToOrg    string `json:"toOrg"`
	Mutual   bool   `json:"mutual"`
}

// CreateRequest asks for a meeting. The organizer may create it accepted
// on someone's behalf.
func (s *MatchService) CreateRequest(from, to, priority, topic string, accepted bool) (*model.MeetingRequest, error) {
	st, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	if from == to {
		return nil, fmt.Errorf("不能和自己约洽谈")
	}
	for _, id := range []string{from, to} {
		if _, ok := roster.get(id); !ok {
			return nil, fmt.Errorf("找不到参会人 %s", id)
		}
	}
	if _, ok := model.PriorityWeight[priority]; !ok {
		return nil, fmt.Errorf("优先级应为 must（必须）、want（希望）或 could（可以）")
	}
	reqs, err := s.requests()
	if err != nil {
		return nil, err
	}
	sent := 0
	for _, r := range reqs {
		if r.Status == "declined" || r.Status == "expired" {
			continue
		}
		if r.From == from && r.To == to {
			return nil, fmt.Errorf("已经有相同的洽谈请求 %s", r.ID)
		}
		if r.From == from {
			sent++
		}
	}
	if sess, err := s.Session(); err == nil && sess.RequestCap > 0 && sent >= sess.RequestCap {
		return nil, fmt.Errorf("每人最多发起 %d 个洽谈请求，已达上限", sess.RequestCap)
	}
	r := model.MeetingRequest{ID: newID("R", func(id string) bool { _, dup := reqs[id]; return dup }), From: from, To: to,
		Priority: priority, Status: "requested", Topic: strings.TrimSpace(topic), Created: s.ws.now().Format(time.RFC3339)}
	if accepted {
		r.Status = "accepted"
	}
	if _, err := st.Apply(s.ws.ctx, store.Change{Kind: store.KindRequest, Entity: r.ID, Value: r}); err != nil {
		return nil, fmt.Errorf("保存洽谈请求失败：%w", err)
	}
	return &r, nil
}

// SetRequestStatus accepts, declines or expires a request.
func (s *MatchService) SetRequestStatus(id, status string) error {
	st, _, err := s.ws.open()
	if err != nil {
		return err
	}
	switch status {
	case "requested", "accepted", "declined", "expired":
	default:
		return fmt.Errorf("未知的请求状态“%s”", status)
	}
	var r model.MeetingRequest
	if ok, err := st.Get(store.KindRequest, id, &r); err != nil || !ok {
		return fmt.Errorf("找不到洽谈请求 %s", id)
	}
	r.Status = status
	if _, err := st.Apply(s.ws.ctx, store.Change{Kind: store.KindRequest, Entity: id, Value: r}); err != nil {
		return fmt.Errorf("保存洽谈请求失败：%w", err)
	}
	return nil
}

func (s *MatchService) requests() (map[string]model.MeetingRequest, error) {
	list, err := listView[model.MeetingRequest](s.ws, store.KindRequest)
	out := map[string]model.MeetingRequest{}
	for _, r := range list {
		out[r.ID] = r
	}
	return out, err
}

// Requests lists every request with names, newest first.
func (s *MatchService) Requests() ([]RequestView, error) {
	_, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	if _, err := s.expireDue(); err != nil {
		return nil, err
	}
	reqs, err := s.requests()
	if err != nil {
		return nil, err
	}
	asked := map[[2]string]bool{}
	for _, r := range reqs {
		if r.Status != "declined" && r.Status != "expired" {
			asked[[2]string{r.From, r.To}] = true
		}
	}
	out := make([]RequestView, 0, len(reqs))
	for _, r := range reqs {
		f, _ := roster.get(r.From)
		t, _ := roster.get(r.To)
		out = append(out, RequestView{MeetingRequest: r, FromName: f.Name, FromOrg: f.Org, ToName: t.Name, ToOrg: t.Org, Mutual: asked[[2]string{r.To, r.From}]})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Created > out[j].Created || (out[i].Created == out[j].Created && out[i].ID < out[j].ID)
	})
	return out, nil
}

// ScheduleDraft is a provisional schedule for the organizer to review.
type ScheduleDraft struct {
	Meetings []schedule.Meeting `json:"meetings"`
	Weight   int                `json:"weight"`
	Stats    schedule.Stats     `json:"stats"`
	Requests int                `json:"requests"` // accepted requests considered
}

// instance builds the scheduler's input from the session: accepted
// requests, blocked slots, fixed tables, and meetings that must stay
// (locked, or already held or missed).
func (s *MatchService) instance() (*schedule.Instance, error) {
	sess, err := s.Session()
	if err != nil {
		return nil, err
	}
	if len(sess.Slots) == 0 || len(sess.Tables) == 0 {
		return nil, fmt.Errorf("请先设置对接场次的时段和洽谈桌")
	}
	if _, err := s.expireDue(); err != nil {
		return nil, err
	}
	reqs, err := s.requests()
	if err != nil {
		return nil, err
	}
	meetings, err := listView[model.Meeting](s.ws, store.KindMeeting)
	if err != nil {
		return nil, err
	}
	in := &schedule.Instance{}
	for _, sl := range sess.Slots {
		in.Slots = append(in.Slots, schedule.Slot{ID: sl.ID, Start: sl.Start, Minutes: sl.Minutes})
	}
	fixed := map[string]string{}
	for _, t := range sess.Tables {
		in.Tables = append(in.Tables, schedule.Table{ID: t.ID})
		if t.Fixed != "" {
			fixed[t.Fixed] = t.ID
		}
	}
	// Meetings that stay: locked, held, spontaneous. A no-show's request is
	// spent (it is re-placed only on purpose), and its table is free again.
	locked, missed := map[string]bool{}, map[string]bool{}
	for _, m := range meetings {
		switch {
		case m.Status == "cancelled":
		case m.Status == "no_show":
			missed[m.Request] = true
		case m.Locked || m.Status == "held" || m.Spontaneous:
			if r, ok := reqs[m.Request]; ok && r.Status == "accepted" && !locked[m.Request] {
				locked[m.Request] = true
				in.Locked = append(in.Locked, schedule.Meeting{Request: m.Request, Slot: m.Slot, Table: m.Table})
			}
		}
	}
	people := map[string]bool{}
	ids := make([]string, 0, len(reqs))
	for id := range reqs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		r := reqs[id]
		if r.Status != "accepted" || (missed[id] && !locked[id]) {
			continue
		}
		in.Requests = append(in.Requests, schedule.Request{ID: r.ID, From: r.From, To: r.To, Weight: model.PriorityWeight[r.Priority]})
		people[r.From], people[r.To] = true, true
	}
	pids := make([]string, 0, len(people))
	for p := range people {
		pids = append(pids, p)
	}
	sort.Strings(pids)
	for _, p := range pids {
		in.Participants = append(in.Participants, schedule.Participant{ID: p, Blocked: sess.Blocked[p], MaxMeetings: sess.MaxMeetings, FixedTable: fixed[p]})
	}
	return in, nil
}

// ScheduleAll computes a provisional schedule of every accepted request;
// nothing changes until the organizer publishes it.
func (s *MatchService) ScheduleAll(seconds float64) (*ScheduleDraft, error) {
	in, err := s.instance()
	if err != nil {
		return nil, err
	}
	if len(in.Requests) == 0 {
		return nil, fmt.Errorf("还没有已接受的洽谈请求可排")
	}
	if seconds <= 0 || seconds > 60 {
		seconds = 5
	}
	out, stats, err := schedule.Solve(s.ws.ctx, in, schedule.Options{Seed: 1, Budget: time.Duration(seconds * float64(time.Second))})
	if err != nil {
		return nil, fmt.Errorf("无法排程：%w", err)
	}
	if err := schedule.Verify(in, out); err != nil {
		return nil, fmt.Errorf("internal: schedule breaks a rule: %w", err)
	}
	d := &ScheduleDraft{Meetings: out.Meetings, Weight: out.Weight, Stats: *stats, Requests: len(in.Requests)}
	s.mu.Lock()
	s.draft = d
	s.mu.Unlock()
	return d, nil
}

// Publish replaces the schedule with the reviewed draft. Meetings that
// were locked, held or missed stay as they are.
func (s *MatchService) Publish() (int, error) {
	st, _, err := s.ws.open()
	if err != nil {
		return 0, err
	}
	if s.ws.isStation(st) {
		return 0, errScheduleOnHub
	}
	s.mu.Lock()
	d := s.draft
	s.draft = nil
	s.mu.Unlock()
	if d == nil {
		return 0, fmt.Errorf("没有待发布的排程：请先“一键排程”")
	}
	reqs, err := s.requests()
	if err != nil {
		return 0, err
	}
	old, err := listView[model.Meeting](s.ws, store.KindMeeting)
	if err != nil {
		return 0, err
	}
	keep := map[string]bool{}
	var changes []store.Change
	for _, m := range old {
		if m.Locked || m.Status == "held" || m.Status == "no_show" || m.Spontaneous {
			keep[m.Request] = true
			continue
		}
		changes = append(changes, store.Change{Kind: store.KindMeeting, Entity: m.ID, Delete: true})
	}
	for _, mt := range d.Meetings {
		if keep[mt.Request] {
			continue
		}
		r := reqs[mt.Request]
		m := model.Meeting{ID: "M" + mt.Request, Request: mt.Request, From: r.From, To: r.To, Slot: mt.Slot, Table: mt.Table, Status: "scheduled"}
		changes = append(changes, store.Change{Kind: store.KindMeeting, Entity: m.ID, Value: m})
	}
	sess, err := s.Session()
	if err != nil {
		return 0, err
	}
	sess.Published = s.ws.now().Format(time.RFC3339)
	changes = append(changes, store.Change{Kind: store.KindSession, Entity: "session", Value: sess})
	if _, err := st.Apply(s.ws.ctx, changes...); err != nil {
		return 0, fmt.Errorf("发布排程失败：%w", err)
	}
	return len(d.Meetings), nil
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
}

// Meetings lists the published schedule with conflicts flagged, so a
// manual move that breaks a rule shows at once.
func (s *MatchService) Meetings() ([]MeetingView, error) {
	_, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	sess, err := s.Session()
	if err != nil {
		return nil, err
	}
	meetings, err := listView[model.Meeting](s.ws, store.KindMeeting)
	if err != nil {
		return nil, err
	}
	outcomes, err := listView[model.Outcome](s.ws, store.KindOutcome)
	if err != nil {
		return nil, err
	}
	reqs, _ := s.requests()
	byMeeting := map[string]model.Outcome{}
	for _, o := range outcomes {
		byMeeting[o.Meeting] = o
	}
	fixedAt := map[string]string{} // table -> owner
	ownTable := map[string]string{}
	for _, t := range sess.Tables {
		if t.Fixed != "" {
			fixedAt[t.ID], ownTable[t.Fixed] = t.Fixed, t.ID
		}
	}
	personSlot := map[[2]string][]string{}
	tableSlot := map[[2]string][]string{}
	// Only meetings that take place occupy people and tables: a cancelled
	// or missed one frees its table for a filled gap.
	active := func(m model.Meeting) bool { return m.Status != "cancelled" && m.Status != "no_show" }
	for _, m := range meetings {
		if !active(m) {
			continue
		}
		personSlot[[2]string{m.From, m.Slot}] = append(personSlot[[2]string{m.From, m.Slot}], m.ID)
		personSlot[[2]string{m.To, m.Slot}] = append(personSlot[[2]string{m.To, m.Slot}], m.ID)
		tableSlot[[2]string{m.Table, m.Slot}] = append(tableSlot[[2]string{m.Table, m.Slot}], m.ID)
	}
	out := make([]MeetingView, 0, len(meetings))
	for _, m := range meetings {
		f, _ := roster.get(m.From)
		t, _ := roster.get(m.To)
		v := MeetingView{Meeting: m, FromName: f.Name, FromOrg: f.Org, ToName: t.Name, ToOrg: t.Org, Topic: reqs[m.Request].Topic, Conflicts: []string{}}
		if o, ok := byMeeting[m.ID]; ok {
			v.Outcome = &o
		}
		if active(m) {
			for _, p := range []model.Participant{f, t} {
				if len(personSlot[[2]string{p.ID, m.Slot}]) > 1 {
					v.Conflicts = append(v.Conflicts, fmt.Sprintf("%s 在同一时段有两场洽谈", p.Name))
				}
				if sess.IsBlocked(p.ID, m.Slot) {
					v.Conflicts = append(v.Conflicts, fmt.Sprintf("%s 在该时段不可约", p.Name))
				}
				if own := ownTable[p.ID]; own != "" && own != m.Table {
					v.Conflicts = append(v.Conflicts, fmt.Sprintf("%s 应在固定桌位 %s", p.Name, own))
				}
			}
			if len(tableSlot[[2]string{m.Table, m.Slot}]) > 1 {
				v.Conflicts = append(v.Conflicts, fmt.Sprintf("%s 在同一时段有两场洽谈", m.Table))
			}
			if owner := fixedAt[m.Table]; owner != "" && owner != m.From && owner != m.To {
				v.Conflicts = append(v.Conflicts, fmt.Sprintf("%s 是固定桌位", m.Table))
			}
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

func (s *MatchService) meeting(id string) (*store.Store, model.Meeting, error) {
	st, _, err := s.ws.open()
	if err != nil {
		return nil, model.Meeting{}, err
	}
	var m model.Meeting
	if ok, err := st.Get(store.KindMeeting, id, &m); err != nil || !ok {
		return nil, m, fmt.Errorf("找不到洽谈 %s", id)
	}
	return st, m, nil
}

func (s *MatchService) saveMeeting(st *store.Store, m model.Meeting) error {
	if _, err := st.Apply(s.ws.ctx, store.Change{Kind: store.KindMeeting, Entity: m.ID, Value: m}); err != nil {
		return fmt.Errorf("保存洽谈失败：%w", err)
	}
	return nil
}

// MoveMeeting puts a meeting in another slot or at another table (a drag
// on the grid). A move that breaks a rule is kept and flagged, so the
// organizer sees the conflict and can fix it, rather than losing the move.
func (s *MatchService) MoveMeeting(id, slot, table string) ([]string, error) {
	st, m, err := s.meeting(id)
	if err != nil {
		return nil, err
	}
	if s.ws.isStation(st) {
		return s.propose(st, m, slot, table)
	}
	sess, err := s.Session()
	if err != nil {
		return nil, err
	}
	if !hasSlot(sess, slot) || !hasTable(sess, table) {
		return nil, fmt.Errorf("时段 %s 或洽谈桌 %s 不存在", slot, table)
	}
	m.Slot, m.Table = slot, table
	if err := s.saveMeeting(st, m); err != nil {
		return nil, err
	}
	views, err := s.Meetings()
	if err != nil {
		return nil, err
	}
	for _, v := range views {
		if v.ID == id {
			return v.Conflicts, nil
		}
	}
	return []string{}, nil
}

func hasSlot(sess *model.MatchSession, id string) bool {
	for _, s := range sess.Slots {
		if s.ID == id {
			return true
		}
	}
	return false
}

func hasTable(sess *model.MatchSession, id string) bool {
	for _, t := range sess.Tables {
		if t.ID == id {
			return true
		}
	}
	return false
}

// LockMeeting keeps a meeting where it is when the organizer schedules again.
func (s *MatchService) LockMeeting(id string, locked bool) error {
	st, m, err := s.meeting(id)
	if err != nil {
		return err
	}
	if s.ws.isStation(st) {
		return errScheduleOnHub
	}
	m.Locked = locked
	return s.saveMeeting(st, m)
}

// MarkMeeting records what happened at the table: held, no_show or cancelled.
func (s *MatchService) MarkMeeting(id, status string) error {
	switch status {
	case "scheduled", "held", "no_show", "cancelled":
	default:
		return fmt.Errorf("未知的洽谈状态“%s”", status)
	}
	st, m, err := s.meeting(id)
	if err != nil {
		return err
	}
	m.Status = status
	return s.saveMeeting(st, m)
}

// Replace puts a missed meeting's request into the next slot where both
// people and a table are free, as a new meeting; the no-show stays on record.
func (s *MatchService) Replace(id string) (*model.Meeting, error) {
	st, m, err := s.meeting(id)
	if err != nil {
		return nil, err
	}
	if s.ws.isStation(st) {
		return nil, errScheduleOnHub
	}
	sess, err := s.Session()
	if err != nil {
		return nil, err
	}
	meetings, err := listView[model.Meeting](s.ws, store.KindMeeting)
	if err != nil {
		return nil, err
	}
	busy := map[[2]string]bool{}
	for _, o := range meetings {
		if o.Status == "cancelled" || o.Status == "no_show" || o.ID == m.ID {
			continue
		}
		busy[[2]string{o.From, o.Slot}], busy[[2]string{o.To, o.Slot}], busy[[2]string{o.Table, o.Slot}] = true, true, true
	}
	after := false
	for _, sl := range sess.Slots {
		if sl.ID == m.Slot {
			after = true
			continue
		}
		if !after || busy[[2]string{m.From, sl.ID}] || busy[[2]string{m.To, sl.ID}] || sess.IsBlocked(m.From, sl.ID) || sess.IsBlocked(m.To, sl.ID) {
			continue
		}
		for _, t := range sess.Tables {
			if busy[[2]string{t.ID, sl.ID}] || (t.Fixed != "" && t.Fixed != m.From && t.Fixed != m.To) {
				continue
			}
			n := m
			n.ID, n.Slot, n.Table, n.Status, n.Locked = newID("M", nil), sl.ID, t.ID, "scheduled", true
			if err := s.saveMeeting(st, n); err != nil {
				return nil, err
			}
			return &n, nil
		}
	}
	return nil, fmt.Errorf("之后的时段里没有两人都空闲的洽谈桌")
}

// SaveOutcome records (or corrects) a meeting's outcome; each save is an op.
func (s *MatchService) SaveOutcome(o model.Outcome) (*model.Outcome, error) {
	st, _, err := s.meeting(o.Meeting)
	if err != nil {
		return nil, err
	}
	valid := false
	for _, r := range model.OutcomeResults {
		valid = valid || r == o.Result
	}
	if !valid {
		return nil, fmt.Errorf("未知的对接结果“%s”", o.Result)
	}
	if o.Amount < 0 {
		return nil, fmt.Errorf("金额不能为负数")
	}
	if o.Signed && o.Result != "agreement" {
		return nil, fmt.Errorf("已签约的洽谈，结果应为“达成协议”")
	}
	o.Updated = s.ws.now().Format(time.RFC3339)
	if _, err := st.Apply(s.ws.ctx, store.Change{Kind: store.KindOutcome, Entity: o.Meeting, Value: o}); err != nil {
		return nil, fmt.Errorf("保存对接成效失败：%w", err)
	}
	return &o, nil
}

// OutcomeHistory lists every saved version of a meeting's outcome, oldest
// first: the op log keeps them all.
func (s *MatchService) OutcomeHistory(meetingID string) ([]model.Outcome, error) {
	st, _, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	var out []model.Outcome
	err = st.Ops(func(op store.Op) error {
		if op.Kind == store.KindOutcome+".put" && op.Entity == meetingID {
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
func (s *MatchService) Agendas(req AgendaRequest) ([]byte, error) {
	_, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	sess, err := s.Session()
	if err != nil {
		return nil, err
	}
	meetings, err := s.Meetings()
	if err != nil {
		return nil, err
	}
	slotTime := map[string]string{}
	for _, sl := range sess.Slots {
		if t, err := time.Parse(time.RFC3339, sl.Start); err == nil {
			slotTime[sl.ID] = t.Format("15:04") + "-" + t.Add(time.Duration(sl.Minutes)*time.Minute).Format("15:04") // the font has no en dash
		}
	}
	tableLabel := map[string]string{}
	for _, t := range sess.Tables {
		tableLabel[t.ID] = strings.SplitN(t.Label, "（", 2)[0] // "1 号桌", without the exhibitor's name
	}
	byPerson := map[string][]pdf.AgendaItem{}
	var order []string
	for _, m := range meetings {
		if m.Status == "cancelled" || m.Status == "no_show" {
			continue
		}
		for _, side := range [2][3]string{{m.From, m.ToName, m.ToOrg}, {m.To, m.FromName, m.FromOrg}} {
			if _, seen := byPerson[side[0]]; !seen {
				order = append(order, side[0])
			}
			byPerson[side[0]] = append(byPerson[side[0]], pdf.AgendaItem{Time: slotTime[m.Slot], Table: tableLabel[m.Table], Counterpart: side[1], Org: side[2], Topic: m.Topic})
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
	checkin := NewCheckinService(s.ws)
	var agendas []pdf.Agenda
	for _, id := range ids {
		p, ok := roster.get(id)
		if !ok {
			return nil, fmt.Errorf("找不到参会人 %s", id)
		}
		code, _ := checkin.BadgeCode(id)
		items := byPerson[id]
		sort.SliceStable(items, func(i, j int) bool { return items[i].Time < items[j].Time })
		agendas = append(agendas, pdf.Agenda{Name: p.Name, Org: p.Org, Code: code, Items: items})
	}
	s.ws.mu.RLock()
	name := s.ws.event.Name
	s.ws.mu.RUnlock()
	var buf bytes.Buffer
	if err := pdf.Agendas(&buf, name, "供需对接洽谈日程", agendas); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// TableTents prints a folding card for every table.
func (s *MatchService) TableTents() ([]byte, error) {
	_, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	sess, err := s.Session()
	if err != nil {
		return nil, err
	}
	var tents []pdf.TableTent
	for _, t := range sess.Tables {
		tent := pdf.TableTent{Label: strings.SplitN(t.Label, "（", 2)[0]}
		if p, ok := roster.get(t.Fixed); ok && t.Fixed != "" {
			tent.Owner = p.Org
		}
		tents = append(tents, tent)
	}
	s.ws.mu.RLock()
	name := s.ws.event.Name
	s.ws.mu.RUnlock()
	var buf bytes.Buffer
	if err := pdf.TableTents(&buf, name, tents); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// AddSpontaneous records a meeting two people decided on the spot, at a
// free table; it is accepted at once and never moved by a re-schedule.
func (s *MatchService) AddSpontaneous(from, to, slot, table string) (*model.Meeting, error) {
	st, _, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	if s.ws.isStation(st) {
		return nil, errScheduleOnHub
	}
	sess, err := s.Session()
	if err != nil {
		return nil, err
	}
	if !hasSlot(sess, slot) || !hasTable(sess, table) {
		return nil, fmt.Errorf("时段 %s 或洽谈桌 %s 不存在", slot, table)
	}
	r, err := s.CreateRequest(from, to, "want", "现场临时洽谈", true)
	if err != nil {
		return nil, err
	}
	m := model.Meeting{ID: "M" + r.ID, Request: r.ID, From: from, To: to, Slot: slot, Table: table, Status: "scheduled", Spontaneous: true}
	if err := s.saveMeeting(st, m); err != nil {
		return nil, err
	}
	return &m, nil
}

// FillGap gives the person who came to a missed meeting another one in the
// same slot and at the same table: the most wanted of their accepted,
// not-yet-scheduled requests whose other person is free then.
func (s *MatchService) FillGap(meetingID, presentID string) (*model.Meeting, error) {
	st, m, err := s.meeting(meetingID)
	if err != nil {
		return nil, err
	}
	if s.ws.isStation(st) {
		return nil, errScheduleOnHub
	}
	if presentID != m.From && presentID != m.To {
		return nil, fmt.Errorf("%s 不是这场洽谈的参与者", presentID)
	}
	sess, err := s.Session()
	if err != nil {
		return nil, err
	}
	reqs, err := s.requests()
	if err != nil {
		return nil, err
	}
	meetings, err := listView[model.Meeting](s.ws, store.KindMeeting)
	if err != nil {
		return nil, err
	}
	scheduled, busy := map[string]bool{}, map[string]bool{}
	for _, o := range meetings {
		if o.Status == "cancelled" {
			continue
		}
		scheduled[o.Request] = true
		if o.Slot == m.Slot && o.ID != m.ID {
			busy[o.From], busy[o.To] = true, true
		}
	}
	var best *model.MeetingRequest
	for _, r := range reqs {
		r := r
		if r.Status != "accepted" || scheduled[r.ID] || (r.From != presentID && r.To != presentID) {
			continue
		}
		other := r.To
		if other == presentID {
			other = r.From
		}
		if busy[other] {
			continue
		}
		if sess.IsBlocked(other, m.Slot) {
			continue
		}
		if best == nil || model.PriorityWeight[r.Priority] > model.PriorityWeight[best.Priority] || (model.PriorityWeight[r.Priority] == model.PriorityWeight[best.Priority] && r.ID < best.ID) {
			best = &r
		}
	}
	if best == nil {
		return nil, fmt.Errorf("愿望清单里没有此时段双方都有空的请求")
	}
	n := model.Meeting{ID: "M" + best.ID, Request: best.ID, From: best.From, To: best.To, Slot: m.Slot, Table: m.Table, Status: "scheduled", Locked: true}
	if err := s.saveMeeting(st, n); err != nil {
		return nil, err
	}
	return &n, nil
}
