package app

import (
	"testing"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/model/dict"
	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/station"
)

func TestPlacesTakeTheirDivisionCodes(t *testing.T) {
	svc, _, _ := newTestServices(t)
	info, err := svc.Event.Create(EventInput{Name: "深度行·烟台站", StartDate: "2026-07-01", Province: "山东", City: "烟台"})
	if err != nil {
		t.Fatal(err)
	}
	if ev := info.Event; ev.Province != "山东省" || ev.ProvinceCode != "370000" || ev.City != "烟台市" || ev.CityCode != "370600" {
		t.Fatalf("event places: %+v", ev)
	}
	// A city the dictionary does not know keeps its name, without a code.
	info, err = svc.Event.Update(EventInput{Name: "深度行·龙口站", StartDate: "2026-07-01", Province: "山东省", City: "龙口市"})
	if err != nil {
		t.Fatal(err)
	}
	if ev := info.Event; ev.ProvinceCode != "370000" || ev.City != "龙口市" || ev.CityCode != "" {
		t.Fatalf("an unknown city: %+v", ev)
	}
	// A city alone gives its province.
	info, _ = svc.Event.Update(EventInput{Name: "深度行·青岛站", StartDate: "2026-07-01", City: "青岛"})
	if ev := info.Event; ev.Province != "山东省" || ev.CityCode != "370200" {
		t.Fatalf("a city alone: %+v", ev)
	}
}

func TestChainsAreReviewedAndCountedByTheirNationalCode(t *testing.T) {
	svc, ws, _ := newTestServices(t)
	if _, err := svc.Event.Create(EventInput{Name: "深度行", StartDate: "2026-07-01", Province: "山东省", Chains: []string{"高端装备"}}); err != nil {
		t.Fatal(err)
	}
	roster := "姓名,单位名称,手机号,参会类型,产业链\n" +
		"甲,甲公司,13800000101,中小企业,高端装备\n乙,乙公司,13800000102,中小企业,装备制造\n" +
		"丙,丙大学,13800000103,高校,综合\n丁,丁大学,13800000104,高校,新材料\n"
	if _, err := svc.Roster.Import(ImportRequest{FileName: "报名.csv", Data: []byte(roster)}); err != nil {
		t.Fatal(err)
	}
	review, err := svc.Dictionary.ChainReview()
	if err != nil {
		t.Fatal(err)
	}
	if len(review) != 4 || review[0].Text != "综合" || review[0].State != ChainUnmapped {
		t.Fatalf("review: %+v", review)
	}
	states := map[string]ChainUse{}
	for _, u := range review {
		states[u.Text] = u
	}
	if u := states["高端装备"]; u.Code != "SEI02" || u.State != ChainAuto || u.Count != 2 {
		t.Fatalf("高端装备 (the event's and 甲's): %+v", u)
	}
	if u := states["装备制造"]; u.Code != "SEI02" {
		t.Fatalf("装备制造: %+v", u)
	}
	// The organizer maps the unknown word, and corrects an automatic one.
	if err := svc.Dictionary.MapChain("综合", "SEI09"); err != nil {
		t.Fatal(err)
	}
	if err := svc.Dictionary.MapChain(" 新 材料", ""); err != nil {
		t.Fatal(err)
	}
	before := opsOf(t, ws)
	for _, bad := range [][2]string{{"综合", "SEI99"}, {"", "SEI01"}, {"很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长的名字", "SEI01"}} {
		if err := svc.Dictionary.MapChain(bad[0], bad[1]); err == nil {
			t.Errorf("mapped %q to %q", bad[0], bad[1])
		}
	}
	if opsOf(t, ws) != before {
		t.Fatal("a refused mapping wrote")
	}
	review, _ = svc.Dictionary.ChainReview()
	for _, u := range review {
		switch u.Text {
		case "综合":
			if u.Code != "SEI09" || u.State != ChainConfirmed {
				t.Fatalf("综合 after review: %+v", u)
			}
		case "新材料":
			if u.Code != "" || u.State != ChainConfirmed {
				t.Fatalf("新材料 set to none: %+v", u)
			}
		}
	}

	// Two words for one chain are one line of the summary.
	list, _ := svc.Roster.List(ParticipantQuery{Limit: 10})
	ids := map[string]string{}
	for _, p := range list.Items {
		ids[p.Name] = p.ID
	}
	st, _ := ws.Store()
	_, err = st.Apply(ws.ctx,
		store.Meetings.Put("M1", model.Meeting{ID: "M1", From: ids["甲"], To: ids["丙"], Status: model.MeetingHeld}),
		store.Meetings.Put("M2", model.Meeting{ID: "M2", From: ids["乙"], To: ids["丁"], Status: model.MeetingHeld}))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := svc.Summary.Summary()
	if err != nil {
		t.Fatal(err)
	}
	equip, _ := dict.ChainByCode("SEI02")
	if len(sum.TopChains) != 1 || sum.TopChains[0].Chain != equip.Name || sum.TopChains[0].Code != "SEI02" || sum.TopChains[0].Meetings != 2 {
		t.Fatalf("chains in the summary: %+v", sum.TopChains)
	}

	// Only the hub maps.
	if err := st.PutLocal(station.LocalKey, station.Config{}); err != nil {
		t.Fatal(err)
	}
	if err := svc.Dictionary.MapChain("综合", "SEI01"); err == nil {
		t.Fatal("a station mapped a chain")
	}
}
