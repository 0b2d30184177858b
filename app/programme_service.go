package app

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/model/msg"
	"github.com/fuzhi/eventdesk/store"
)

// ProgrammeService keeps the day's programme (议程): its sessions with
// times, rooms, speakers and hosts, a roadshow's running order, the stage
// screen's progress through it (one key moves to the next talk), and the
// 想约谈 marks a talk collects, each of which becomes a meeting request to
// its presenter. Only the hub writes the programme; marks are requests,
// which any desk may write.
type ProgrammeService struct {
	ws       *Workspace
	requests *RequestService
	// mu serialises read-modify-write of a session (the stage key pressed
	// twice quickly must move two talks on, not one).
	mu sync.Mutex
}

// ProgrammeInput is a session as the programme form sends it; times are
// venue time ("2026-05-20T09:30") or RFC 3339. An empty ID adds a session.
type ProgrammeInput struct {
	ID       string            `json:"id"`
	Title    string            `json:"title"`
	Kind     model.SessionKind `json:"kind"`
	Start    string            `json:"start"`
	End      string            `json:"end"`
	Room     string            `json:"room"`
	Speakers []string          `json:"speakers"`
	Hosts    []string          `json:"hosts"`
	Note     string            `json:"note"`
}

// TalkInput is one line of a roadshow's running order; an empty ID adds a
// talk, an empty Presenter takes the achievement's presenter.
type TalkInput struct {
	ID          string `json:"id"`
	Achievement string `json:"achievement"`
	Presenter   string `json:"presenter"`
	Minutes     int    `json:"minutes"`
}

// SessionView is a session with the names the screens print.
type SessionView struct {
	ID       string            `json:"id"`
	Title    string            `json:"title"`
	Kind     model.SessionKind `json:"kind"`
	KindName string            `json:"kindName"`
	Start    string            `json:"start"`
	End      string            `json:"end"`
	Room     string            `json:"room"`
	Note     string            `json:"note"`
	Speakers []PersonRef       `json:"speakers"`
	Hosts    []PersonRef       `json:"hosts"`
	Talks    []TalkView        `json:"talks"`
	// Current is the index of the talk on stage, -1 when none is.
	Current int `json:"current"`
}

// PersonRef names a participant.
type PersonRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Org  string `json:"org"`
}

// TalkView is a talk with its achievement, presenter, planned times and
// how many 想约谈 marks it has.
type TalkView struct {
	model.Talk
	Title        string    `json:"title"`
	Owner        string    `json:"owner"`
	Chain        string    `json:"chain"`
	PresenterRef PersonRef `json:"presenterRef"`
	PlannedStart string    `json:"plannedStart"`
	PlannedEnd   string    `json:"plannedEnd"`
	Marks        int       `json:"marks"`
}

// MarkResult is what a 想约谈 mark did: the request it is, and whether it
// was new (a second tap finds the first).
type MarkResult struct {
	Request model.MeetingRequest `json:"request"`
	New     bool                 `json:"new"`
	Message msg.Text             `json:"message"`
}

// List is the programme in time order, with names.
func (s *ProgrammeService) List() ([]SessionView, error) {
	st, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	list, err := store.Programme.List(st)
	if err != nil {
		return nil, sayProgrammeReadFailed.Wrap(err)
	}
	sortProgramme(list)
	marks, err := s.marksByTalk()
	if err != nil {
		return nil, err
	}
	out := make([]SessionView, 0, len(list))
	for i := range list {
		out = append(out, s.view(st, roster, &list[i], marks))
	}
	return out, nil
}

// Get is one session, with names.
func (s *ProgrammeService) Get(id string) (*SessionView, error) {
	st, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	sess, err := s.session(st, id)
	if err != nil {
		return nil, err
	}
	marks, err := s.marksByTalk()
	if err != nil {
		return nil, err
	}
	v := s.view(st, roster, &sess, marks)
	return &v, nil
}

// Save adds or changes a session; a roadshow keeps its running order.
func (s *ProgrammeService) Save(in ProgrammeInput) (*SessionView, error) {
	st, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	if isStation(st) {
		return nil, sayProgrammeOnHub.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := model.ProgrammeSession{}
	if in.ID != "" {
		if sess, err = s.session(st, in.ID); err != nil {
			return nil, err
		}
	} else {
		n, err := store.Programme.Count(st)
		if err != nil {
			return nil, sayProgrammeReadFailed.Wrap(err)
		}
		if n >= model.MaxProgrammeSessions {
			return nil, sayProgrammeFull.Err("max", model.MaxProgrammeSessions)
		}
		sess.ID = newID("S", func(id string) bool { _, ok, _ := store.Programme.Get(st, id); return ok })
	}
	from, err1 := parseVenueTime(in.Start)
	to, err2 := parseVenueTime(in.End)
	if err1 != nil || err2 != nil {
		return nil, sayProgrammeTimes.Err()
	}
	sess.Title, sess.Kind, sess.Room, sess.Note = model.CleanText(in.Title), in.Kind, model.CleanText(in.Room), strings.TrimSpace(in.Note)
	sess.Start, sess.End = from.Format(time.RFC3339), to.Format(time.RFC3339)
	if sess.Speakers, err = known(roster, in.Speakers); err != nil {
		return nil, err
	}
	if sess.Hosts, err = known(roster, in.Hosts); err != nil {
		return nil, err
	}
	if err := s.store(st, sess); err != nil {
		return nil, err
	}
	return s.Get(sess.ID)
}

// known keeps the people of ids who are on the roster, each once; an id
// not on it is refused.
func known(roster *rosterCache, ids []string) ([]string, error) {
	out := []string{}
	for _, id := range ids {
		if _, ok := roster.get(id); !ok {
			return nil, sayNoParticipant.Err("id", id)
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// Delete removes a session; a roadshow whose talks have begun stays, so
// the summary keeps what was presented.
func (s *ProgrammeService) Delete(id string) error {
	st, _, err := s.ws.open()
	if err != nil {
		return err
	}
	if isStation(st) {
		return sayProgrammeOnHub.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, err := s.session(st, id)
	if err != nil {
		return err
	}
	if slices.ContainsFunc(sess.Talks, model.Talk.Presented) {
		return sayProgrammePresented.Err()
	}
	if _, err := st.Apply(s.ws.ctx, store.Programme.Delete(id)); err != nil {
		return sayProgrammeSaveFailed.Wrap(err)
	}
	return nil
}

// SetTalks replaces a roadshow's running order. A talk keeps its id, and
// whether it was presented, when it stays; a talk already presented may
// move but not leave the order.
func (s *ProgrammeService) SetTalks(sessionID string, talks []TalkInput) (*SessionView, error) {
	return s.change(sessionID, func(st *store.Store, roster *rosterCache, sess *model.ProgrammeSession) error {
		return setTalks(st, roster, sess, talks)
	})
}

// setTalks lays talks over the session's running order.
func setTalks(st *store.Store, roster *rosterCache, sess *model.ProgrammeSession, talks []TalkInput) error {
	before := map[string]model.Talk{}
	for _, t := range sess.Talks {
		before[t.ID] = t
	}
	taken := func(id string) bool { _, ok := before[id]; return ok }
	next := make([]model.Talk, 0, len(talks))
	for _, in := range talks {
		a, ok, err := store.Achievements.Get(st, in.Achievement)
		if err != nil || !ok {
			return sayNoAchievement.Err("id", in.Achievement)
		}
		t := model.Talk{ID: in.ID, Achievement: a.ID, Presenter: in.Presenter, Minutes: in.Minutes}
		if t.Presenter == "" {
			t.Presenter = a.OwnerID
		}
		if t.Presenter == "" {
			return sayTalkNoPresenter.Err("title", a.Title)
		}
		if _, ok := roster.get(t.Presenter); !ok {
			return sayNoParticipant.Err("id", t.Presenter)
		}
		if old, ok := before[t.ID]; ok {
			t.Started, t.Ended = old.Started, old.Ended
			delete(before, t.ID)
		} else if t.ID != "" {
			return sayNoTalk.Err("id", t.ID)
		} else {
			t.ID = newID("T", func(id string) bool {
				return taken(id) || slices.ContainsFunc(next, func(x model.Talk) bool { return x.ID == id })
			})
		}
		next = append(next, t)
	}
	for _, gone := range before {
		if gone.Presented() {
			return sayTalkPresentedStays.Err()
		}
	}
	sess.Talks = next
	return nil
}

// Advance is the stage key: the talk on stage ends and the next one in the
// running order begins (the first, when none has). After the last talk it
// ends the roadshow.
func (s *ProgrammeService) Advance(sessionID string) (*SessionView, error) {
	return s.stage(sessionID, func(sess *model.ProgrammeSession, now string) {
		cur := sess.Current()
		if cur >= 0 {
			sess.Talks[cur].Ended = now
		}
		for i := cur + 1; i < len(sess.Talks); i++ {
			if !sess.Talks[i].Presented() {
				sess.Talks[i].Started = now
				return
			}
		}
	})
}

// Back undoes the last press of the stage key: the talk on stage goes back
// to not presented and the one before it is on stage again.
func (s *ProgrammeService) Back(sessionID string) (*SessionView, error) {
	return s.stage(sessionID, func(sess *model.ProgrammeSession, _ string) {
		cur := sess.Current()
		if cur >= 0 {
			sess.Talks[cur].Started = ""
		}
		// The latest talk that ended before the one on stage resumes.
		last := -1
		for i, t := range sess.Talks {
			if t.Ended != "" && (last < 0 || t.Ended >= sess.Talks[last].Ended) {
				last = i
			}
		}
		if last >= 0 {
			sess.Talks[last].Ended = ""
		}
	})
}

// stage changes a roadshow's progress on the hub and saves it.
func (s *ProgrammeService) stage(sessionID string, move func(*model.ProgrammeSession, string)) (*SessionView, error) {
	return s.change(sessionID, func(_ *store.Store, _ *rosterCache, sess *model.ProgrammeSession) error {
		if len(sess.Talks) == 0 {
			return sayNoRunningOrder.Err()
		}
		move(sess, s.ws.now().Format(time.RFC3339))
		return nil
	})
}

// change reads a session on the hub, lets fn change it, and checks and
// saves it, one change at a time (the stage key pressed twice quickly
// moves two talks on, not one).
func (s *ProgrammeService) change(sessionID string, fn func(*store.Store, *rosterCache, *model.ProgrammeSession) error) (*SessionView, error) {
	st, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	if isStation(st) {
		return nil, sayProgrammeOnHub.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, err := s.session(st, sessionID)
	if err != nil {
		return nil, err
	}
	if err := fn(st, roster, &sess); err != nil {
		return nil, err
	}
	if err := s.store(st, sess); err != nil {
		return nil, err
	}
	return s.Get(sess.ID)
}

// Mark records that someone wants to meet a talk's presenter (想约谈): a
// meeting request to the presenter about the achievement, one per person
// and talk, so a second mark finds the first.
func (s *ProgrammeService) Mark(talkID, participantID string) (*MarkResult, error) {
	st, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	talk, _, err := s.findTalk(st, talkID)
	if err != nil {
		return nil, err
	}
	if talk.Presenter == participantID {
		return nil, sayMarkOwnTalk.Err()
	}
	a, _, _ := store.Achievements.Get(st, talk.Achievement)
	r := model.MeetingRequest{ID: model.RoadshowMarkID(talk.ID, participantID), From: participantID, To: talk.Presenter,
		Priority: "want", Status: model.RequestRequested, Topic: "路演：" + a.Title, Roadshow: talk.ID}
	req, fresh, err := s.requests.create(r)
	if err != nil {
		return nil, err
	}
	p, _ := roster.get(participantID)
	said := sayMarked.Say("name", p.Name, "title", a.Title)
	if !fresh {
		said = sayMarkedAlready.Say("name", p.Name, "title", a.Title)
	}
	return &MarkResult{Request: *req, New: fresh, Message: said}, nil
}

// findTalk finds a talk and its session anywhere in the programme.
func (s *ProgrammeService) findTalk(st *store.Store, talkID string) (model.Talk, model.ProgrammeSession, error) {
	var found model.Talk
	var in model.ProgrammeSession
	err := store.Programme.Each(st, func(_ string, sess model.ProgrammeSession) error {
		for _, t := range sess.Talks {
			if t.ID == talkID {
				found, in = t, sess
			}
		}
		return nil
	})
	if err != nil {
		return found, in, sayProgrammeReadFailed.Wrap(err)
	}
	if found.ID == "" {
		return found, in, sayNoTalk.Err("id", talkID)
	}
	return found, in, nil
}

// session reads one session or says it is not there.
func (s *ProgrammeService) session(st *store.Store, id string) (model.ProgrammeSession, error) {
	sess, ok, err := store.Programme.Get(st, id)
	if err != nil {
		return sess, sayProgrammeReadFailed.Wrap(err)
	}
	if !ok {
		return sess, sayNoProgrammeSession.Err("id", id)
	}
	return sess, nil
}

// store checks a session and writes it.
func (s *ProgrammeService) store(st *store.Store, sess model.ProgrammeSession) error {
	if err := sess.Check(); err != nil {
		return err
	}
	if _, err := st.Apply(s.ws.ctx, store.Programme.Put(sess.ID, sess)); err != nil {
		return sayProgrammeSaveFailed.Wrap(err)
	}
	return nil
}

// marksByTalk counts the requests each talk's marks made.
func (s *ProgrammeService) marksByTalk() (map[string]int, error) {
	reqs, err := listView(s.ws, store.Requests)
	out := map[string]int{}
	for _, r := range reqs {
		if r.Roadshow != "" {
			out[r.Roadshow]++
		}
	}
	return out, err
}

func (s *ProgrammeService) view(st *store.Store, roster *rosterCache, sess *model.ProgrammeSession, marks map[string]int) SessionView {
	ref := func(id string) PersonRef {
		p, _ := roster.get(id)
		return PersonRef{ID: id, Name: p.Name, Org: p.Org}
	}
	refs := func(ids []string) []PersonRef {
		out := make([]PersonRef, 0, len(ids))
		for _, id := range ids {
			out = append(out, ref(id))
		}
		return out
	}
	v := SessionView{ID: sess.ID, Title: sess.Title, Kind: sess.Kind, KindName: model.SessionKindNames[sess.Kind], Start: sess.Start, End: sess.End,
		Room: sess.Room, Note: sess.Note, Speakers: refs(sess.Speakers), Hosts: refs(sess.Hosts), Talks: []TalkView{}, Current: sess.Current()}
	for _, pt := range sess.Planned() {
		a, _, _ := store.Achievements.Get(st, pt.Achievement)
		v.Talks = append(v.Talks, TalkView{Talk: pt.Talk, Title: a.Title, Owner: a.Owner, Chain: a.Chain, PresenterRef: ref(pt.Presenter),
			PlannedStart: pt.From.Format(time.RFC3339), PlannedEnd: pt.To.Format(time.RFC3339), Marks: marks[pt.ID]})
	}
	return v
}

// sortProgramme orders sessions by start, then end, then title.
func sortProgramme(list []model.ProgrammeSession) {
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.End != b.End {
			return a.End < b.End
		}
		return a.Title < b.Title
	})
}

// presenterBlocks are the slots of a matchmaking session in which people
// are on a stage: a roadshow's presenters during their planned talk, and
// the speakers and hosts of forums, promotions, challenges and
// industry-finance sessions for the whole session. Matchmaking places
// nobody in them.
func presenterBlocks(programme []model.ProgrammeSession, slots []model.MatchSlot) map[string][]string {
	type span struct{ from, to time.Time }
	busy := map[string][]span{}
	for i := range programme {
		sess := &programme[i]
		for _, pt := range sess.Planned() {
			busy[pt.Presenter] = append(busy[pt.Presenter], span{pt.From, pt.To})
		}
		switch sess.Kind {
		case model.SessionForum, model.SessionPromotion, model.SessionChallenge, model.SessionFinance:
			from, err1 := time.Parse(time.RFC3339, sess.Start)
			to, err2 := time.Parse(time.RFC3339, sess.End)
			if err1 != nil || err2 != nil {
				continue
			}
			for _, id := range append(slices.Clone(sess.Speakers), sess.Hosts...) {
				busy[id] = append(busy[id], span{from, to})
			}
		}
	}
	out := map[string][]string{}
	for _, sl := range slots {
		from, err := time.Parse(time.RFC3339, sl.Start)
		if err != nil {
			continue
		}
		to := from.Add(time.Duration(sl.Minutes) * time.Minute)
		for who, spans := range busy {
			for _, sp := range spans {
				if sp.from.Before(to) && from.Before(sp.to) {
					out[who] = append(out[who], sl.ID)
					break
				}
			}
		}
	}
	return out
}

// What the programme says.
var (
	sayProgrammeReadFailed = msg.Define("programme.readFailed", "读取议程失败")
	sayProgrammeSaveFailed = msg.Define("programme.saveFailed", "保存议程失败")
	sayProgrammeOnHub      = msg.Define("programme.onHub", "议程和路演进度由主控机维护：请在主控机上修改")
	sayProgrammeFull       = msg.Define("programme.full", "议程最多 {max} 个环节")
	sayProgrammeTimes      = msg.Define("programme.badTimes", "请按“2026-05-20T09:30”的格式填写开始和结束时间")
	sayProgrammePresented  = msg.Define("programme.presented", "这场路演已经开始，不能删除：已路演的项目要计入活动成效")
	sayNoProgrammeSession  = msg.Define("notFound.programmeSession", "找不到议程环节 {id}")
	sayNoTalk              = msg.Define("notFound.talk", "找不到路演项目 {id}")
	sayTalkNoPresenter     = msg.Define("programme.noPresenter", "成果“{title}”没有路演人：请选择路演人，或在成果库中填写联系人")
	sayTalkPresentedStays  = msg.Define("programme.presentedStays", "已路演的项目不能从路演顺序中移除，可以调整位置")
	sayNoRunningOrder      = msg.Define("programme.noRunningOrder", "这场路演还没有安排路演顺序")
	sayMarkOwnTalk         = msg.Define("programme.markOwn", "路演人不能约谈自己的项目")
	sayMarked              = msg.Define("programme.marked", "已登记：{name} 想约谈“{title}”，洽谈请求已发给路演人")
	sayMarkedAlready       = msg.Define("programme.markedAgain", "{name} 已登记过想约谈“{title}”")
)
