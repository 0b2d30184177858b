package app

import (
	"strings"
	"testing"
	"time"

	"github.com/fuzhi/eventdesk/model"
)

// challengeOf marks a demand of the practice catalog whose SME is on the
// roster as a public challenge (发榜) open until deadline.
func challengeOf(t *testing.T, svc *Services, deadline string) model.Demand {
	t.Helper()
	demands, err := svc.Catalog.Demands()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range demands {
		if d.SMEID != "" && !d.Challenge {
			d.Challenge, d.Deadline = true, deadline
			saved, err := svc.Catalog.SaveDemand(d)
			if err != nil {
				t.Fatal(err)
			}
			return *saved
		}
	}
	t.Fatal("no demand with its SME on the roster")
	return model.Demand{}
}

func TestAResponseToAChallengeAsksTheSMEForAMeetingOnce(t *testing.T) {
	svc, ws, now := practiceAt(t, time.Date(2026, 5, 20, 15, 0, 0, 0, model.VenueZone))
	d := challengeOf(t, svc, "2026/5/20")
	if d.Deadline != "2026-05-20" {
		t.Fatalf("deadline kept as %q", d.Deadline)
	}
	unis, _ := svc.Roster.List(ParticipantQuery{Role: "university", Limit: 2})
	uni := unis.Items[0]
	r, err := svc.Catalog.Respond(ResponseInput{Demand: d.ID, Responder: uni.ID, Proposal: "  以耐盐碱品种配合滴灌，三年内亩产提高 20%  "})
	if err != nil {
		t.Fatal(err)
	}
	if r.Proposal != "以耐盐碱品种配合滴灌，三年内亩产提高 20%" || r.Request == "" || r.Name != uni.Name || r.Title != d.Title {
		t.Fatalf("response: %+v", r)
	}
	reqs, _ := svc.Request.List()
	var asked []RequestView
	for _, q := range reqs {
		if q.Challenge == d.ID {
			asked = append(asked, q)
		}
	}
	if len(asked) != 1 || asked[0].From != uni.ID || asked[0].To != d.SMEID || !strings.HasPrefix(asked[0].Topic, "揭榜：") {
		t.Fatalf("requests from the response: %+v", asked)
	}
	// A correction keeps one response and one request.
	if r2, err := svc.Catalog.Respond(ResponseInput{Demand: d.ID, Responder: uni.ID, Proposal: "改为两年"}); err != nil || r2.ID != r.ID || r2.Proposal != "改为两年" || r2.Request != r.Request {
		t.Fatalf("correction: %+v %v", r2, err)
	}
	plain := model.Demand{}
	all, _ := svc.Catalog.Demands()
	for _, x := range all {
		if !x.Challenge {
			plain = x
			break
		}
	}
	before := opsOf(t, ws)
	for name, in := range map[string]ResponseInput{
		"not a challenge":     {Demand: plain.ID, Responder: uni.ID, Proposal: "方案"},
		"no such demand":      {Demand: "DNOPE", Responder: uni.ID, Proposal: "方案"},
		"the SME itself":      {Demand: d.ID, Responder: d.SMEID, Proposal: "方案"},
		"nobody":              {Demand: d.ID, Responder: "PNOBODY", Proposal: "方案"},
		"no proposal":         {Demand: d.ID, Responder: unis.Items[1].ID, Proposal: "   "},
		"a proposal too long": {Demand: d.ID, Responder: unis.Items[1].ID, Proposal: strings.Repeat("长", model.MaxProposal+1)},
	} {
		if _, err := svc.Catalog.Respond(in); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// The day after the deadline the challenge takes no more.
	*now = now.Add(12 * time.Hour)
	if _, err := svc.Catalog.Respond(ResponseInput{Demand: d.ID, Responder: unis.Items[1].ID, Proposal: "迟到的方案"}); err == nil {
		t.Error("a response after the deadline")
	}
	if after := opsOf(t, ws); after != before {
		t.Fatalf("refusals wrote %d ops", after-before)
	}
	sum, err := svc.Summary.Summary()
	if err != nil {
		t.Fatal(err)
	}
	if sum.ChallengeResponses() != 1 {
		t.Fatalf("summary: %d responses", sum.ChallengeResponses())
	}
	list, _ := svc.Catalog.Responses(d.ID)
	if len(list) != 1 || list[0].Org != uni.Org {
		t.Fatalf("responses: %+v", list)
	}
}
