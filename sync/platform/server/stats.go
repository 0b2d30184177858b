package server

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/model/dict"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Figure is one row of the national dashboard.
type Figure struct {
	Key string `json:"key"`
	// Code is a province's GB/T 2260 code or a chain's national code, when
	// the name maps to one: what makes different events' figures add up.
	Code         string  `json:"code,omitempty"`
	Events       int     `json:"events"`
	Participants int     `json:"participants"`
	Arrived      int     `json:"arrived"`
	Meetings     int     `json:"meetings"`
	Held         int     `json:"held"`
	Intended     int     `json:"intended"`
	Signed       int     `json:"signed"`
	Amount       float64 `json:"amount"` // 万元
	// FinanceSigned and FinanceAmount are the industry-finance outcomes
	// signed (产融对接), counted apart from technology transfers.
	FinanceSigned int     `json:"financeSigned"`
	FinanceAmount float64 `json:"financeAmount"` // 万元
	// SMEsServed counts the SMEs (enterprises) with a meeting held.
	SMEsServed int `json:"smesServed"`
	// SignedLater counts the intended cooperations signed at a follow-up
	// after the event (动态跟踪的转化), included in Signed.
	SignedLater int `json:"signedLater"`
	// Achievements and Demands are the catalogs published at the events;
	// Roadshows the talks the stage reached; Challenges the SMEs' public
	// challenges (发榜) and Responses the answers to them (揭榜).
	Achievements int `json:"achievements"`
	Demands      int `json:"demands"`
	Roadshows    int `json:"roadshows"`
	Challenges   int `json:"challenges"`
	Responses    int `json:"responses"`
}

// Stats are the figures the special action counts, across every event.
type Stats struct {
	Totals     Figure   `json:"totals"`
	ByProvince []Figure `json:"byProvince"`
	ByMode     []Figure `json:"byMode"`
	ByChain    []Figure `json:"byChain"`
	// ByMonth and ByQuarter count each event in the month and quarter it
	// began ("2026-05", "2026-Q2"), in time order: 月月有活动、季季出亮点.
	ByMonth   []Figure `json:"byMonth"`
	ByQuarter []Figure `json:"byQuarter"`
	// ByTier counts the SMEs served by level (专精特新“小巨人”, 省级专精特新,
	// 创新型中小企业, 未认定), in that order.
	ByTier []Figure `json:"byTier"`
	// ByFinance counts industry financing signed by kind (loan,
	// ip_pledge, equity, guarantee), in that order.
	ByFinance []Figure `json:"byFinance"`
	// ByFormat counts events by format: the formats the organizer gave the
	// event and the kinds of its programme's sessions.
	ByFormat []Figure `json:"byFormat"`
}

type latest struct {
	event, kind, entity string
	payload             []byte
}

// NationalStats folds the stored ops into the current views (last writer
// by HLC, then station, then seq, as on the hub) and adds them up.
func NationalStats(ctx context.Context, db *pgxpool.Pool) (*Stats, error) {
	rows, err := db.Query(ctx, `
SELECT DISTINCT ON (event_id, split_part(kind,'.',1), entity)
       event_id, split_part(kind,'.',1), entity, split_part(kind,'.',2), payload
FROM ops WHERE split_part(kind,'.',1) IN ('event','participant','meeting','outcome','achievement','demand','programme','response','chainmap')
ORDER BY event_id, split_part(kind,'.',1), entity, hlc DESC, station DESC, seq DESC`)
	if err != nil {
		return nil, fmt.Errorf("read views: %w", err)
	}
	var views []latest
	for rows.Next() {
		var l latest
		var action string
		if err := rows.Scan(&l.event, &l.kind, &l.entity, &action, &l.payload); err != nil {
			rows.Close()
			return nil, err
		}
		if action != "delete" {
			views = append(views, l)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	arrived := map[string]int{}
	arows, err := db.Query(ctx, `
SELECT s.event_id, count(DISTINCT s.entity) FROM ops s
WHERE s.kind = 'scan.add' AND NOT EXISTS (
  SELECT 1 FROM ops u WHERE u.event_id = s.event_id AND u.kind = 'scan_undo.add' AND u.entity = s.entity
    AND u.payload->>'scan' = s.station || '-' || s.seq)
GROUP BY s.event_id`)
	if err != nil {
		return nil, fmt.Errorf("count arrivals: %w", err)
	}
	for arows.Next() {
		var ev string
		var n int
		if err := arows.Scan(&ev, &n); err != nil {
			arows.Close()
			return nil, err
		}
		arrived[ev] = n
	}
	arows.Close()

	type event struct {
		Province     string   `json:"province"`
		ProvinceCode string   `json:"provinceCode"`
		Chains       []string `json:"chains"`
		StartDate    string   `json:"startDate"`
		Formats      []string `json:"formats"`
	}
	type person struct {
		Chain string     `json:"chain"`
		Role  model.Role `json:"role"`
		Tier  model.Tier `json:"tier"`
		OrgID string     `json:"orgId"`
	}
	type meeting struct {
		From   string              `json:"from"`
		To     string              `json:"to"`
		Status model.MeetingStatus `json:"status"`
		event  string              // its event's id (an event id holds a "/": organizer/event)
	}
	type outcome = model.Outcome
	events := map[string]event{}
	people := map[string]person{}
	meetings := map[string]meeting{}
	var outcomes []struct {
		ev string
		o  outcome
	}
	count := map[string]int{}
	// The catalogs, roadshows and challenges of each event.
	type published struct{ achievements, demands, roadshows, challenges, responses int }
	pub := map[string]*published{}
	at := func(ev string) *published {
		if pub[ev] == nil {
			pub[ev] = &published{}
		}
		return pub[ev]
	}
	challenge := map[string]bool{} // event/demand
	var answered []string          // event/demand of each response
	formats := map[string]map[string]bool{}
	addFormat := func(ev, f string) {
		if f == "" {
			return
		}
		if formats[ev] == nil {
			formats[ev] = map[string]bool{}
		}
		formats[ev][f] = true
	}
	chainMap := map[string]model.ChainMapping{} // event/normalised text
	for _, l := range views {
		switch l.kind {
		case "chainmap":
			var m model.ChainMapping
			_ = json.Unmarshal(l.payload, &m)
			chainMap[l.event+"/"+l.entity] = m
		case "achievement":
			at(l.event).achievements++
		case "demand":
			var d struct {
				Challenge bool `json:"challenge"`
			}
			_ = json.Unmarshal(l.payload, &d)
			at(l.event).demands++
			if d.Challenge {
				at(l.event).challenges++
				challenge[l.event+"/"+l.entity] = true
			}
		case "response":
			var r struct {
				Demand string `json:"demand"`
			}
			_ = json.Unmarshal(l.payload, &r)
			answered = append(answered, l.event+"/"+r.Demand)
		case "programme":
			var p struct {
				Kind  string `json:"kind"`
				Talks []struct {
					Started string `json:"started"`
				} `json:"talks"`
			}
			_ = json.Unmarshal(l.payload, &p)
			addFormat(l.event, p.Kind)
			for _, t := range p.Talks {
				if t.Started != "" {
					at(l.event).roadshows++
				}
			}
		case "event":
			var e event
			_ = json.Unmarshal(l.payload, &e)
			events[l.event] = e
		case "participant":
			var p person
			_ = json.Unmarshal(l.payload, &p)
			people[l.event+"/"+l.entity] = p
			count[l.event]++
		case "meeting":
			var m meeting
			_ = json.Unmarshal(l.payload, &m)
			m.event = l.event
			meetings[l.event+"/"+l.entity] = m
		case "outcome":
			var o outcome
			_ = json.Unmarshal(l.payload, &o)
			outcomes = append(outcomes, struct {
				ev string
				o  outcome
			}{l.event, o})
		}
	}
	for _, key := range answered {
		if challenge[key] {
			// An event id holds a "/" itself (organizer/event): cut at the last.
			ev := key[:strings.LastIndex(key, "/")]
			at(ev).responses++
		}
	}
	prov, mode, chain := map[string]*Figure{}, map[string]*Figure{}, map[string]*Figure{}
	format := map[string]*Figure{}
	month, quarter := map[string]*Figure{}, map[string]*Figure{}
	get := func(m map[string]*Figure, k string) *Figure {
		if k == "" {
			k = "未填写"
		}
		if m[k] == nil {
			m[k] = &Figure{Key: k}
		}
		return m[k]
	}
	// provinceOf is an event's province figure, keyed by the dictionary's
	// name with its GB/T 2260 code ("山东" and "山东省" are one line).
	provinceOf := func(ev string) *Figure {
		e := events[ev]
		d, ok := dict.ProvinceOf(e.ProvinceCode)
		if !ok {
			d, ok = dict.ProvinceOf(e.Province)
		}
		if !ok {
			return get(prov, e.Province)
		}
		f := get(prov, d.Name)
		f.Code = d.Code
		return f
	}
	// when are the month and quarter figures of an event.
	when := func(ev string) []*Figure {
		m, q := periodOf(events[ev].StartDate)
		return []*Figure{get(month, m), get(quarter, q)}
	}
	st := &Stats{}
	for id, e := range events {
		p := at(id)
		for _, f := range e.Formats {
			addFormat(id, f)
		}
		for f := range formats[id] {
			get(format, f).Events++
		}
		for _, f := range append(when(id), provinceOf(id), &st.Totals) {
			f.Events++
			f.Participants += count[id]
			f.Arrived += arrived[id]
			f.Achievements += p.achievements
			f.Demands += p.demands
			f.Roadshows += p.roadshows
			f.Challenges += p.challenges
			f.Responses += p.responses
		}
	}
	// chainOf is a meeting's chain figure: the chain of either side as
	// typed (then the event's first), mapped as its organizer mapped it,
	// else by the dictionary's words, else as typed.
	chainOf := func(ev, key string) *Figure {
		m := meetings[key]
		typed := dict.MeetingChain(people[ev+"/"+m.From].Chain, people[ev+"/"+m.To].Chain, events[ev].Chains)
		d, ok, _ := dict.Resolve(typed, func(k string) (string, bool) {
			mapped, said := chainMap[ev+"/"+k]
			return mapped.Code, said
		})
		if !ok {
			return get(chain, typed)
		}
		f := get(chain, d.Name)
		f.Code = d.Code
		return f
	}
	type firm struct {
		event string
		tier  model.Tier
	}
	served := map[string]firm{} // SMEs (event/organization) with a meeting held
	for key, m := range meetings {
		ev := m.event
		if m.Status == model.MeetingCancelled {
			continue
		}
		if m.Status == model.MeetingHeld {
			for _, side := range []string{m.From, m.To} {
				p, ok := people[ev+"/"+side]
				if !ok || p.Role != model.RoleSME {
					continue
				}
				k := ev + "/" + model.ServedFirm(p.OrgID, side)
				if f, seen := served[k]; !seen || f.tier == "" {
					served[k] = firm{event: ev, tier: p.Tier}
				}
			}
		}
		pf, cf := provinceOf(ev), chainOf(ev, key)
		for _, f := range append(when(ev), pf, cf, &st.Totals) {
			f.Meetings++
			if m.Status == model.MeetingHeld {
				f.Held++
			}
		}
	}
	finance := map[string]*Figure{}
	for _, x := range outcomes {
		key := x.ev + "/" + x.o.Meeting
		// As in the event's summary: an outcome counts with its meeting,
		// and a cancelled meeting's not at all.
		if m, ok := meetings[key]; !ok || m.Status == model.MeetingCancelled {
			continue
		}
		fs := append(when(x.ev), provinceOf(x.ev), chainOf(x.ev, key), &st.Totals)
		if x.o.Mode != "" || x.o.Signed {
			fs = append(fs, get(mode, string(x.o.Mode)))
		}
		if fin := x.o.Finance; fin != nil && fin.Signed > 0 {
			fs = append(fs, get(finance, string(fin.Kind)))
		}
		for _, f := range fs {
			if fin := x.o.Finance; fin != nil && fin.Signed > 0 {
				f.FinanceSigned++
				f.FinanceAmount += fin.Signed
			}
			if x.o.Intended && x.o.SignedStage() > 0 {
				f.SignedLater++
			}
			if x.o.Intended {
				f.Intended++
			}
			if x.o.Signed {
				f.Signed++
				f.Amount += x.o.Amount
			}
		}
	}
	tier := map[string]*Figure{}
	for _, f := range served {
		name, ok := model.TierNames[f.tier]
		if !ok {
			name = model.TierNames[""]
		}
		for _, fig := range append(when(f.event), provinceOf(f.event), get(tier, name), &st.Totals) {
			fig.SMEsServed++
		}
	}
	st.ByProvince, st.ByMode, st.ByChain = sorted(prov), sorted(mode), sorted(chain)
	st.ByTier = make([]Figure, 0, len(model.TierReportOrder))
	for _, t := range model.TierReportOrder { // every level listed, served or not
		st.ByTier = append(st.ByTier, *get(tier, model.TierNames[t]))
	}
	st.ByMonth, st.ByQuarter = chronological(month), chronological(quarter)
	st.ByFinance = make([]Figure, 0, len(model.FinanceKinds))
	for _, k := range model.FinanceKinds { // every kind listed, signed or not
		st.ByFinance = append(st.ByFinance, *get(finance, string(k)))
	}
	st.ByFormat = make([]Figure, 0, len(model.SessionKinds))
	for _, k := range model.SessionKinds { // every format listed, held or not
		st.ByFormat = append(st.ByFormat, *get(format, string(k)))
	}
	return st, nil
}

// periodOf is the month ("2026-05") and quarter ("2026-Q2") of an event's
// start date; "未填写" when it has none the platform can read.
func periodOf(date string) (string, string) {
	t, err := time.Parse("2006-01-02", date)
	if err != nil {
		return "", ""
	}
	return t.Format("2006-01"), fmt.Sprintf("%d-Q%d", t.Year(), (int(t.Month())+2)/3)
}

// chronological lists period figures in time order, the undated last.
func chronological(m map[string]*Figure) []Figure {
	out := make([]Figure, 0, len(m))
	for _, f := range m {
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Key, out[j].Key
		if (a == "未填写") != (b == "未填写") {
			return b == "未填写"
		}
		return a < b
	})
	return out
}

func sorted(m map[string]*Figure) []Figure {
	out := make([]Figure, 0, len(m))
	for _, f := range m {
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Amount != out[j].Amount {
			return out[i].Amount > out[j].Amount
		}
		if out[i].Meetings != out[j].Meetings {
			return out[i].Meetings > out[j].Meetings
		}
		return out[i].Key < out[j].Key
	})
	return out
}
