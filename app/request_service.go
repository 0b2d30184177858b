package app

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fuzhi/eventdesk/app/importer"
	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/model/msg"
	"github.com/fuzhi/eventdesk/store"
)

// RequestService keeps the meeting wishes of the matchmaking session: who
// asks to meet whom, how much, and whether the other side agreed. Only
// accepted requests are scheduled (MatchService).
type RequestService struct {
	ws       *Workspace
	match    *MatchService
	creating sync.Mutex
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

// Create asks for a meeting. The organizer may create it accepted on
// someone's behalf.
func (s *RequestService) Create(from, to, priority, topic string, accepted bool) (*model.MeetingRequest, error) {
	r := model.MeetingRequest{From: from, To: to, Priority: priority, Status: model.RequestRequested, Topic: strings.TrimSpace(topic)}
	if accepted {
		r.Status = model.RequestAccepted
	}
	out, _, err := s.create(r)
	return out, err
}

// create checks and stores a new request. A request with an id comes from
// a roadshow mark or a 揭榜 (its Roadshow or Challenge says which): if it
// is there already it is returned as it is, and if the two already have an
// open request, that one is marked with where it came from instead of a
// second made; fresh says whether anything was written.
func (s *RequestService) create(r model.MeetingRequest) (out *model.MeetingRequest, fresh bool, err error) {
	st, roster, err := s.ws.open()
	if err != nil {
		return nil, false, err
	}
	if r.From == r.To {
		return nil, false, saySelfRequest.Err()
	}
	for _, id := range []string{r.From, r.To} {
		if _, ok := roster.get(id); !ok {
			return nil, false, sayNoParticipant.Err("id", id)
		}
	}
	if _, ok := model.PriorityWeight[r.Priority]; !ok {
		return nil, false, sayBadPriorityWord.Err()
	}
	// One at a time, so two desks asking for the same pair cannot both pass the check.
	s.creating.Lock()
	defer s.creating.Unlock()
	book, err := s.ws.requestBook()
	if err != nil {
		return nil, false, err
	}
	if r.ID != "" && book.has(r.ID) {
		old, _, err := store.Requests.Get(st, r.ID)
		return &old, false, err
	}
	if id := book.openBetween(r.From, r.To); id != "" {
		old, ok, err := store.Requests.Get(st, id)
		if err != nil || !ok || (r.Roadshow == "" && r.Challenge == "") {
			return nil, false, sayRequestExists.Err("id", id)
		}
		if (r.Roadshow == "" || old.Roadshow != "") && (r.Challenge == "" || old.Challenge != "") {
			return &old, false, nil
		}
		old.Roadshow, old.Challenge = cmp.Or(old.Roadshow, r.Roadshow), cmp.Or(old.Challenge, r.Challenge)
		if _, err := st.Apply(s.ws.ctx, store.Requests.Put(old.ID, old)); err != nil {
			return nil, false, sayRequestSaveFailed.Wrap(err)
		}
		return &old, true, nil
	}
	if sess, err := s.match.Session(); err == nil && sess.RequestCap > 0 && book.sent(r.From) >= sess.RequestCap {
		return nil, false, sayRequestCapOwn.Err("max", sess.RequestCap)
	}
	if r.ID == "" {
		r.ID = newID("R", book.has)
	}
	r.Created = s.ws.now().Format(time.RFC3339)
	if _, err := st.Apply(s.ws.ctx, store.Requests.Put(r.ID, r)); err != nil {
		return nil, false, sayRequestSaveFailed.Wrap(err)
	}
	return &r, true, nil
}

// SetStatus accepts, declines or expires a request.
func (s *RequestService) SetStatus(id string, status model.RequestStatus) error {
	st, _, err := s.ws.open()
	if err != nil {
		return err
	}
	if !slices.Contains(model.RequestStatuses, status) {
		return sayUnknownRequestStatus.Err("value", status)
	}
	r, ok, err := store.Requests.Get(st, id)
	if err != nil || !ok {
		return sayNoRequest.Err("id", id)
	}
	if r.Status == model.RequestExpired && status != model.RequestExpired {
		return sayRequestExpired.Err()
	}
	r.Status = status
	if _, err := st.Apply(s.ws.ctx, store.Requests.Put(id, r)); err != nil {
		return sayRequestSaveFailed.Wrap(err)
	}
	return nil
}

// byID is every request by id.
func (s *RequestService) byID() (map[string]model.MeetingRequest, error) {
	list, err := listView(s.ws, store.Requests)
	out := make(map[string]model.MeetingRequest, len(list))
	for _, r := range list {
		out[r.ID] = r
	}
	return out, err
}

// List lists every request with names, newest first.
func (s *RequestService) List() ([]RequestView, error) {
	_, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	if _, err := s.expireDue(); err != nil {
		return nil, err
	}
	reqs, err := s.byID()
	if err != nil {
		return nil, err
	}
	asked := map[[2]string]bool{}
	for _, r := range reqs {
		if r.Status.Open() {
			asked[[2]string{r.From, r.To}] = true
		}
	}
	out := make([]RequestView, 0, len(reqs))
	for _, r := range reqs {
		f, _ := roster.get(r.From)
		t, _ := roster.get(r.To)
		out = append(out, RequestView{MeetingRequest: r, FromName: f.Name, FromOrg: f.Org, ToName: t.Name, ToOrg: t.Org, Mutual: asked[[2]string{r.To, r.From}]})
	}
	// Requests still waiting for an answer come first: they are the ones
	// staff act on, and a long list must not hide them below the fold.
	sort.Slice(out, func(i, j int) bool {
		wi, wj := out[i].Status == model.RequestRequested, out[j].Status == model.RequestRequested
		if wi != wj {
			return wi
		}
		return out[i].Created > out[j].Created || (out[i].Created == out[j].Created && out[i].ID < out[j].ID)
	})
	return out, nil
}

// expireDue turns requests nobody answered before the deadline into
// "expired", as ops, so every station shows the same list and the
// scheduler never places a meeting the other side never agreed to.
func (s *RequestService) expireDue() (int, error) {
	st, _, err := s.ws.open()
	if err != nil {
		return 0, err
	}
	sess, err := s.match.Session()
	if err != nil {
		return 0, err
	}
	if !sess.RequestsExpired(s.ws.now()) {
		return 0, nil
	}
	reqs, err := s.byID()
	if err != nil {
		return 0, err
	}
	var changes []store.Change
	for _, r := range reqs {
		if r.Status == model.RequestRequested {
			r.Status = model.RequestExpired
			changes = append(changes, store.Requests.Put(r.ID, r))
		}
	}
	if len(changes) == 0 {
		return 0, nil
	}
	if _, err := st.Apply(s.ws.ctx, changes...); err != nil {
		return 0, sayExpireFailed.Wrap(err)
	}
	return len(changes), nil
}

// RequestImportSummary reports a request import row by row.
type RequestImportSummary struct {
	Rows     int                 `json:"rows"`
	Imported int                 `json:"imported"`
	Skipped  int                 `json:"skipped"` // already requested
	Rejected []importer.Rejected `json:"rejected"`
}

// Import reads meeting wishes from a sheet (发起人, 对接对象, 优先级,
// 洽谈主题, 状态). Each row is checked like a request made on screen; rows
// that cannot be placed are listed with the reason, and the good rows are
// stored together.
func (s *RequestService) Import(req ImportRequest) (*RequestImportSummary, error) {
	st, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	t, err := importer.Read(req.FileName, req.Data)
	if err != nil {
		return nil, err
	}
	rows, rej, err := importer.Requests(t)
	if err != nil {
		return nil, err
	}
	sum := &RequestImportSummary{Rows: len(t.Rows), Rejected: append([]importer.Rejected{}, rej...)}
	s.creating.Lock() // as Create: the duplicate check and the write together
	defer s.creating.Unlock()
	book, err := s.ws.requestBook()
	if err != nil {
		return nil, err
	}
	sess, err := s.match.Session()
	if err != nil {
		return nil, err
	}
	// What this sheet adds, on top of the book's open requests.
	added := map[[2]string]bool{}
	addedBy := map[string]int{}
	ids := map[string]bool{}
	finder := newPersonFinder(roster)
	now := s.ws.now().Format(time.RFC3339)
	var changes []store.Change
	for _, row := range rows {
		from, why := finder.find(row.From, row.FromOrg)
		if why.Code == "" {
			var to string
			to, why = finder.find(row.To, row.ToOrg)
			switch {
			case why.Code != "":
			case from == to:
				why = saySamePerson.Say()
			case added[[2]string{from, to}] || book.openBetween(from, to) != "":
				sum.Skipped++
				continue
			case sess.RequestCap > 0 && book.sent(from)+addedBy[from] >= sess.RequestCap:
				why = sayRequestCap.Say("name", row.From, "max", sess.RequestCap)
			default:
				r := model.MeetingRequest{ID: newID("R", func(id string) bool { return ids[id] || book.has(id) }), From: from, To: to,
					Priority: row.Priority, Status: model.RequestRequested, Topic: row.Topic, Created: now}
				if row.Accepted {
					r.Status = model.RequestAccepted
				}
				ids[r.ID] = true
				added[[2]string{from, to}] = true
				addedBy[from]++
				changes = append(changes, store.Requests.Put(r.ID, r))
				continue
			}
		}
		sum.Rejected = append(sum.Rejected, importer.Rejected{Row: row.Row, Reason: "person", Message: why})
	}
	sort.Slice(sum.Rejected, func(i, j int) bool { return sum.Rejected[i].Row < sum.Rejected[j].Row })
	if _, err := st.Apply(s.ws.ctx, changes...); err != nil {
		return nil, sayRequestImportFailed.Wrap(err)
	}
	sum.Imported = len(changes)
	return sum, nil
}

// personFinder resolves what a sheet says about a person: an id, a mobile,
// or a name (with the organization when the name is not unique).
type personFinder struct {
	byID     map[string]string
	byMobile map[string]string
	byName   map[string][]*model.Participant
}

func newPersonFinder(roster *rosterCache) *personFinder {
	f := &personFinder{byID: map[string]string{}, byMobile: map[string]string{}, byName: map[string][]*model.Participant{}}
	for _, e := range roster.all() {
		f.byID[e.p.ID] = e.p.ID
		if e.p.Mobile != "" {
			f.byMobile[e.p.Mobile] = e.p.ID
		}
		f.byName[e.p.Name] = append(f.byName[e.p.Name], e.p)
	}
	return f
}

// find names the one person a sheet's row means, or says why it cannot
// (a zero msg.Text when found).
func (f *personFinder) find(who, org string) (string, msg.Text) {
	who = strings.TrimSpace(who)
	if id, ok := f.byID[strings.ToUpper(who)]; ok {
		return id, msg.Text{}
	}
	if m, ok := model.NormalizeMobile(who); ok {
		if id, ok := f.byMobile[m]; ok {
			return id, msg.Text{}
		}
		return "", sayMobileNotListed.Say("mobile", who)
	}
	cands := f.byName[who]
	if org != "" {
		var same []*model.Participant
		for _, p := range cands {
			if strings.Contains(p.Org, org) || strings.Contains(org, p.Org) {
				same = append(same, p)
			}
		}
		cands = same
	}
	switch len(cands) {
	case 0:
		if org != "" {
			return "", sayNotListedAt.Say("name", who, "org", org)
		}
		return "", sayNotListed.Say("name", who)
	case 1:
		return cands[0].ID, msg.Text{}
	default:
		return "", sayNameAmbiguous.Say("n", len(cands), "name", who)
	}
}
