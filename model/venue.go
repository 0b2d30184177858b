package model

// Lead is a visitor an exhibitor scanned at the booth. One per exhibitor
// and visitor: scanning again updates the note and rating.
type Lead struct {
	Exhibitor   string `json:"exhibitor"`
	Participant string `json:"participant"`
	Name        string `json:"name"`
	Org         string `json:"org"`
	Title       string `json:"title,omitempty"`
	Role        string `json:"role,omitempty"`
	// Mobile only when the visitor agreed to share contact details.
	Mobile  string `json:"mobile,omitempty"`
	Note    string `json:"note,omitempty"`
	Rating  int    `json:"rating"`
	First   string `json:"first"`
	Updated string `json:"updated"`
}

// ProposalStatus is where a station's proposed move stands.
type ProposalStatus string

const (
	ProposalProposed ProposalStatus = "proposed"
	ProposalApplied  ProposalStatus = "applied"
	ProposalRefused  ProposalStatus = "refused"
)

// ProposalStatuses lists every proposal status.
var ProposalStatuses = []ProposalStatus{ProposalProposed, ProposalApplied, ProposalRefused}

// Proposal is a station's wish to move a meeting; the hub applies it when
// it breaks no rule and otherwise refuses it with the reason.
type Proposal struct {
	ID      string         `json:"id"`
	Meeting string         `json:"meeting"`
	Slot    string         `json:"slot"`
	Table   string         `json:"table"`
	By      string         `json:"by"`
	Status  ProposalStatus `json:"status"`
	Reason  string         `json:"reason,omitempty"`
}
