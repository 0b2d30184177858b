package model

import (
	"slices"

	"github.com/fuzhi/eventdesk/model/msg"
	"strings"
	"time"
	"unicode/utf8"
)

// MatchSession is the setup of a 供需对接 session: its time slots, its
// tables (some fixed to an exhibitor's booth), who cannot meet when.
type MatchSession struct {
	Slots       []MatchSlot         `json:"slots"`
	Tables      []MatchTable        `json:"tables"`
	Blocked     map[string][]string `json:"blocked"`     // participant -> slot ids
	MaxMeetings int                 `json:"maxMeetings"` // per person; 0 = no cap
	RequestCap  int                 `json:"requestCap"`  // requests one person may send; 0 = no cap
	// RequestDeadline (RFC 3339) is when unanswered requests expire; empty
	// means the start of the first slot, after which an answer is too late.
	RequestDeadline string `json:"requestDeadline,omitempty"`
	Published       string `json:"published,omitempty"`
}

// IsBlocked reports whether a participant cannot meet in a slot.
func (s *MatchSession) IsBlocked(participant, slot string) bool {
	for _, b := range s.Blocked[participant] {
		if b == slot {
			return true
		}
	}
	return false
}

// MatchSlot is one time slot.
type MatchSlot struct {
	ID      string `json:"id"`
	Start   string `json:"start"` // RFC 3339
	Minutes int    `json:"minutes"`
}

// MatchTable is one table; Fixed names the participant who always sits there.
type MatchTable struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Fixed string `json:"fixed,omitempty"`
}

// RequestStatus is where a meeting request stands; only accepted requests
// are scheduled.
type RequestStatus string

const (
	RequestRequested RequestStatus = "requested"
	RequestAccepted  RequestStatus = "accepted"
	RequestDeclined  RequestStatus = "declined"
	RequestExpired   RequestStatus = "expired"
)

// RequestStatuses lists every request status, for checking input.
var RequestStatuses = []RequestStatus{RequestRequested, RequestAccepted, RequestDeclined, RequestExpired}

// Open reports whether the request still stands (not declined or expired).
func (s RequestStatus) Open() bool { return s != RequestDeclined && s != RequestExpired }

// MeetingStatus is what happened to a scheduled meeting.
type MeetingStatus string

const (
	MeetingScheduled MeetingStatus = "scheduled"
	MeetingHeld      MeetingStatus = "held"
	MeetingNoShow    MeetingStatus = "no_show"
	MeetingCancelled MeetingStatus = "cancelled"
)

// MeetingStatuses lists every meeting status, for checking input.
var MeetingStatuses = []MeetingStatus{MeetingScheduled, MeetingHeld, MeetingNoShow, MeetingCancelled}

// TakesPlace reports whether the meeting occupies its people and table: a
// cancelled or missed one frees them.
func (s MeetingStatus) TakesPlace() bool { return s != MeetingCancelled && s != MeetingNoShow }

// Request priorities and their weights in the schedule.
var PriorityWeight = map[string]int{"must": 3, "want": 2, "could": 1}

// MeetingRequest asks for a meeting; only accepted requests are scheduled.
type MeetingRequest struct {
	ID       string        `json:"id"`
	From     string        `json:"from"`
	To       string        `json:"to"`
	Priority string        `json:"priority"` // must, want, could
	Status   RequestStatus `json:"status"`
	Topic    string        `json:"topic,omitempty"`
	Created  string        `json:"created"`
	// Roadshow is the talk whose 想约谈 mark made this request (a
	// ProgrammeSession's Talk id); empty for a request made otherwise.
	Roadshow string `json:"roadshow,omitempty"`
	// Challenge is the demand whose 揭榜 made this request.
	Challenge string `json:"challenge,omitempty"`
}

// Meeting is a request placed in a slot at a table.
type Meeting struct {
	ID          string        `json:"id"`
	Request     string        `json:"request"`
	From        string        `json:"from"`
	To          string        `json:"to"`
	Slot        string        `json:"slot"`
	Table       string        `json:"table"`
	Status      MeetingStatus `json:"status"`
	Locked      bool          `json:"locked,omitempty"`
	Spontaneous bool          `json:"spontaneous,omitempty"`
	// Arrived lists who scanned their badge at the table; when both have,
	// the meeting is marked held without anyone touching the board.
	Arrived []string `json:"arrived,omitempty"`
}

// OutcomeResult is what a meeting led to.
type OutcomeResult string

const (
	ResultNotHeld    OutcomeResult = "not_held"
	ResultNoInterest OutcomeResult = "no_interest"
	ResultNoPlan     OutcomeResult = "no_plan"
	ResultPossible   OutcomeResult = "possible"
	ResultAgreement  OutcomeResult = "agreement"
)

// OutcomeResults lists the results in funnel order.
var OutcomeResults = []OutcomeResult{ResultNotHeld, ResultNoInterest, ResultNoPlan, ResultPossible, ResultAgreement}

// Outcome records what a meeting led to (对接成效).
type Outcome struct {
	Meeting  string        `json:"meeting"`
	Result   OutcomeResult `json:"result"`
	Intended bool          `json:"intended"` // intended cooperation
	Mode     TransferMode  `json:"mode,omitempty"`
	Signed   bool          `json:"signed"`
	Amount   float64       `json:"amount"` // 万元
	FollowUp string        `json:"followUp,omitempty"`
	NextStep string        `json:"nextStep,omitempty"`
	Notes    string        `json:"notes,omitempty"`
	Updated  string        `json:"updated,omitempty"`
	// Finance is the outcome of an industry-finance meeting (产融对接),
	// counted apart from technology transfer.
	Finance *Finance `json:"finance,omitempty"`
	// FollowUps are the calls made after the day (动态跟踪), at most one
	// per stage; kept in the outcome so the deal and its follow-up travel
	// as one record, and a re-upload updates the platform's figures.
	FollowUps []FollowUp `json:"followUps,omitempty"`
}

// FinanceKind is the kind of financing an industry-finance meeting led to.
type FinanceKind string

const (
	FinanceLoan      FinanceKind = "loan"      // 授信/贷款
	FinanceIPPledge  FinanceKind = "ip_pledge" // 知识产权质押融资
	FinanceEquity    FinanceKind = "equity"    // 股权投资
	FinanceGuarantee FinanceKind = "guarantee" // 融资担保
)

// FinanceKinds lists the kinds, in the order they are reported.
var FinanceKinds = []FinanceKind{FinanceLoan, FinanceIPPledge, FinanceEquity, FinanceGuarantee}

// FinanceKindNames are the kinds' Chinese names, as reports print them.
var FinanceKindNames = map[FinanceKind]string{
	FinanceLoan: "授信/贷款", FinanceIPPledge: "知识产权质押融资", FinanceEquity: "股权投资", FinanceGuarantee: "融资担保",
}

// Finance is what a bank, fund or guarantor and an enterprise agreed at an
// industry-finance meeting: the intended amount, and what was signed
// (a credit line granted, a pledge registered, an investment agreed).
type Finance struct {
	Kind        FinanceKind `json:"kind"`
	Institution string      `json:"institution,omitempty"`
	Intended    float64     `json:"intended,omitempty"` // 万元
	Signed      float64     `json:"signed,omitempty"`   // 万元
}

// Limits on an outcome's finance and follow-ups: a phone call's note, a
// name, an amount no deal of the action comes near (万元).
const (
	MaxAmount         = 10_000_000
	MaxFollowUpNote   = 500
	MaxFollowUpBy     = 40
	MaxInstitutionLen = 100
)

// CheckExtras checks an outcome's finance and follow-ups as every machine
// must before counting them (a hub checks a station's, the app a screen's):
// known kinds, stages and states, amounts in range, text within limits,
// at most one follow-up per stage.
func (o *Outcome) CheckExtras() error {
	if f := o.Finance; f != nil {
		if !slices.Contains(FinanceKinds, f.Kind) {
			return sayFinanceKindUnknown.Err("value", string(f.Kind))
		}
		if !inRange(f.Intended) || !inRange(f.Signed) {
			return sayAmountOutOfRange.Err("max", MaxAmount)
		}
		if utf8.RuneCountInString(f.Institution) > MaxInstitutionLen || strings.ContainsFunc(f.Institution, IsControl) {
			return sayInstitutionText.Err("max", MaxInstitutionLen)
		}
	}
	seen := map[int]bool{}
	for _, c := range o.FollowUps {
		if !slices.Contains(FollowUpStages, c.Stage) || seen[c.Stage] {
			return sayFollowUpStageBad.Err("value", c.Stage)
		}
		seen[c.Stage] = true
		if !slices.Contains(FollowUpStates, c.State) {
			return sayFollowUpStateBad.Err("value", string(c.State))
		}
		if !inRange(c.Amount) {
			return sayAmountOutOfRange.Err("max", MaxAmount)
		}
		if utf8.RuneCountInString(c.Note) > MaxFollowUpNote || utf8.RuneCountInString(c.By) > MaxFollowUpBy ||
			strings.ContainsFunc(c.By, IsControl) || strings.ContainsFunc(c.Note, func(r rune) bool { return r != '\n' && r != '\r' && r != '\t' && IsControl(r) }) {
			return sayFollowUpTextBad.Err("note", MaxFollowUpNote, "by", MaxFollowUpBy)
		}
	}
	return nil
}

// The refusals of CheckExtras, for a hub's network screen and the app.
var (
	sayFinanceKindUnknown = msg.Define("outcome.financeKind", "融资方式“{value}”不对，应为授信/贷款、知识产权质押融资、股权投资或融资担保")
	sayAmountOutOfRange   = msg.Define("outcome.amountRange", "金额应在 0 到 {max} 万元之间")
	sayInstitutionText    = msg.Define("outcome.institution", "金融机构名称最多 {max} 字，且不能含控制字符")
	sayFollowUpStageBad   = msg.Define("outcome.followUpStage", "回访节点“{value}”不对或重复，应为活动后 30、90 或 180 天各一次")
	sayFollowUpStateBad   = msg.Define("outcome.followUpState", "回访进展“{value}”不对，应为洽谈中、已签约或已终止")
	sayFollowUpTextBad    = msg.Define("outcome.followUpText", "回访记录最多 {note} 字，回访人最多 {by} 字，且不能含控制字符")
)

func inRange(amount float64) bool { return amount >= 0 && amount <= MaxAmount }

// FollowUpStages are the days after the event at which every intended
// cooperation is followed up: "有成果、转得好、持续转".
var FollowUpStages = []int{30, 90, 180}

// FollowUpState is where a deal stood at a follow-up.
type FollowUpState string

const (
	FollowUpNegotiating FollowUpState = "negotiating"
	FollowUpSigned      FollowUpState = "signed"
	FollowUpDropped     FollowUpState = "dropped"
)

// FollowUpStates lists the states, for checking input.
var FollowUpStates = []FollowUpState{FollowUpNegotiating, FollowUpSigned, FollowUpDropped}

// FollowUp is one follow-up call on an intended cooperation.
type FollowUp struct {
	Stage  int           `json:"stage"` // days after the event: 30, 90 or 180
	State  FollowUpState `json:"state"`
	Amount float64       `json:"amount,omitempty"` // 万元, when signed
	Note   string        `json:"note,omitempty"`
	By     string        `json:"by,omitempty"` // who made the call
	At     string        `json:"at"`           // when it was recorded
}

// Closed reports whether the deal needs no more follow-ups: signed at the
// event, or signed or dropped at a follow-up.
func (o *Outcome) Closed() bool {
	if o.Signed {
		return true
	}
	for _, f := range o.FollowUps {
		if f.State == FollowUpSigned || f.State == FollowUpDropped {
			return true
		}
	}
	return false
}

// SignedStage is when the deal was signed: 0 at the event, a stage's days
// at a follow-up, -1 if not (yet).
func (o *Outcome) SignedStage() int {
	best := -1
	for _, f := range o.FollowUps {
		if f.State == FollowUpSigned && (best < 0 || f.Stage < best) {
			best = f.Stage
		}
	}
	if o.Signed && best < 0 {
		return 0
	}
	return best
}

// ExpiryTime is when unanswered requests lapse, or zero if never.
func (s *MatchSession) ExpiryTime() time.Time {
	at := s.RequestDeadline
	if at == "" && len(s.Slots) > 0 {
		at = s.Slots[0].Start
	}
	t, err := time.Parse(time.RFC3339, at)
	if err != nil {
		return time.Time{}
	}
	return t
}

// RequestsExpired reports whether unanswered requests have expired at now.
func (s *MatchSession) RequestsExpired(now time.Time) bool {
	deadline := s.ExpiryTime()
	return !deadline.IsZero() && !now.Before(deadline)
}

// Counterpart is the other person of a meeting, seen from id.
func (m Meeting) Counterpart(id string) string {
	if m.To == id {
		return m.From
	}
	return m.To
}
