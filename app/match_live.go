package app

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/fuzhi/eventdesk/app/importer"
	"github.com/fuzhi/eventdesk/app/recommend"
	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/station"
)

// expireDue turns requests nobody answered before the deadline into
// "expired", as ops, so every station shows the same list and the
// scheduler never places a meeting the other side never agreed to.
func (s *MatchService) expireDue() (int, error) {
	st, _, err := s.ws.open()
	if err != nil {
		return 0, err
	}
	sess, err := s.Session()
	if err != nil {
		return 0, err
	}
	deadline := sess.ExpiryTime()
	if deadline.IsZero() || s.ws.now().Before(deadline) {
		return 0, nil
	}
	reqs, err := s.requests()
	if err != nil {
		return 0, err
	}
	var changes []store.Change
	for _, r := range reqs {
		if r.Status == "requested" {
			r.Status = "expired"
			changes = append(changes, store.Change{Kind: store.KindRequest, Entity: r.ID, Value: r})
		}
	}
	if len(changes) == 0 {
		return 0, nil
	}
	if _, err := st.Apply(s.ws.ctx, changes...); err != nil {
		return 0, fmt.Errorf("标记过期请求失败：%w", err)
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

func (f *personFinder) find(who, org string) (string, string) {
	who = strings.TrimSpace(who)
	if id, ok := f.byID[strings.ToUpper(who)]; ok {
		return id, ""
	}
	if m, ok := model.NormalizeMobile(who); ok {
		if id, ok := f.byMobile[m]; ok {
			return id, ""
		}
		return "", fmt.Sprintf("手机号 %s 不在名单中", who)
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
			return "", fmt.Sprintf("名单中没有 %s（%s）", who, org)
		}
		return "", fmt.Sprintf("名单中没有 %s", who)
	case 1:
		return cands[0].ID, ""
	default:
		return "", fmt.Sprintf("名单中有 %d 位 %s，请填写单位或手机号区分", len(cands), who)
	}
}

// ImportRequests reads meeting wishes from a sheet (发起人, 对接对象,
// 优先级, 洽谈主题, 状态). Each row is checked like a request made on
// screen; rows that cannot be placed are listed with the reason, and the
// good rows are stored together.
func (s *MatchService) ImportRequests(req ImportRequest) (*RequestImportSummary, error) {
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
	reqs, err := s.requests()
	if err != nil {
		return nil, err
	}
	sess, err := s.Session()
	if err != nil {
		return nil, err
	}
	open := map[[2]string]bool{}
	sent := map[string]int{}
	for _, r := range reqs {
		if r.Status != "declined" && r.Status != "expired" {
			open[[2]string{r.From, r.To}] = true
			sent[r.From]++
		}
	}
	finder := newPersonFinder(roster)
	now := s.ws.now().Format(time.RFC3339)
	var changes []store.Change
	for _, row := range rows {
		from, why := finder.find(row.From, row.FromOrg)
		if why == "" {
			var to string
			to, why = finder.find(row.To, row.ToOrg)
			switch {
			case why != "":
			case from == to:
				why = "发起人和对接对象是同一人"
			case open[[2]string{from, to}]:
				sum.Skipped++
				continue
			case sess.RequestCap > 0 && sent[from] >= sess.RequestCap:
				why = fmt.Sprintf("%s 已达每人 %d 个请求的上限", row.From, sess.RequestCap)
			default:
				r := model.MeetingRequest{ID: newID("R", func(id string) bool { _, dup := reqs[id]; return dup }), From: from, To: to,
					Priority: row.Priority, Status: "requested", Topic: row.Topic, Created: now}
				if row.Accepted {
					r.Status = "accepted"
				}
				reqs[r.ID] = r
				open[[2]string{from, to}] = true
				sent[from]++
				changes = append(changes, store.Change{Kind: store.KindRequest, Entity: r.ID, Value: r})
				continue
			}
		}
		sum.Rejected = append(sum.Rejected, importer.Rejected{Row: row.Row, Reason: "person", Message: fmt.Sprintf("第 %d 行：%s", row.Row, why)})
	}
	sort.Slice(sum.Rejected, func(i, j int) bool { return sum.Rejected[i].Row < sum.Rejected[j].Row })
	if _, err := st.Apply(s.ws.ctx, changes...); err != nil {
		return nil, fmt.Errorf("导入洽谈请求失败，未写入任何数据：%w", err)
	}
	sum.Imported = len(changes)
	return sum, nil
}

// TableScanAnswer is what a table-side scan tells the matchmaking staff.
type TableScanAnswer struct {
	Result  string         `json:"result"` // arrived, held, not_here, or a badge refusal
	Message string         `json:"message"`
	Meeting *model.Meeting `json:"meeting,omitempty"`
	Name    string         `json:"name,omitempty"`
}

// ScanAtTable records a badge scanned at a table. The meeting is the one at
// that table, with that person, in the slot nearest to now; when both sides
// have scanned it is marked held.
func (s *MatchService) ScanAtTable(table, code string) (*TableScanAnswer, error) {
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
	sess, err := s.Session()
	if err != nil {
		return nil, err
	}
	starts := map[string]time.Time{}
	for _, sl := range sess.Slots {
		t, _ := time.Parse(time.RFC3339, sl.Start)
		starts[sl.ID] = t.Add(time.Duration(sl.Minutes) * time.Minute / 2)
	}
	meetings, err := listView[model.Meeting](s.ws, store.KindMeeting)
	if err != nil {
		return nil, err
	}
	// The meeting this scan belongs to: the one whose other side is already
	// waiting at the table comes first (the pair is meeting now), then one
	// this person has not arrived at yet, then any; nearest to now within each.
	now := s.ws.now()
	rank := func(m *model.Meeting) int {
		other := m.Counterpart(p.ID)
		switch {
		case m.Status != "held" && contains(m.Arrived, other) && !contains(m.Arrived, p.ID):
			return 0
		case m.Status != "held" && !contains(m.Arrived, p.ID):
			return 1
		}
		return 2
	}
	var best *model.Meeting
	var bestRank int
	var bestGap time.Duration
	for i := range meetings {
		m := &meetings[i]
		if m.Table != table || m.Status == "cancelled" || (m.From != p.ID && m.To != p.ID) {
			continue
		}
		r, gap := rank(m), now.Sub(starts[m.Slot]).Abs()
		if best == nil || r < bestRank || r == bestRank && gap < bestGap {
			best, bestRank, bestGap = m, r, gap
		}
	}
	if best == nil {
		return &TableScanAnswer{Result: "not_here", Name: p.Name,
			Message: fmt.Sprintf("%s（%s）在 %s 没有安排洽谈，请查看其日程", p.Name, p.Org, tableLabel(sess, table))}, nil
	}
	m := *best
	if !contains(m.Arrived, p.ID) {
		m.Arrived = append(m.Arrived, p.ID)
	}
	other := m.Counterpart(p.ID)
	ans := &TableScanAnswer{Result: "arrived", Name: p.Name}
	if contains(m.Arrived, other) {
		m.Status = "held"
		ans.Result = "held"
		ans.Message = fmt.Sprintf("双方已到场，洽谈记为“已举行”（%s）", m.Slot)
	} else {
		ans.Message = fmt.Sprintf("%s 已到场，等待对方扫码", p.Name)
	}
	if err := s.saveMeeting(st, m); err != nil {
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

// InvestorMatch is an investor recommended to the SME behind a demand.
type InvestorMatch struct {
	Investor Holder           `json:"investor"`
	Score    float64          `json:"score"`
	Reason   recommend.Reason `json:"reason"`
}

// RecommendInvestors ranks the investors and banks at the event for an
// SME's demand: by industry chain and by the words of their focus (title,
// organization and notes, where organizers record 投资方向).
func (s *CatalogService) RecommendInvestors(demandID string, limit int) ([]InvestorMatch, error) {
	st, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	var d model.Demand
	if ok, err := st.Get(store.KindDemand, demandID, &d); err != nil || !ok {
		return nil, fmt.Errorf("找不到需求 %s", demandID)
	}
	var docs []recommend.Doc
	people := map[string]*model.Participant{}
	for _, e := range roster.all() {
		if e.p.Role != model.RoleInvestor {
			continue
		}
		docs = append(docs, recommend.Doc{ID: e.p.ID, Text: e.p.Org + "，" + e.p.Title + "，" + e.p.Note, Chain: e.p.Chain})
		people[e.p.ID] = e.p
	}
	if limit <= 0 || limit > 100 {
		limit = 10
	}
	out := []InvestorMatch{}
	for _, m := range recommend.NewIndex(docs).Query(demandDoc(d), limit) {
		out = append(out, InvestorMatch{Investor: *holderOf(people[m.ID]), Score: m.Score, Reason: m.Reason})
	}
	return out, nil
}

// RequestWithInvestor asks for a meeting between a demand's SME and an investor.
func (s *CatalogService) RequestWithInvestor(demandID, investorID string) (*model.MeetingRequest, error) {
	st, _, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	var d model.Demand
	if ok, _ := st.Get(store.KindDemand, demandID, &d); !ok {
		return nil, fmt.Errorf("找不到需求 %s", demandID)
	}
	if d.SMEID == "" {
		return nil, fmt.Errorf("需求尚未关联到参会企业，请先在目录中关联")
	}
	return NewMatchService(s.ws).CreateRequest(d.SMEID, investorID, "want", "融资对接："+d.Title, false)
}

var errScheduleOnHub = fmt.Errorf("排程由主控机决定：请在主控机上设置场次、发布、加约、锁定和重新安排；在分站拖动洽谈会作为建议发给主控机")

// isStation tells whether this file syncs with a hub.
func (w *Workspace) isStation(st *store.Store) bool {
	_, ok := station.ConfigOf(st)
	return ok
}

// propose records a station's wish to move a meeting; the hub answers it.
func (s *MatchService) propose(st *store.Store, m model.Meeting, slot, table string) ([]string, error) {
	p := model.Proposal{ID: newID("Q", nil), Meeting: m.ID, Slot: slot, Table: table, By: st.Station(), Status: model.ProposalProposed}
	if _, err := st.Apply(s.ws.ctx, store.Change{Kind: store.KindProposal, Entity: p.ID, Value: p}); err != nil {
		return nil, fmt.Errorf("保存调整建议失败：%w", err)
	}
	return []string{"已作为建议发送给主控机，由主控机确认后生效"}, nil
}

// Proposals lists stations' proposed moves and the hub's answers.
func (s *MatchService) Proposals() ([]model.Proposal, error) {
	list, err := listView[model.Proposal](s.ws, store.KindProposal)
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	return list, err
}
