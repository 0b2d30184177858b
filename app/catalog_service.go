package app

import (
	"encoding/json"
	"fmt"

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
