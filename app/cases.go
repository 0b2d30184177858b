package app

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/fuzhi/eventdesk/app/figures"
	"github.com/fuzhi/eventdesk/app/pdf"
	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/model/msg"
	"github.com/fuzhi/eventdesk/store"
)

// CaseStudies is a one-page 典型案例 for each signed deal named (every
// signed deal when none is named): the parties, the achievement and the
// demand it answered, how and when it was signed, and a paragraph telling
// it, written from the records.
func (s *SummaryService) CaseStudies(meetingIDs []string) ([]byte, error) {
	st, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	views, err := s.match.Meetings()
	if err != nil {
		return nil, err
	}
	achievements, err := listView(s.ws, store.Achievements)
	if err != nil {
		return nil, err
	}
	demands, err := listView(s.ws, store.Demands)
	if err != nil {
		return nil, err
	}
	ev := s.ws.currentEvent()
	var cases []pdf.CaseStudy
	for _, m := range views {
		named := slices.Contains(meetingIDs, m.ID)
		if len(meetingIDs) > 0 && !named {
			continue
		}
		// As in the summary: a cancelled meeting's deal does not count.
		if m.Outcome == nil || !m.Outcome.Signed || m.Status == model.MeetingCancelled {
			if named {
				return nil, sayNotSigned.Err("from", m.FromName, "to", m.ToName)
			}
			continue
		}
		req, _, _ := store.Requests.Get(st, m.Request)
		from, _ := roster.get(m.From)
		to, _ := roster.get(m.To)
		cases = append(cases, caseOf(ev, m, req, from, to, achievements, demands))
	}
	if len(cases) == 0 {
		return nil, sayNoSignedDeal.Err()
	}
	var buf bytes.Buffer
	if err := pdf.CaseStudies(&buf, cases); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// caseOf tells one deal from its records.
func caseOf(ev model.Event, m MeetingView, req model.MeetingRequest, from, to model.Participant, achievements []model.Achievement, demands []model.Demand) pdf.CaseStudy {
	o := m.Outcome
	sides := []string{m.From, m.To}
	var a *model.Achievement
	for i := range achievements {
		x := &achievements[i]
		if slices.Contains(sides, x.OwnerID) && (a == nil || strings.Contains(m.Topic, x.Title)) {
			a = x
		}
	}
	var d *model.Demand
	for i := range demands {
		x := &demands[i]
		if slices.Contains(sides, x.SMEID) && (d == nil || x.ID == req.Challenge) {
			d = x
		}
	}
	mode := figures.ModeLabels[o.Mode]
	if mode == "" {
		mode = "技术"
	}
	subject := m.Topic
	if a != nil {
		subject = a.Title
	}
	title := fmt.Sprintf("%s与%s：%s", from.Org, to.Org, subject)
	when := "活动现场"
	if st := o.SignedStage(); st > 0 {
		when = fmt.Sprintf("活动后 %d 天回访时", st)
	}
	facts := [][2]string{
		{"合作双方", fmt.Sprintf("%s（%s）× %s（%s）", from.Org, model.RoleLabel[from.Role], to.Org, model.RoleLabel[to.Role])},
		{"对接人", from.Name + " · " + to.Name},
	}
	if a != nil {
		facts = append(facts, [2]string{"科技成果", fmt.Sprintf("%s（%s，技术成熟度 %d 级）", a.Title, a.Owner, a.TRL)})
	}
	if d != nil {
		label := "企业需求"
		if d.Challenge {
			label = "发榜需求"
		}
		facts = append(facts, [2]string{label, d.Title})
	}
	facts = append(facts, [2]string{"转化方式", mode}, [2]string{"签约金额", figures.Wan(o.Amount) + " 万元"}, [2]string{"签约时间", when})
	if chain := cmp.Or(append([]string{from.Chain, to.Chain}, ev.Chains...)...); chain != "" {
		facts = append(facts, [2]string{"产业链", chain})
	}

	var story strings.Builder
	fmt.Fprintf(&story, "在%s上，%s与%s经一对一洽谈，", ev.Name, from.Org, to.Org)
	if a != nil {
		fmt.Fprintf(&story, "围绕%s的“%s”", a.Owner, a.Title)
	} else if m.Topic != "" {
		fmt.Fprintf(&story, "围绕“%s”", m.Topic)
	}
	fmt.Fprintf(&story, "达成%s合作，%s签约，金额 %s 万元。", mode, when, figures.Wan(o.Amount))
	switch {
	case req.Roadshow != "":
		story.WriteString("这次对接源于成果路演现场的“想约谈”。")
	case req.Challenge != "" && d != nil:
		fmt.Fprintf(&story, "这次对接源于%s发布的“%s”揭榜需求。", d.SME, d.Title)
	case d != nil:
		fmt.Fprintf(&story, "合作回应了%s提出的“%s”需求。", d.SME, d.Title)
	}
	return pdf.CaseStudy{Event: ev.Name, When: dateRange(ev), Place: ev.Province + ev.City + ev.Venue, Title: title, Facts: facts,
		Story: story.String(), NextStep: o.NextStep}
}

// What the case studies say.
var (
	sayNoSignedDeal = msg.Define("cases.none", "还没有签约项目：记录签约后再生成典型案例")
	sayNotSigned    = msg.Define("cases.notSigned", "{from} 与 {to} 的洽谈尚未签约，不能作为典型案例")
)
