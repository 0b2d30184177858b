package app

import (
	"crypto/sha1"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/fuzhi/eventdesk/app/importer"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
)

// CatalogService reads the achievements (成果) and demands (需求) of the event.
type CatalogService struct{ ws *Workspace }

// NewCatalogService binds the service to a workspace.
func NewCatalogService(ws *Workspace) *CatalogService { return &CatalogService{ws: ws} }

// Achievements lists every achievement.
func (s *CatalogService) Achievements() ([]model.Achievement, error) {
	return listView[model.Achievement](s.ws, store.KindAchievement)
}

// Demands lists every demand.
func (s *CatalogService) Demands() ([]model.Demand, error) {
	return listView[model.Demand](s.ws, store.KindDemand)
}

func listView[T any](ws *Workspace, kind string) ([]T, error) {
	st, _, err := ws.open()
	if err != nil {
		return nil, err
	}
	out := []T{}
	err = st.ForEach(kind, func(id string, raw []byte) error {
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return fmt.Errorf("decode %s %s: %w", kind, id, err)
		}
		out = append(out, v)
		return nil
	})
	return out, err
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
func importCatalog[T any](s *CatalogService, req ImportRequest, kind, what string,
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
		var old T
		if found, _ := st.Get(kind, id, &old); found {
			sum.Updated++
		} else {
			sum.Imported++
		}
		changes = append(changes, store.Change{Kind: kind, Entity: id, Value: item})
	}
	if _, err := st.Apply(s.ws.ctx, changes...); err != nil {
		return nil, fmt.Errorf("导入%s失败，未写入任何数据：%w", what, err)
	}
	return sum, nil
}

// ImportAchievements reads an achievement catalog (XLSX or CSV).
func (s *CatalogService) ImportAchievements(req ImportRequest) (*CatalogImportSummary, error) {
	return importCatalog(s, req, store.KindAchievement, "成果", importer.Achievements,
		func(a *model.Achievement, contact string, roster *rosterCache) (string, bool) {
			a.ID = catalogID("A", a.Title, a.Owner)
			a.OwnerID = linkTo(roster, a.Owner, contact)
			return a.ID, a.OwnerID != ""
		})
}

// ImportDemands reads a demand catalog (XLSX or CSV).
func (s *CatalogService) ImportDemands(req ImportRequest) (*CatalogImportSummary, error) {
	return importCatalog(s, req, store.KindDemand, "需求", importer.Demands,
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
		return nil, fmt.Errorf("请填写成果名称")
	}
	if a.TRL != 0 && (a.TRL < 1 || a.TRL > 9) {
		return nil, fmt.Errorf("技术成熟度应为 1–9 级")
	}
	if a.OwnerID != "" {
		if _, ok := roster.get(a.OwnerID); !ok {
			return nil, fmt.Errorf("找不到参会人 %s", a.OwnerID)
		}
	}
	if a.ID == "" {
		a.ID = catalogID("A", a.Title, a.Owner)
	}
	if _, err := st.Apply(s.ws.ctx, store.Change{Kind: store.KindAchievement, Entity: a.ID, Value: a}); err != nil {
		return nil, fmt.Errorf("保存成果失败：%w", err)
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
		return nil, fmt.Errorf("请填写需求名称")
	}
	if d.Budget < 0 {
		return nil, fmt.Errorf("预算不能为负数")
	}
	if d.SMEID != "" {
		if _, ok := roster.get(d.SMEID); !ok {
			return nil, fmt.Errorf("找不到参会人 %s", d.SMEID)
		}
	}
	if d.ID == "" {
		d.ID = catalogID("D", d.Title, d.SME)
	}
	if _, err := st.Apply(s.ws.ctx, store.Change{Kind: store.KindDemand, Entity: d.ID, Value: d}); err != nil {
		return nil, fmt.Errorf("保存需求失败：%w", err)
	}
	return &d, nil
}
