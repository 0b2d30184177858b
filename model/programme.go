package model

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fuzhi/eventdesk/model/msg"
)

// SessionKind is what a session of the programme is: the formats the
// national action names for a 深度行 day.
type SessionKind string

const (
	SessionForum       SessionKind = "forum"            // 大会论坛/主旨论坛
	SessionRoadshow    SessionKind = "roadshow"         // 成果路演
	SessionMatchmaking SessionKind = "matchmaking"      // 供需对接
	SessionExhibition  SessionKind = "exhibition"       // 展览展示
	SessionFinance     SessionKind = "industry_finance" // 产融对接
	SessionPromotion   SessionKind = "promotion"        // 推介
	SessionChallenge   SessionKind = "challenge"        // 发榜/揭榜
)

// Limits on a session, so a programme fits its board and its op stays small.
const (
	MaxSessionTitle         = 80
	MaxSessionRoom          = 40
	MaxSessionNote          = 300
	MaxTalkMinutes          = 120
	MaxTalksInRoadshow      = 200
	MaxSessionPeople        = 30
	MaxProgrammeSessions    = 100
	roadshowMarkIDPrefix    = "RS"
	sessionTimeLayoutVenue  = "2006-01-02T15:04"
	sessionTimeLayoutOffset = time.RFC3339
)

// SessionKinds lists the kinds in the order the programme offers them.
var SessionKinds = []SessionKind{SessionForum, SessionRoadshow, SessionMatchmaking, SessionExhibition, SessionFinance, SessionPromotion, SessionChallenge}

// SessionKindNames are the kinds' Chinese names, as the programme prints them.
var SessionKindNames = map[SessionKind]string{
	SessionForum: "主旨论坛", SessionRoadshow: "成果路演", SessionMatchmaking: "供需对接", SessionExhibition: "展览展示",
	SessionFinance: "产融对接", SessionPromotion: "推介", SessionChallenge: "发榜/揭榜",
}

// ProgrammeSession is one session of the day's programme (议程): a
// forum, a roadshow with its running order, the matchmaking session, an
// exhibition. Speakers and hosts are participants of the roster.
type ProgrammeSession struct {
	ID       string      `json:"id"`
	Title    string      `json:"title"`
	Kind     SessionKind `json:"kind"`
	Start    string      `json:"start"` // RFC 3339
	End      string      `json:"end"`   // RFC 3339
	Room     string      `json:"room,omitempty"`
	Speakers []string    `json:"speakers,omitempty"`
	Hosts    []string    `json:"hosts,omitempty"`
	Note     string      `json:"note,omitempty"`
	// Talks is a roadshow's running order (成果路演): the achievements
	// presented, in order. Only a roadshow has talks.
	Talks []Talk `json:"talks,omitempty"`
	// Criteria and Judges are a roadshow's scoring panel (optional): what
	// each talk is scored on, with weights, and who scores.
	Criteria []Criterion `json:"criteria,omitempty"`
	Judges   []string    `json:"judges,omitempty"`
}

// Criterion is one thing a panel scores a talk on, 0 to 10, and its weight.
type Criterion struct {
	Name   string `json:"name"`
	Weight int    `json:"weight"`
}

// Score is one judge's marks for one talk, one per criterion (0–10).
type Score struct {
	Talk   string    `json:"talk"`
	Judge  string    `json:"judge"`
	Points []float64 `json:"points"`
	At     string    `json:"at"`
}

// ScoreID is one judge's score sheet for one talk.
func ScoreID(talk, judge string) string { return talk + "|" + judge }

// Limits of a panel.
const (
	MaxCriteria      = 10
	MaxCriterionName = 20
	MaxJudges        = 30
	MaxPoints        = 10
)

// Weighted is a score sheet's weighted mark out of 100, by the session's
// criteria; ok is false when the sheet does not fit them.
func (s *ProgrammeSession) Weighted(points []float64) (float64, bool) {
	if len(points) != len(s.Criteria) || len(points) == 0 {
		return 0, false
	}
	total, weights := 0.0, 0
	for i, c := range s.Criteria {
		total += points[i] * float64(c.Weight)
		weights += c.Weight
	}
	if weights == 0 {
		return 0, false
	}
	return total / float64(weights) * 100 / MaxPoints, true
}

// Talk is one achievement presented in a roadshow. Started and Ended are
// when the stage screen moved to it and past it: a talk that started was
// presented, and only those count as roadshows in the summary.
type Talk struct {
	ID          string `json:"id"`
	Achievement string `json:"achievement"`
	Presenter   string `json:"presenter"` // participant
	Minutes     int    `json:"minutes"`
	Started     string `json:"started,omitempty"` // RFC 3339
	Ended       string `json:"ended,omitempty"`   // RFC 3339
}

// Presented reports whether the talk was given (the stage reached it).
func (t Talk) Presented() bool { return t.Started != "" }

// PlannedTalk is a talk with the time the running order gives it.
type PlannedTalk struct {
	Talk
	From, To time.Time
}

// Planned lays the talks one after another from the session's start, as
// the running order plans them (the stage may run early or late; the
// planned times are what matchmaking keeps free for the presenter).
func (s *ProgrammeSession) Planned() []PlannedTalk {
	at, err := time.Parse(time.RFC3339, s.Start)
	if err != nil {
		return nil
	}
	out := make([]PlannedTalk, 0, len(s.Talks))
	for _, t := range s.Talks {
		end := at.Add(time.Duration(t.Minutes) * time.Minute)
		out = append(out, PlannedTalk{Talk: t, From: at, To: end})
		at = end
	}
	return out
}

// Current is the index of the talk on stage (started, not ended), or -1.
func (s *ProgrammeSession) Current() int {
	for i, t := range s.Talks {
		if t.Started != "" && t.Ended == "" {
			return i
		}
	}
	return -1
}

// Check refuses a session the programme cannot show: no title, an unknown
// kind, an end before its start, text over its limits, talks outside a
// roadshow or talks the stage cannot time. Who the speakers and talks name
// is the service's to check against the roster and the catalog.
func (s *ProgrammeSession) Check() error {
	if strings.TrimSpace(s.Title) == "" || utf8.RuneCountInString(s.Title) > MaxSessionTitle || strings.ContainsFunc(s.Title, IsControl) {
		return saySessionTitle.Err("max", MaxSessionTitle)
	}
	if !slices.Contains(SessionKinds, s.Kind) {
		return saySessionKind.Err("value", string(s.Kind))
	}
	from, err1 := time.Parse(time.RFC3339, s.Start)
	to, err2 := time.Parse(time.RFC3339, s.End)
	if err1 != nil || err2 != nil || !to.After(from) || to.Sub(from) > 24*time.Hour {
		return saySessionTimes.Err()
	}
	if utf8.RuneCountInString(s.Room) > MaxSessionRoom || strings.ContainsFunc(s.Room, IsControl) ||
		utf8.RuneCountInString(s.Note) > MaxSessionNote || strings.ContainsFunc(s.Note, func(r rune) bool { return r != '\n' && IsControl(r) }) {
		return saySessionText.Err("room", MaxSessionRoom, "note", MaxSessionNote)
	}
	if len(s.Speakers) > MaxSessionPeople || len(s.Hosts) > MaxSessionPeople {
		return saySessionPeople.Err("max", MaxSessionPeople)
	}
	if len(s.Talks) > 0 && s.Kind != SessionRoadshow {
		return sayTalksOnlyInRoadshow.Err()
	}
	if len(s.Talks) > MaxTalksInRoadshow {
		return sayTooManyTalks.Err("max", MaxTalksInRoadshow)
	}
	if len(s.Criteria) > MaxCriteria || len(s.Judges) > MaxJudges {
		return sayPanelSize.Err("criteria", MaxCriteria, "judges", MaxJudges)
	}
	if (len(s.Criteria) > 0 || len(s.Judges) > 0) && s.Kind != SessionRoadshow {
		return sayTalksOnlyInRoadshow.Err()
	}
	for _, c := range s.Criteria {
		if strings.TrimSpace(c.Name) == "" || utf8.RuneCountInString(c.Name) > MaxCriterionName || strings.ContainsFunc(c.Name, IsControl) || c.Weight < 1 || c.Weight > 100 {
			return sayCriterionBad.Err("max", MaxCriterionName)
		}
	}
	seen := map[string]bool{}
	for i, t := range s.Talks {
		if t.ID == "" || seen[t.ID] || t.Achievement == "" || t.Presenter == "" {
			return sayTalkIncomplete.Err("n", i+1)
		}
		seen[t.ID] = true
		if t.Minutes < 1 || t.Minutes > MaxTalkMinutes {
			return sayTalkMinutes.Err("n", i+1, "max", MaxTalkMinutes)
		}
	}
	return nil
}

// RoadshowMarkID is the id of the meeting request a 想约谈 mark becomes:
// one per person and talk, so a second tap, a second desk or a station
// marking the same talk offline all write the same request.
func RoadshowMarkID(talk, person string) string {
	return roadshowMarkIDPrefix + talk + "-" + person
}

// The refusals of ProgrammeSession.Check.
var (
	saySessionTitle        = msg.Define("programme.title", "请填写环节名称（最多 {max} 字）")
	saySessionKind         = msg.Define("programme.kind", "环节类型“{value}”不对，应为主旨论坛、成果路演、供需对接、展览展示、产融对接、推介或发榜/揭榜")
	saySessionTimes        = msg.Define("programme.times", "请填写环节的开始和结束时间，结束须晚于开始，且不超过 24 小时")
	saySessionText         = msg.Define("programme.text", "会场最多 {room} 字，备注最多 {note} 字，且不能含控制字符")
	saySessionPeople       = msg.Define("programme.people", "嘉宾和主持人各最多 {max} 位")
	sayTalksOnlyInRoadshow = msg.Define("programme.talksOnlyInRoadshow", "只有“成果路演”环节可以安排路演顺序")
	sayTooManyTalks        = msg.Define("programme.tooManyTalks", "一场路演最多安排 {max} 个项目")
	sayTalkIncomplete      = msg.Define("programme.talkIncomplete", "路演顺序第 {n} 项缺少成果或路演人，或重复")
	sayTalkMinutes         = msg.Define("programme.talkMinutes", "路演顺序第 {n} 项的时长应为 1 到 {max} 分钟")
	sayPanelSize           = msg.Define("programme.panelSize", "评分项最多 {criteria} 个，评委最多 {judges} 位")
	sayCriterionBad        = msg.Define("programme.criterion", "每个评分项要有名称（最多 {max} 字）和 1 到 100 的权重")
)
