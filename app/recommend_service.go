package app

import (
	"fmt"
	"strings"

	"github.com/fuzhi/eventdesk/app/recommend"
	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
)

// AchievementMatch is an achievement recommended for a demand, and why.
type AchievementMatch struct {
	Achievement model.Achievement `json:"achievement"`
	Score       float64           `json:"score"`
	Reason      recommend.Reason  `json:"reason"`
}

// DemandMatch is a demand recommended for an achievement, and why.
type DemandMatch struct {
	Demand model.Demand     `json:"demand"`
	Score  float64          `json:"score"`
	Reason recommend.Reason `json:"reason"`
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
	var d model.Demand
	if ok, err := st.Get(store.KindDemand, demandID, &d); err != nil || !ok {
		return nil, fmt.Errorf("找不到需求 %s", demandID)
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

// RecommendDemands ranks the demands an achievement could serve.
func (s *CatalogService) RecommendDemands(achievementID string, limit int) ([]DemandMatch, error) {
	st, _, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	var a model.Achievement
	if ok, err := st.Get(store.KindAchievement, achievementID, &a); err != nil || !ok {
		return nil, fmt.Errorf("找不到成果 %s", achievementID)
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
	var d model.Demand
	var a model.Achievement
	if ok, _ := st.Get(store.KindDemand, demandID, &d); !ok {
		return nil, fmt.Errorf("找不到需求 %s", demandID)
	}
	if ok, _ := st.Get(store.KindAchievement, achievementID, &a); !ok {
		return nil, fmt.Errorf("找不到成果 %s", achievementID)
	}
	if d.SMEID == "" || a.OwnerID == "" {
		return nil, fmt.Errorf("需求或成果尚未关联到参会人，请先在目录中关联")
	}
	topic := strings.TrimSpace(d.Title + " × " + a.Title)
	return NewMatchService(s.ws).CreateRequest(d.SMEID, a.OwnerID, "want", topic, false)
}
