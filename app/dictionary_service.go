package app

import (
	"sort"
	"strings"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/model/dict"
	"github.com/fuzhi/eventdesk/model/msg"
	"github.com/fuzhi/eventdesk/store"
)

// DictionaryService maps the event's industry chains and places to the
// national dictionaries (model/dict), so that a province can add its
// events up: the usual words map by themselves, and the organizer reviews
// the rest (and may correct any) on the review list.
type DictionaryService struct {
	ws *Workspace
}

// Dictionary is what the screens choose from.
type Dictionary struct {
	Chains    []dict.Chain    `json:"chains"`
	Provinces []dict.Division `json:"provinces"`
	Cities    []dict.Division `json:"cities"`
}

// Chain mapping states on the review list.
const (
	ChainConfirmed = "confirmed" // the organizer chose it
	ChainAuto      = "auto"      // the dictionary's words matched
	ChainUnmapped  = "unmapped"  // nothing matched: to review
)

// ChainUse is one chain as typed in the event, how often, and where it maps.
type ChainUse struct {
	Text  string `json:"text"`
	Count int    `json:"count"`
	Code  string `json:"code"`
	Name  string `json:"name"`
	State string `json:"state"`
}

// Dictionary lists the national chains and the divisions.
func (s *DictionaryService) Dictionary() *Dictionary {
	return &Dictionary{Chains: dict.Chains, Provinces: dict.Provinces, Cities: dict.Cities}
}

// ChainReview lists every chain as typed in the event (its own chains, the
// roster, the catalogs) with where it maps, those to review first.
func (s *DictionaryService) ChainReview() ([]ChainUse, error) {
	st, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	resolve, err := chainResolver(st)
	if err != nil {
		return nil, err
	}
	count := map[string]int{}
	var texts []string
	seen := func(t string) {
		t = strings.TrimSpace(t)
		if t == "" {
			return
		}
		if count[t] == 0 {
			texts = append(texts, t)
		}
		count[t]++
	}
	for _, c := range s.ws.currentEvent().Chains {
		seen(c)
	}
	for _, e := range roster.all() {
		seen(e.p.Chain)
	}
	if err := store.Achievements.Each(st, func(_ string, a model.Achievement) error { seen(a.Chain); return nil }); err != nil {
		return nil, err
	}
	if err := store.Demands.Each(st, func(_ string, d model.Demand) error { seen(d.Chain); return nil }); err != nil {
		return nil, err
	}
	out := make([]ChainUse, 0, len(texts))
	for _, t := range texts {
		u := ChainUse{Text: t, Count: count[t]}
		u.Code, u.Name, u.State = resolve.explain(t)
		out = append(out, u)
	}
	rank := map[string]int{ChainUnmapped: 0, ChainAuto: 1, ChainConfirmed: 2}
	sort.SliceStable(out, func(i, j int) bool {
		if rank[out[i].State] != rank[out[j].State] {
			return rank[out[i].State] < rank[out[j].State]
		}
		return out[i].Count > out[j].Count
	})
	return out, nil
}

// MapChain records the organizer's mapping of a chain as typed: a code of
// the dictionary, or "" for "none of them" (counted as typed).
func (s *DictionaryService) MapChain(text, code string) error {
	st, _, err := s.ws.open()
	if err != nil {
		return err
	}
	if isStation(st) {
		return sayChainMapOnHub.Err()
	}
	text = strings.TrimSpace(text)
	if text == "" || len([]rune(text)) > 40 {
		return sayChainText.Err()
	}
	if _, ok := dict.ChainByCode(code); code != "" && !ok {
		return sayChainCode.Err("value", code)
	}
	if _, err := st.Apply(s.ws.ctx, store.ChainMaps.Put(dict.Key(text), model.ChainMapping{Text: text, Code: code})); err != nil {
		return sayChainMapFailed.Wrap(err)
	}
	return nil
}

// chainMaps resolves chains as typed: the organizer's mapping first, then
// the dictionary's words.
type chainMaps map[string]model.ChainMapping

func chainResolver(st *store.Store) (chainMaps, error) {
	list, err := store.ChainMaps.List(st)
	out := chainMaps{}
	for _, m := range list {
		out[dict.Key(m.Text)] = m
	}
	return out, err
}

// explain maps text and says how.
func (m chainMaps) explain(text string) (code, name, state string) {
	c, ok, said := dict.Resolve(text, m.code)
	switch {
	case said:
		state = ChainConfirmed // "none of them" too, when a person said so
	case ok:
		state = ChainAuto
	default:
		return "", "", ChainUnmapped
	}
	if !ok {
		return "", "", state
	}
	return c.Code, c.Name, state
}

// code is the organizer's mapping of a chain's key, for dict.Resolve.
func (m chainMaps) code(key string) (string, bool) {
	c, ok := m[key]
	return c.Code, ok
}

// resolve is the summary's Chain: code and national name, or ok false.
func (m chainMaps) resolve(text string) (string, string, bool) {
	code, name, _ := m.explain(text)
	return code, name, code != ""
}

// What the dictionaries say.
var (
	sayChainMapOnHub  = msg.Define("chains.onHub", "产业链对应关系由主控机维护：请在主控机上核对")
	sayChainText      = msg.Define("chains.text", "产业链名称为空或过长（最多 40 字）")
	sayChainCode      = msg.Define("chains.code", "“{value}”不是标准产业链的代码")
	sayChainMapFailed = msg.Define("chains.saveFailed", "保存产业链对应关系失败")
)
