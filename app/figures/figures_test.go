package figures

import (
	"reflect"
	"strings"
	"testing"

	"github.com/fuzhi/eventdesk/model"
)

func TestArrivals(t *testing.T) {
	cases := []struct {
		name   string
		people []Attendee
		want   Dashboard
	}{
		{"nobody", nil, Dashboard{Recent: []RecentArrival{}, ByRole: []RoleArrival{}, ByQuarter: []BucketCount{}, ByDesk: []BucketCount{}}},
		{"registered, none arrived", []Attendee{{Role: model.RoleSME, Name: "甲", Scans: 0}},
			Dashboard{Expected: 1, ByRole: []RoleArrival{{"sme", model.RoleLabel[model.RoleSME], 1, 0}}, Recent: []RecentArrival{}, ByQuarter: []BucketCount{}, ByDesk: []BucketCount{}}},
		{"arrivals by quarter, desk and role; undone and repeat scans", []Attendee{
			{Role: model.RoleSME, Name: "甲", Org: "A", Scans: 3, Repeats: 1, At: "2026-05-20T09:14:59+08:00", Desk: "1"},
			{Role: model.RoleSME, Name: "乙", Org: "B", Scans: 1, At: "2026-05-20T09:15:00+08:00", Desk: "2"},
			{Role: model.RoleInvestor, Name: "丙", Org: "C", Scans: 1, WalkIn: true, At: "2026-05-20T10:01:00+08:00", Desk: "1"},
			{Role: "", Name: "丁", Scans: 1}, // scanned and undone
		}, Dashboard{Expected: 4, Arrived: 3, WalkIns: 1, Scans: 6, Repeats: 1,
			ByRole:    []RoleArrival{{"sme", model.RoleLabel[model.RoleSME], 2, 2}, {"investor", model.RoleLabel[model.RoleInvestor], 1, 1}, {"", "未分类", 1, 0}},
			ByQuarter: []BucketCount{{"09:00", 1}, {"09:15", 1}, {"10:00", 1}},
			ByDesk:    []BucketCount{{"1", 2}, {"2", 1}},
			Recent: []RecentArrival{{"丙", "C", "2026-05-20T10:01:00+08:00", "1"}, {"乙", "B", "2026-05-20T09:15:00+08:00", "2"},
				{"甲", "A", "2026-05-20T09:14:59+08:00", "1"}}}},
		{"a role this build does not know counts as unclassified", []Attendee{{Role: "alien", Name: "戊", At: "2026-05-20T09:00:00+08:00", Desk: "1"}},
			Dashboard{Expected: 1, Arrived: 1, ByRole: []RoleArrival{{"", "未分类", 1, 1}}, ByQuarter: []BucketCount{{"09:00", 1}}, ByDesk: []BucketCount{{"1", 1}},
				Recent: []RecentArrival{{"戊", "", "2026-05-20T09:00:00+08:00", "1"}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Arrivals(c.people, "")
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestArrivalsKeepsTheTwelveLatest(t *testing.T) {
	var people []Attendee
	for i := 0; i < 20; i++ {
		people = append(people, Attendee{Name: string(rune('A' + i)), At: "2026-05-20T09:" + string(rune('0'+i/10)) + string(rune('0'+i%10)) + ":00+08:00", Desk: "1"})
	}
	d := Arrivals(people, "")
	if len(d.Recent) != RecentShown || d.Recent[0].Name != "T" || d.Recent[RecentShown-1].Name != "I" {
		t.Fatalf("recent: %+v", d.Recent)
	}
}

func TestByHour(t *testing.T) {
	got := ByHour([]BucketCount{{"09:00", 2}, {"09:45", 3}, {"10:15", 1}, {"x", 9}})
	want := []BucketCount{{"09:00", 5}, {"10:00", 1}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v", got)
	}
}

func TestSummarize(t *testing.T) {
	people := map[string]model.Participant{
		"P1": {ID: "P1", Name: "企业甲", Chain: "高端装备"},
		"P2": {ID: "P2", Name: "教授乙", Chain: ""},
		"P3": {ID: "P3", Name: "教授丙", Chain: "新材料"},
		"P4": {ID: "P4", Name: "企业丁"},
	}
	in := Input{
		Event:    model.Event{Name: "深度行", Chains: []string{"新一代信息技术"}},
		Arrivals: Dashboard{Expected: 4, Arrived: 3, WalkIns: 1, ByQuarter: []BucketCount{{"09:00", 2}, {"09:30", 1}}},
		Meetings: []model.Meeting{
			{ID: "M1", From: "P1", To: "P2", Status: model.MeetingHeld},
			{ID: "M2", Request: "R5", From: "P3", To: "P4", Status: model.MeetingHeld, Spontaneous: true},
			{ID: "M3", From: "P4", To: "P2", Status: model.MeetingNoShow},
			{ID: "M4", From: "P1", To: "P3", Status: model.MeetingCancelled},
			{ID: "M5", From: "P4", To: "P2", Status: model.MeetingScheduled},
		},
		Outcomes: []model.Outcome{
			{Meeting: "M1", Result: model.ResultAgreement, Intended: true, Signed: true, Amount: 120.5, Mode: model.TransferLicense},
			{Meeting: "M2", Result: model.ResultPossible, Intended: true, Mode: model.TransferJointDev},
			{Meeting: "M4", Result: model.ResultAgreement, Signed: true, Amount: 999}, // cancelled: not counted
		},
		Achievements: []model.Achievement{
			{ID: "A1", Title: "成果一", OwnerID: "P2", TransferModes: []model.TransferMode{model.TransferLicense, model.TransferEquity}},
			{ID: "A2", Title: "成果二", OwnerID: "P9"},
			{ID: "A3", Title: "成果三（在库未路演）", OwnerID: "P3"},
		},
		// Two talks presented, the third (成果三) on the order but never reached.
		Programme: []model.ProgrammeSession{{ID: "S1", Kind: model.SessionRoadshow, Talks: []model.Talk{
			{ID: "T2", Achievement: "A2", Presenter: "P9", Minutes: 8, Started: "2026-05-20T10:00:00+08:00", Ended: "2026-05-20T10:08:00+08:00"},
			{ID: "T1", Achievement: "A1", Presenter: "P2", Minutes: 8, Started: "2026-05-20T10:08:00+08:00"},
			{ID: "T3", Achievement: "A3", Presenter: "P3", Minutes: 8},
		}}},
		Requests: []model.MeetingRequest{{ID: "R1", From: "P1", To: "P2", Roadshow: "T1"}, {ID: "R2", From: "P4", To: "P2", Roadshow: "T1"},
			{ID: "R3", From: "P1", To: "P3", Roadshow: "T3"}, {ID: "R4", From: "P1", To: "P4"}, {ID: "R5", From: "P3", To: "P4", Challenge: "D1"}},
		Demands:   []model.Demand{{ID: "D1", Title: "盐碱地改良", SME: "丁公司", Budget: 80, Challenge: true}, {ID: "D2", Title: "无人揭榜", Challenge: true}, {ID: "D3", Title: "普通需求"}},
		Responses: []model.ChallengeResponse{{ID: "JD1-P3", Demand: "D1", Responder: "P3"}, {ID: "JD1-P2", Demand: "D1", Responder: "P2"}},
		Leads:     []model.Lead{{Exhibitor: "P1", Participant: "P2"}, {Exhibitor: "P1", Participant: "P3"}, {Exhibitor: "P4", Participant: "P2"}},
		Person:    func(id string) (model.Participant, bool) { p, ok := people[id]; return p, ok },
	}
	s := Summarize(in)
	if s.Scheduled != 4 || s.Held != 2 || s.NoShow != 1 || s.Spontaneous != 1 || s.Intended != 2 || s.Signed != 1 || s.Amount != 120.5 {
		t.Fatalf("counts: %+v", s)
	}
	if want := []BucketCount{{"安排洽谈", 4}, {"实际洽谈", 2}, {"记录成效", 2}, {"有合作可能", 2}, {"达成协议", 1}, {"已签约", 1}}; !reflect.DeepEqual(s.Funnel, want) {
		t.Fatalf("funnel: %+v", s.Funnel)
	}
	if want := []BucketCount{{"09:00", 3}}; !reflect.DeepEqual(s.ByHour, want) {
		t.Fatalf("by hour: %+v", s.ByHour)
	}
	if s.ByMode[1] != (ModeFigure{Mode: "license", Label: "许可", Intended: 1, Signed: 1, Amount: 120.5}) || s.ByMode[3].Intended != 1 || len(s.ByMode) != 6 || s.ByMode[5].Label != "开放许可" {
		t.Fatalf("by mode: %+v", s.ByMode)
	}
	// chains: a meeting takes the first side's chain, then the event's first
	wantChains := []ChainFigure{{Chain: "高端装备", Meetings: 1, Held: 1, Intended: 1, Signed: 1, Amount: 120.5},
		{Chain: "新一代信息技术", Meetings: 2}, {Chain: "新材料", Meetings: 1, Held: 1, Intended: 1}}
	if !reflect.DeepEqual(s.TopChains, wantChains) {
		t.Fatalf("chains: %+v", s.TopChains)
	}
	// Only the talks the stage reached count, the most wanted first.
	if len(s.Roadshows) != 2 || s.Roadshows[0].Title != "成果一" || s.Roadshows[0].Meetings != 3 || s.Roadshows[0].Marks != 2 ||
		s.Roadshows[0].Modes != "许可、作价入股" || s.Roadshows[1].Title != "成果二" || s.Roadshows[1].Presenter != "" || s.RoadshowMarks() != 2 {
		t.Fatalf("roadshows: %+v", s.Roadshows)
	}
	// Challenges: both listed, the answered first; the plain demand is none.
	if want := []ChallengeFigure{{Title: "盐碱地改良", SME: "丁公司", Budget: 80, Responses: 2, Held: 1}, {Title: "无人揭榜"}}; !reflect.DeepEqual(s.Challenges, want) || s.ChallengeResponses() != 2 {
		t.Fatalf("challenges: %+v", s.Challenges)
	}
	if s.Leads != 3 || s.Exhibitors != 2 {
		t.Fatalf("leads: %d from %d", s.Leads, s.Exhibitors)
	}
	if tb := s.Tables(); len(tb) != len(TableOrder) || tb["总览"][9][1] != "120.5" {
		t.Fatalf("tables: %v", tb["总览"])
	}
}

func TestTopChainsKeepsTen(t *testing.T) {
	var ms []model.Meeting
	people := map[string]model.Participant{}
	for i := 0; i < 14; i++ {
		id := string(rune('a' + i))
		people[id] = model.Participant{ID: id, Chain: "链" + id}
		for j := 0; j <= i; j++ {
			ms = append(ms, model.Meeting{ID: id + string(rune('0'+j)), From: id, To: "x", Status: model.MeetingScheduled})
		}
	}
	s := Summarize(Input{Meetings: ms, Person: func(id string) (model.Participant, bool) { p, ok := people[id]; return p, ok }})
	if len(s.TopChains) != TopChainsShown || s.TopChains[0].Chain != "链n" || s.TopChains[9].Chain != "链e" {
		t.Fatalf("top chains: %+v", s.TopChains)
	}
}

// The SMEs served are the enterprises with a meeting held, counted once
// however many of their people met someone, by level.
func TestSMEsServedByLevel(t *testing.T) {
	people := map[string]model.Participant{
		"A1": {ID: "A1", Role: model.RoleSME, OrgID: "OA", Tier: model.TierLittleGiant},
		"A2": {ID: "A2", Role: model.RoleSME, OrgID: "OA"},
		"B1": {ID: "B1", Role: model.RoleSME, OrgID: "OB", Tier: model.TierInnovative},
		"C1": {ID: "C1", Role: model.RoleSME}, // no organization: counted by person
		"D1": {ID: "D1", Role: model.RoleSME, OrgID: "OD", Tier: model.TierProvincialSRDI},
		"U1": {ID: "U1", Role: model.RoleUniversity, OrgID: "OU"},
	}
	held := func(id, from, to string, st model.MeetingStatus) model.Meeting {
		return model.Meeting{ID: id, From: from, To: to, Status: st}
	}
	s := Summarize(Input{
		Meetings: []model.Meeting{held("M1", "A1", "U1", model.MeetingHeld), held("M2", "A2", "U1", model.MeetingHeld),
			held("M3", "B1", "U1", model.MeetingHeld), held("M4", "C1", "U1", model.MeetingHeld),
			held("M5", "D1", "U1", model.MeetingNoShow)},
		Person: func(id string) (model.Participant, bool) { p, ok := people[id]; return p, ok },
	})
	want := []BucketCount{{"服务中小企业", 3}, {"专精特新“小巨人”", 1}, {"省级专精特新", 0}, {"创新型中小企业", 1}, {"未认定", 1}}
	if !reflect.DeepEqual(s.SMEsServed, want) {
		t.Fatalf("SMEs served: %v", s.SMEsServed)
	}
}

// An event with meetings only: the prose says nothing of roadshows,
// challenges, financing or follow-ups it did not have.
func TestNarrativeMentionsOnlyWhatHappened(t *testing.T) {
	s := Summarize(Input{Event: model.Event{Name: "深度行", StartDate: "2026-05-20", City: "青岛市"},
		Arrivals: Dashboard{Expected: 3, Arrived: 2},
		Meetings: []model.Meeting{{ID: "M1", From: "P1", To: "P2", Status: model.MeetingHeld}},
		Outcomes: []model.Outcome{{Meeting: "M1", Result: model.ResultPossible, Intended: true}}})
	all := s.Narrative[0].Text + s.Narrative[1].Text
	for _, absent := range []string{"路演", "揭榜", "产融", "回访", "签约", "发布", "0 项", "主办"} {
		if strings.Contains(all, absent) {
			t.Errorf("the narrative speaks of %q: %s", absent, all)
		}
	}
	if !strings.Contains(all, "深度行于2026年5月20日在青岛市举办。报名 3 人，实际到场 2 人。") || !strings.Contains(all, "达成合作意向 1 项。") {
		t.Fatalf("narrative: %s", all)
	}
}
