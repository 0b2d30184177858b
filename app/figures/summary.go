package figures

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/model/dict"
)

// ModeFigure is one transfer mode's deals.
type ModeFigure struct {
	Mode     string  `json:"mode"`
	Label    string  `json:"label"`
	Intended int     `json:"intended"`
	Signed   int     `json:"signed"`
	Amount   float64 `json:"amount"` // 万元
}

// FinanceFigure is one kind of financing's outcomes: how many meetings
// intended it and for how much, how many signed and for how much (万元).
type FinanceFigure struct {
	Kind           string  `json:"kind"`
	Label          string  `json:"label"`
	Intended       int     `json:"intended"`
	IntendedAmount float64 `json:"intendedAmount"`
	Signed         int     `json:"signed"`
	SignedAmount   float64 `json:"signedAmount"`
}

// ChainFigure is one industry chain's matchmaking, under its name in the
// national dictionary when it maps to one (Code), else as typed.
type ChainFigure struct {
	Chain    string  `json:"chain"`
	Code     string  `json:"code,omitempty"`
	Meetings int     `json:"meetings"`
	Held     int     `json:"held"`
	Intended int     `json:"intended"`
	Signed   int     `json:"signed"`
	Amount   float64 `json:"amount"`
}

// Roadshow is one achievement presented at the event: a talk the stage
// reached, with its presenter's meetings and the 想约谈 marks it drew.
type Roadshow struct {
	Title     string `json:"title"`
	Owner     string `json:"owner"`
	Chain     string `json:"chain"`
	TRL       int    `json:"trl"`
	Modes     string `json:"modes"`
	Presenter string `json:"presenter,omitempty"`
	Meetings  int    `json:"meetings"`
	Marks     int    `json:"marks"`
	// Score is the panel's weighted mean, out of 100; 0 when unscored.
	Score float64 `json:"score,omitempty"`
}

// ChallengeFigure is one SME challenge (发榜) and what answered it.
type ChallengeFigure struct {
	Title     string  `json:"title"`
	SME       string  `json:"sme"`
	Budget    float64 `json:"budget"`
	Responses int     `json:"responses"`
	Held      int     `json:"held"` // meetings held on requests its responses made
}

// Summary is the whole post-event report.
type Summary struct {
	Event       model.Event   `json:"event"`
	Generated   string        `json:"generated"`
	Expected    int           `json:"expected"`
	Arrived     int           `json:"arrived"`
	WalkIns     int           `json:"walkIns"`
	ByRole      []RoleArrival `json:"byRole"`
	ByHour      []BucketCount `json:"byHour"`
	Scheduled   int           `json:"scheduled"`
	Held        int           `json:"held"`
	NoShow      int           `json:"noShow"`
	Spontaneous int           `json:"spontaneous"`
	Funnel      []BucketCount `json:"funnel"` // meetings → held → outcome recorded → possible+ → agreement → signed
	Intended    int           `json:"intended"`
	Signed      int           `json:"signed"`
	Amount      float64       `json:"amount"`
	// Conversion follows the intended cooperations after the day: signed at
	// the event, signed by each follow-up stage (cumulative), dropped.
	Conversion []BucketCount `json:"conversion"`
	// SignedLater counts the intended cooperations signed at a follow-up.
	SignedLater int          `json:"signedLater"`
	ByMode      []ModeFigure `json:"byMode"`
	// SMEsServed counts the SMEs (enterprises, not people) with at least
	// one meeting held: all of them, then by level (专精特新“小巨人”, 省级专精特新, 创新型, 未认定).
	SMEsServed []BucketCount `json:"smesServed"`
	// Finance counts industry-finance outcomes by kind, apart from the
	// technology transfers above.
	Finance   []FinanceFigure `json:"finance"`
	TopChains []ChainFigure   `json:"topChains"`
	Roadshows []Roadshow      `json:"roadshows"`
	// Challenges are the SMEs' public challenges (发榜) with the responses
	// (揭榜) each drew and the meetings held on them.
	Challenges []ChallengeFigure `json:"challenges"`
	// Achievements and Demands are the catalogs published at the event;
	// Sessions names the programme's sessions by kind, in time order.
	Achievements int      `json:"achievements"`
	Demands      int      `json:"demands"`
	Sessions     []string `json:"sessions"`
	// Narrative is 活动概况 and 主要成效 written from the figures, ready
	// to paste into a 工作简报.
	Narrative  []Paragraph `json:"narrative"`
	Leads      int         `json:"leads"`
	Exhibitors int         `json:"exhibitors"`
}

// ModeOrder is the order transfer modes are reported in.
var ModeOrder = model.TransferModes

// ModeLabels are the transfer modes' names in the report.
var ModeLabels = model.TransferModeNames

// TopChainsShown is how many industry chains the summary ranks.
const TopChainsShown = 10

// Input is what the summary is computed from.
type Input struct {
	Event        model.Event
	Generated    string
	Arrivals     Dashboard
	Meetings     []model.Meeting
	Outcomes     []model.Outcome
	Achievements []model.Achievement
	// Programme and Requests give the roadshows: the talks presented and
	// the marks (requests) each drew.
	Programme []model.ProgrammeSession
	Requests  []model.MeetingRequest
	// Scores are the roadshow panels' score sheets.
	Scores []model.Score
	// Demands and Responses give the challenges (发榜) and their 揭榜.
	Demands   []model.Demand
	Responses []model.ChallengeResponse
	Leads     []model.Lead
	// Person finds a participant by id (the roster).
	Person func(id string) (model.Participant, bool)
	// Chain maps a chain as typed to the national dictionary (code and
	// name), or gives ok false; nil maps nothing.
	Chain func(text string) (code, name string, ok bool)
}

// Summarize computes the figures the special action counts: attendance,
// meetings held, intended cooperations, signed deals and their amounts by
// transfer mode and industry chain, roadshows and booth leads.
func Summarize(in Input) Summary {
	person := in.Person
	if person == nil {
		person = func(string) (model.Participant, bool) { return model.Participant{}, false }
	}
	sum := Summary{Event: in.Event, Generated: in.Generated, Expected: in.Arrivals.Expected, Arrived: in.Arrivals.Arrived,
		WalkIns: in.Arrivals.WalkIns, ByRole: in.Arrivals.ByRole, ByHour: ByHour(in.Arrivals.ByQuarter)}
	byMeeting := map[string]model.Outcome{}
	for _, o := range in.Outcomes {
		byMeeting[o.Meeting] = o
	}
	typed := func(m model.Meeting) string {
		from, _ := person(m.From)
		to, _ := person(m.To)
		if t := dict.MeetingChain(from.Chain, to.Chain, in.Event.Chains); t != "" {
			return t
		}
		return "未填写"
	}
	// chainOf is the meeting's chain by its national name, so that
	// "高端装备" and "装备制造" are one line, as on the platform.
	type mapped struct{ name, code string }
	seenChain := map[string]mapped{} // a few chains, many meetings: each resolved once
	chainOf := func(m model.Meeting) (string, string) {
		t := typed(m)
		if c, ok := seenChain[t]; ok {
			return c.name, c.code
		}
		c := mapped{name: t}
		if in.Chain != nil {
			if code, name, ok := in.Chain(t); ok {
				c = mapped{name: name, code: code}
			}
		}
		seenChain[t] = c
		return c.name, c.code
	}
	chains := map[string]*ChainFigure{}
	modes := map[model.TransferMode]*ModeFigure{}
	for _, m := range ModeOrder {
		modes[m] = &ModeFigure{Mode: string(m), Label: ModeLabels[m]}
	}
	perPerson := map[string]int{}
	recorded, possible, agreement, dropped := 0, 0, 0, 0
	signedBy := map[int]int{}         // intended cooperations signed, by stage (0: at the event)
	served := map[string]model.Tier{} // SMEs (by organization) with a meeting held, and their level
	finance := map[model.FinanceKind]*FinanceFigure{}
	for _, k := range model.FinanceKinds {
		finance[k] = &FinanceFigure{Kind: string(k), Label: model.FinanceKindNames[k]}
	}
	for _, m := range in.Meetings {
		if m.Status == model.MeetingCancelled {
			continue
		}
		sum.Scheduled++
		perPerson[m.From]++
		perPerson[m.To]++
		c, code := chainOf(m)
		if chains[c] == nil {
			chains[c] = &ChainFigure{Chain: c, Code: code}
		}
		cf := chains[c]
		cf.Meetings++
		switch m.Status {
		case model.MeetingHeld:
			sum.Held++
			cf.Held++
			for _, id := range []string{m.From, m.To} {
				if p, ok := person(id); ok && p.Role == model.RoleSME {
					firm := model.ServedFirm(p.OrgID, id)
					if t, seen := served[firm]; !seen || t == "" {
						served[firm] = p.Tier
					}
				}
			}
		case model.MeetingNoShow:
			sum.NoShow++
		}
		if m.Spontaneous {
			sum.Spontaneous++
		}
		o, ok := byMeeting[m.ID]
		if !ok {
			continue
		}
		recorded++
		if o.Result == model.ResultPossible || o.Result == model.ResultAgreement {
			possible++
		}
		if o.Result == model.ResultAgreement {
			agreement++
		}
		mf := modes[o.Mode]
		if o.Intended {
			sum.Intended++
			cf.Intended++
			if mf != nil {
				mf.Intended++
			}
		}
		if f := o.Finance; f != nil && finance[f.Kind] != nil {
			ff := finance[f.Kind]
			if f.Intended > 0 || f.Signed > 0 {
				ff.Intended++
				ff.IntendedAmount += f.Intended
			}
			if f.Signed > 0 {
				ff.Signed++
				ff.SignedAmount += f.Signed
			}
		}
		if o.Intended {
			switch st := o.SignedStage(); {
			case st >= 0:
				signedBy[st]++
			case o.Closed():
				dropped++
			}
		}
		if o.Signed {
			sum.Signed++
			sum.Amount += o.Amount
			cf.Signed++
			cf.Amount += o.Amount
			if mf != nil {
				mf.Signed++
				mf.Amount += o.Amount
			}
		}
	}
	for _, k := range model.FinanceKinds {
		sum.Finance = append(sum.Finance, *finance[k])
	}
	byTier := map[model.Tier]int{}
	for _, t := range served {
		byTier[t]++
	}
	sum.SMEsServed = []BucketCount{{"服务中小企业", len(served)}}
	for _, t := range model.TierReportOrder {
		sum.SMEsServed = append(sum.SMEsServed, BucketCount{model.TierNames[t], byTier[t]})
	}
	sum.Conversion = []BucketCount{{"合作意向", sum.Intended}, {"现场签约", signedBy[0]}}
	total := signedBy[0]
	for _, stage := range model.FollowUpStages {
		total += signedBy[stage]
		sum.Conversion = append(sum.Conversion, BucketCount{fmt.Sprintf("%d 天内签约", stage), total})
	}
	sum.Conversion = append(sum.Conversion, BucketCount{"已终止", dropped})
	sum.SignedLater = total - signedBy[0]
	sum.Funnel = []BucketCount{{"安排洽谈", sum.Scheduled}, {"实际洽谈", sum.Held}, {"记录成效", recorded}, {"有合作可能", possible},
		{"达成协议", agreement}, {"已签约", sum.Signed}}
	for _, m := range ModeOrder {
		sum.ByMode = append(sum.ByMode, *modes[m])
	}
	sum.TopChains = rankChains(chains)
	sum.Roadshows = roadshows(in, person, perPerson)
	sum.Challenges = challenges(in)
	sum.Achievements, sum.Demands = len(in.Achievements), len(in.Demands)
	sum.Sessions = []string{}
	for _, sess := range in.Programme {
		if name := model.SessionKindNames[sess.Kind]; name != "" && !slices.Contains(sum.Sessions, name) {
			sum.Sessions = append(sum.Sessions, name)
		}
	}
	exhibitors := map[string]bool{}
	for _, l := range in.Leads {
		exhibitors[l.Exhibitor] = true
	}
	sum.Leads, sum.Exhibitors = len(in.Leads), len(exhibitors)
	sum.Narrative = narrative(&sum)
	return sum
}

// rankChains orders chains by signed amount, then meetings, then name,
// and keeps the top ones.
func rankChains(chains map[string]*ChainFigure) []ChainFigure {
	out := make([]ChainFigure, 0, len(chains))
	for _, c := range chains {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Amount != b.Amount {
			return a.Amount > b.Amount
		}
		if a.Meetings != b.Meetings {
			return a.Meetings > b.Meetings
		}
		return a.Chain < b.Chain
	})
	if len(out) > TopChainsShown {
		out = out[:TopChainsShown]
	}
	return out
}

// roadshows lists the talks presented (only those: an achievement in the
// catalog that nobody presented is not a roadshow), with their presenter's
// meetings and the marks each drew, the most wanted first.
func roadshows(in Input, person func(string) (model.Participant, bool), perPerson map[string]int) []Roadshow {
	achievements := make(map[string]model.Achievement, len(in.Achievements))
	for _, a := range in.Achievements {
		achievements[a.ID] = a
	}
	marks := map[string]int{}
	for _, r := range in.Requests {
		if r.Roadshow != "" {
			marks[r.Roadshow]++
		}
	}
	sheets := map[string]model.Score{}
	for _, sc := range in.Scores {
		sheets[model.ScoreID(sc.Talk, sc.Judge)] = sc
	}
	out := []Roadshow{}
	for _, sess := range in.Programme {
		for _, t := range sess.Talks {
			if !t.Presented() {
				continue
			}
			a := achievements[t.Achievement]
			r := Roadshow{Title: a.Title, Owner: a.Owner, Chain: a.Chain, TRL: a.TRL, Marks: marks[t.ID]}
			total, judged := 0.0, 0
			for _, j := range sess.Judges {
				if w, ok := sess.Weighted(sheets[model.ScoreID(t.ID, j)].Points); ok {
					total, judged = total+w, judged+1
				}
			}
			if judged > 0 {
				r.Score = math.Round(total/float64(judged)*10) / 10
			}
			for i, m := range a.TransferModes {
				if i > 0 {
					r.Modes += "、"
				}
				r.Modes += ModeLabels[m]
			}
			if p, ok := person(t.Presenter); ok {
				r.Presenter, r.Meetings = p.Name, perPerson[p.ID]
			}
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Marks != out[j].Marks {
			return out[i].Marks > out[j].Marks
		}
		if out[i].Meetings != out[j].Meetings {
			return out[i].Meetings > out[j].Meetings
		}
		return out[i].Title < out[j].Title
	})
	return out
}

// challenges lists the challenges with their responses and the meetings
// held on them, the most answered first.
func challenges(in Input) []ChallengeFigure {
	responses := map[string]int{}
	for _, r := range in.Responses {
		responses[r.Demand]++
	}
	onChallenge := map[string]string{} // request -> demand
	for _, r := range in.Requests {
		if r.Challenge != "" {
			onChallenge[r.ID] = r.Challenge
		}
	}
	held := map[string]int{}
	for _, m := range in.Meetings {
		if d := onChallenge[m.Request]; d != "" && m.Status == model.MeetingHeld {
			held[d]++
		}
	}
	out := []ChallengeFigure{}
	for _, d := range in.Demands {
		if d.Challenge {
			out = append(out, ChallengeFigure{Title: d.Title, SME: d.SME, Budget: d.Budget, Responses: responses[d.ID], Held: held[d.ID]})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Responses != out[j].Responses {
			return out[i].Responses > out[j].Responses
		}
		return out[i].Title < out[j].Title
	})
	return out
}

// ChallengeResponses counts the responses (揭榜) to all challenges.
func (s *Summary) ChallengeResponses() int {
	n := 0
	for _, c := range s.Challenges {
		n += c.Responses
	}
	return n
}

// Wan writes an amount in 万元 as short as it reads.
func Wan(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// TableOrder is the order of the summary's tables in the workbook.
var TableOrder = []string{"总览", "按类型到场", "按小时到场", "对接漏斗", "跟踪转化", "服务中小企业", "按转化方式", "产融对接", "按产业链", "路演成果", "发榜揭榜"}

// RoadshowMarks counts the 想约谈 marks all roadshows drew.
func (s *Summary) RoadshowMarks() int {
	n := 0
	for _, r := range s.Roadshows {
		n += r.Marks
	}
	return n
}

// Tables are the summary's tables, shared by the workbook and the package CSVs.
func (s *Summary) Tables() map[string][][]string {
	itoa := strconv.Itoa
	t := map[string][][]string{}
	t["总览"] = [][]string{{"指标", "数值"},
		{"报名人数", itoa(s.Expected)}, {"到场人数", itoa(s.Arrived)}, {"现场注册", itoa(s.WalkIns)},
		{"安排洽谈", itoa(s.Scheduled)}, {"实际洽谈", itoa(s.Held)}, {"未到场", itoa(s.NoShow)},
		{"合作意向", itoa(s.Intended)}, {"签约项目", itoa(s.Signed)}, {"签约金额（万元）", Wan(s.Amount)},
		{"路演项目", itoa(len(s.Roadshows))}, {"想约谈", itoa(s.RoadshowMarks())},
		{"发榜需求", itoa(len(s.Challenges))}, {"揭榜响应", itoa(s.ChallengeResponses())},
		{"展位线索", itoa(s.Leads)}, {"参与展商", itoa(s.Exhibitors)}}
	role := [][]string{{"参会类型", "报名", "到场"}}
	for _, r := range s.ByRole {
		role = append(role, []string{r.Label, itoa(r.Expected), itoa(r.Arrived)})
	}
	t["按类型到场"] = role
	t["按小时到场"] = bucketTable([]string{"时段", "到场"}, s.ByHour)
	t["对接漏斗"] = bucketTable([]string{"环节", "数量"}, s.Funnel)
	t["跟踪转化"] = bucketTable([]string{"合作意向的进展", "数量"}, s.Conversion)
	t["服务中小企业"] = bucketTable([]string{"有洽谈的中小企业", "家数"}, s.SMEsServed)
	mode := [][]string{{"转化方式", "合作意向", "签约", "金额（万元）"}}
	for _, m := range s.ByMode {
		mode = append(mode, []string{m.Label, itoa(m.Intended), itoa(m.Signed), Wan(m.Amount)})
	}
	t["按转化方式"] = mode
	fin := [][]string{{"融资方式", "意向", "意向金额（万元）", "签约", "签约金额（万元）"}}
	for _, f := range s.Finance {
		fin = append(fin, []string{f.Label, itoa(f.Intended), Wan(f.IntendedAmount), itoa(f.Signed), Wan(f.SignedAmount)})
	}
	t["产融对接"] = fin
	chain := [][]string{{"产业链", "洽谈", "已洽谈", "意向", "签约", "金额（万元）"}}
	for _, c := range s.TopChains {
		chain = append(chain, []string{c.Chain, itoa(c.Meetings), itoa(c.Held), itoa(c.Intended), itoa(c.Signed), Wan(c.Amount)})
	}
	t["按产业链"] = chain
	rs := [][]string{{"成果", "单位", "产业链", "成熟度", "转化方式", "路演人", "评分", "想约谈", "洽谈场次"}}
	for _, r := range s.Roadshows {
		score := ""
		if r.Score > 0 {
			score = strconv.FormatFloat(r.Score, 'f', 1, 64)
		}
		rs = append(rs, []string{r.Title, r.Owner, r.Chain, itoa(r.TRL), r.Modes, r.Presenter, score, itoa(r.Marks), itoa(r.Meetings)})
	}
	t["路演成果"] = rs
	ch := [][]string{{"发榜需求", "发榜企业", "预算（万元）", "揭榜", "已洽谈"}}
	for _, c := range s.Challenges {
		ch = append(ch, []string{c.Title, c.SME, Wan(c.Budget), itoa(c.Responses), itoa(c.Held)})
	}
	t["发榜揭榜"] = ch
	return t
}

func bucketTable(header []string, bars []BucketCount) [][]string {
	out := [][]string{header}
	for _, b := range bars {
		out = append(out, []string{b.Label, strconv.Itoa(b.Count)})
	}
	return out
}
