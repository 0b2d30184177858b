package model

import "time"

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
	// FollowUps are the calls made after the day (动态跟踪), at most one
	// per stage; kept in the outcome so the deal and its follow-up travel
	// as one record, and a re-upload updates the platform's figures.
	FollowUps []FollowUp `json:"followUps,omitempty"`
}

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
