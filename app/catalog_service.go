package app

import (
	"strings"

	"crypto/sha1"
	"encoding/base32"

	"github.com/fuzhi/eventdesk/app/recommend"

	"github.com/fuzhi/eventdesk/app/importer"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/model/msg"
	"github.com/fuzhi/eventdesk/store"
)

// CatalogService reads the achievements (成果) and demands (需求) of the event.
// It recommends achievements and investors for a demand and turns a
// recommendation into a meeting request.
type CatalogService struct {
	ws       *Workspace
	requests *RequestService
}

// Achievements lists every achievement.
func (s *CatalogService) Achievements() ([]model.Achievement, error) {
	return listView(s.ws, store.Achievements)
}

// Demands lists every demand.
func (s *CatalogService) Demands() ([]model.Demand, error) {
	return listView(s.ws, store.Demands)
}

// listView reads a whole view of the open event.
func listView[T any](ws *Workspace, v store.View[T]) ([]T, error) {
	st, _, err := ws.open()
	if err != nil {
		return nil, err
	}
	return v.List(st)
}

// CatalogImportSummary reports a catalog import.
type CatalogImportSummary struct {
	Rows     int                 `json:"rows"`
	Imported int                 `json:"imported"`
	Updated  int                 `json:"updated"`
	Linked   int                 `json:"linked"` // items tied to a participant (presenter or SME)
	Rejected []importer.Rejected `json:"rejected"`
}

// catalogID is stable for the same title at the same organization, so
// importing an updated catalog updates instead of duplicating.
func catalogID(prefix, title, org string) string {
	sum := sha1.Sum([]byte(strings.ToLower(title) + "|" + strings.ToLower(org)))
	return prefix + base32.StdEncoding.EncodeToString(sum[:])[:10]
}

// linkTo finds who presents an item: the named contact at that
// organization, else anyone from it (a speaker's colleague can take the meeting).
func linkTo(roster *rosterCache, org, contact string) string {
	if org == "" {
		return ""
	}
	fallback := ""
	for _, e := range roster.all() {
		if e.p.Org != org {
			continue
		}
		if contact != "" && e.p.Name == contact {
			return e.p.ID
		}
		if fallback == "" {
			fallback = e.p.ID
		}
	}
	return fallback
}

// importCatalog is the shared path of both catalog imports: read the file,
// check the rows, give each item its stable id and its presenter, store all
// in one transaction. place sets the id and link of an item and reports
// whether it was linked.
func importCatalog[T any](s *CatalogService, req ImportRequest, view store.View[T], failed *msg.Kind,
	read func(*importer.Table) ([]importer.CatalogRow[T], []importer.Rejected, error),
	place func(item *T, contact string, roster *rosterCache) (id string, linked bool)) (*CatalogImportSummary, error) {
	st, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	t, err := importer.Read(req.FileName, req.Data)
	if err != nil {
		return nil, err
	}
	rows, rej, err := read(t)
	if err != nil {
		return nil, err
	}
	sum := &CatalogImportSummary{Rows: len(t.Rows), Rejected: append([]importer.Rejected{}, rej...)}
	var changes []store.Change
	for _, r := range rows {
		item := r.Item
		id, linked := place(&item, r.Contact, roster)
		if linked {
			sum.Linked++
		}
		if _, found, _ := view.Get(st, id); found {
			sum.Updated++
		} else {
			sum.Imported++
		}
		changes = append(changes, view.Put(id, item))
	}
	if _, err := st.Apply(s.ws.ctx, changes...); err != nil {
		return nil, failed.Wrap(err)
	}
	return sum, nil
}

// ImportAchievements reads an achievement catalog (XLSX or CSV).
func (s *CatalogService) ImportAchievements(req ImportRequest) (*CatalogImportSummary, error) {
	return importCatalog(s, req, store.Achievements, sayAchievementImportFailed, importer.Achievements,
		func(a *model.Achievement, contact string, roster *rosterCache) (string, bool) {
			a.ID = catalogID("A", a.Title, a.Owner)
			a.OwnerID = linkTo(roster, a.Owner, contact)
			return a.ID, a.OwnerID != ""
		})
}

// ImportDemands reads a demand catalog (XLSX or CSV).
func (s *CatalogService) ImportDemands(req ImportRequest) (*CatalogImportSummary, error) {
	return importCatalog(s, req, store.Demands, sayDemandImportFailed, importer.Demands,
		func(d *model.Demand, contact string, roster *rosterCache) (string, bool) {
			d.ID = catalogID("D", d.Title, d.SME)
			d.SMEID = linkTo(roster, d.SME, contact)
			return d.ID, d.SMEID != ""
		})
}

// SaveAchievement creates (empty ID) or edits an achievement by hand.
func (s *CatalogService) SaveAchievement(a model.Achievement) (*model.Achievement, error) {
	st, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	a.Title = model.CleanName(a.Title)
	if a.Title == "" {
		return nil, sayAchievementTitle.Err()
	}
	if a.TRL != 0 && (a.TRL < 1 || a.TRL > 9) {
		return nil, sayTRLRange.Err()
	}
	if a.OwnerID != "" {
		if _, ok := roster.get(a.OwnerID); !ok {
			return nil, sayNoParticipant.Err("id", a.OwnerID)
		}
	}
	if a.ID == "" {
		a.ID = catalogID("A", a.Title, a.Owner)
	}
	if _, err := st.Apply(s.ws.ctx, store.Achievements.Put(a.ID, a)); err != nil {
		return nil, sayAchievementSaveFailed.Wrap(err)
	}
	return &a, nil
}

// SaveDemand creates (empty ID) or edits a demand by hand.
func (s *CatalogService) SaveDemand(d model.Demand) (*model.Demand, error) {
	st, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	d.Title = model.CleanName(d.Title)
	if d.Title == "" {
		return nil, sayDemandTitle.Err()
	}
	if d.Budget < 0 {
		return nil, sayNegativeBudget.Err()
	}
	if d.Deadline != "" {
		day, ok := model.ParseDay(d.Deadline)
		if !ok {
			return nil, sayBadChallengeDay.Err("value", d.Deadline)
		}
		d.Deadline = day
	}
	if d.SMEID != "" {
		if _, ok := roster.get(d.SMEID); !ok {
			return nil, sayNoParticipant.Err("id", d.SMEID)
		}
	}
	if d.ID == "" {
		d.ID = catalogID("D", d.Title, d.SME)
	}
	if _, err := st.Apply(s.ws.ctx, store.Demands.Put(d.ID, d)); err != nil {
		return nil, sayDemandSaveFailed.Wrap(err)
	}
	return &d, nil
}

// AchievementMatch is an achievement recommended for a demand, and why.
type AchievementMatch struct {
	Achievement model.Achievement `json:"achievement"`
	Score       float64           `json:"score"`
	Reason      recommend.Reason  `json:"reason"`
}

func achievementDoc(a model.Achievement) recommend.Doc {
	return recommend.Doc{ID: a.ID, Text: a.Title + "，" + a.Summary, Keywords: a.Keywords, Chain: a.Chain, TRL: a.TRL}
}

func demandDoc(d model.Demand) recommend.Doc {
	return recommend.Doc{ID: d.ID, Text: d.Title + "，" + d.Description, Chain: d.Chain}
}

// RecommendAchievements ranks the achievements that fit a demand.
func (s *CatalogService) RecommendAchievements(demandID string, limit int) ([]AchievementMatch, error) {
	st, _, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	d, ok, err := store.Demands.Get(st, demandID)
	if err != nil || !ok {
		return nil, sayNoDemand.Err("id", demandID)
	}
	all, err := s.Achievements()
	if err != nil {
		return nil, err
	}
	docs := make([]recommend.Doc, len(all))
	byID := map[string]model.Achievement{}
	for i, a := range all {
		docs[i], byID[a.ID] = achievementDoc(a), a
	}
	if limit <= 0 || limit > 100 {
		limit = 10
	}
	out := []AchievementMatch{}
	for _, m := range recommend.NewIndex(docs).Query(demandDoc(d), limit) {
		out = append(out, AchievementMatch{Achievement: byID[m.ID], Score: m.Score, Reason: m.Reason})
	}
	return out, nil
}

// DemandMatch is a demand recommended for an achievement, and why.
type DemandMatch struct {
	Demand model.Demand     `json:"demand"`
	Score  float64          `json:"score"`
	Reason recommend.Reason `json:"reason"`
}

// RecommendDemands ranks the demands an achievement could serve.
func (s *CatalogService) RecommendDemands(achievementID string, limit int) ([]DemandMatch, error) {
	st, _, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	a, ok, err := store.Achievements.Get(st, achievementID)
	if err != nil || !ok {
		return nil, sayNoAchievement.Err("id", achievementID)
	}
	all, err := s.Demands()
	if err != nil {
		return nil, err
	}
	docs := make([]recommend.Doc, len(all))
	byID := map[string]model.Demand{}
	for i, d := range all {
		docs[i], byID[d.ID] = demandDoc(d), d
	}
	if limit <= 0 || limit > 100 {
		limit = 10
	}
	q := achievementDoc(a)
	q.TRL = 0
	out := []DemandMatch{}
	for _, m := range recommend.NewIndex(docs).Query(q, limit) {
		m.Reason.TRL = a.TRL
		out = append(out, DemandMatch{Demand: byID[m.ID], Score: m.Score, Reason: m.Reason})
	}
	return out, nil
}

// RequestFromRecommendation turns a demand–achievement match into a
// meeting request between the SME and the achievement's presenter.
func (s *CatalogService) RequestFromRecommendation(demandID, achievementID string) (*model.MeetingRequest, error) {
	st, _, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	d, ok, _ := store.Demands.Get(st, demandID)
	if !ok {
		return nil, sayNoDemand.Err("id", demandID)
	}
	a, ok, _ := store.Achievements.Get(st, achievementID)
	if !ok {
		return nil, sayNoAchievement.Err("id", achievementID)
	}
	if d.SMEID == "" || a.OwnerID == "" {
		return nil, sayNotLinked.Err()
	}
	topic := strings.TrimSpace(d.Title + " × " + a.Title)
	return s.requests.Create(d.SMEID, a.OwnerID, "want", topic, false)
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
	d, ok, err := store.Demands.Get(st, demandID)
	if err != nil || !ok {
		return nil, sayNoDemand.Err("id", demandID)
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
	d, ok, _ := store.Demands.Get(st, demandID)
	if !ok {
		return nil, sayNoDemand.Err("id", demandID)
	}
	if d.SMEID == "" {
		return nil, sayDemandNotLinked.Err()
	}
	return s.requests.Create(d.SMEID, investorID, "want", "融资对接："+d.Title, false)
}
