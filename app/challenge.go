package app

import (
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/model/msg"
	"github.com/fuzhi/eventdesk/store"
)

// ResponseInput is a 揭榜 as the desk or the catalog screen records it.
type ResponseInput struct {
	Demand    string `json:"demand"`
	Responder string `json:"responder"`
	Proposal  string `json:"proposal"`
}

// ResponseView is a response with the responder's name and what it asked.
type ResponseView struct {
	model.ChallengeResponse
	Name  string `json:"name"`
	Org   string `json:"org"`
	Title string `json:"title"` // the challenge's
	SME   string `json:"sme"`
}

// Respond records a 揭榜: someone answers an SME's public challenge with a
// short proposal, and asks the SME's contact for a meeting about it. A
// second response by the same person corrects the first. A challenge past
// its deadline takes none.
func (s *CatalogService) Respond(in ResponseInput) (*ResponseView, error) {
	st, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	d, ok, err := store.Demands.Get(st, in.Demand)
	if err != nil || !ok {
		return nil, sayNoDemand.Err("id", in.Demand)
	}
	if !d.Challenge {
		return nil, sayNotAChallenge.Err("title", d.Title)
	}
	now := s.ws.now()
	if d.Deadline != "" && now.In(model.VenueZone).Format("2006-01-02") > d.Deadline {
		return nil, sayChallengeClosed.Err("title", d.Title, "day", d.Deadline)
	}
	p, ok := roster.get(in.Responder)
	if !ok {
		return nil, sayNoParticipant.Err("id", in.Responder)
	}
	if in.Responder == d.SMEID {
		return nil, sayOwnChallenge.Err()
	}
	proposal := strings.TrimSpace(in.Proposal)
	if proposal == "" || utf8.RuneCountInString(proposal) > model.MaxProposal || strings.ContainsFunc(proposal, func(r rune) bool { return r != '\n' && model.IsControl(r) }) {
		return nil, sayProposalText.Err("max", model.MaxProposal)
	}
	id := model.ChallengeResponseID(d.ID, p.ID)
	r, found, err := store.Responses.Get(st, id)
	if err != nil {
		return nil, sayResponseSaveFailed.Wrap(err)
	}
	at := now.Format(time.RFC3339)
	if !found {
		r = model.ChallengeResponse{ID: id, Demand: d.ID, Responder: p.ID, Created: at}
	}
	r.Proposal, r.Updated = proposal, at
	// The meeting it asks for; a response stands even when the SME's
	// contact is not on the roster or the responder's requests are used up.
	if d.SMEID != "" && r.Request == "" {
		req := model.MeetingRequest{ID: model.ChallengeRequestID(d.ID, p.ID), From: p.ID, To: d.SMEID, Priority: "want", Status: model.RequestRequested,
			Topic: "揭榜：" + d.Title, Challenge: d.ID}
		if made, _, err := s.requests.create(req); err == nil {
			r.Request = made.ID
		}
	}
	if _, err := st.Apply(s.ws.ctx, store.Responses.Put(id, r)); err != nil {
		return nil, sayResponseSaveFailed.Wrap(err)
	}
	return &ResponseView{ChallengeResponse: r, Name: p.Name, Org: p.Org, Title: d.Title, SME: d.SME}, nil
}

// Responses lists the responses to one challenge ("" lists all), newest
// first.
func (s *CatalogService) Responses(demandID string) ([]ResponseView, error) {
	st, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	list, err := store.Responses.List(st)
	if err != nil {
		return nil, sayResponseSaveFailed.Wrap(err)
	}
	out := []ResponseView{}
	for _, r := range list {
		if demandID != "" && r.Demand != demandID {
			continue
		}
		p, _ := roster.get(r.Responder)
		d, _, _ := store.Demands.Get(st, r.Demand)
		out = append(out, ResponseView{ChallengeResponse: r, Name: p.Name, Org: p.Org, Title: d.Title, SME: d.SME})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Updated > out[j].Updated })
	return out, nil
}

// What 揭榜 says.
var (
	sayNotAChallenge      = msg.Define("challenge.notOne", "“{title}”不是发榜需求：请先在需求中勾选“发榜”")
	sayChallengeClosed    = msg.Define("challenge.closed", "“{title}”的揭榜已于 {day} 截止")
	sayOwnChallenge       = msg.Define("challenge.own", "发榜企业不能揭自己的榜")
	sayProposalText       = msg.Define("challenge.proposal", "请填写揭榜方案简述（最多 {max} 字，不能含控制字符）")
	sayResponseSaveFailed = msg.Define("challenge.saveFailed", "保存揭榜失败")
	sayBadChallengeDay    = msg.Define("challenge.badDeadline", "揭榜截止日期“{value}”不是日期，应写成 2026-06-30")
)
