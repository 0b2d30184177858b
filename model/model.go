// Package model holds the domain words of DESIGN.md as Go types. It does no
// I/O so every other package (store, importer, services) can share it.
package model

import (
	"strings"
)

// Role is what a participant comes to the event as.
type Role string

const (
	RoleSME        Role = "sme"
	RoleUniversity Role = "university"
	RoleInstitute  Role = "institute"
	RoleEnterprise Role = "enterprise"
	RoleInvestor   Role = "investor"
	RoleService    Role = "service"
	RoleGovernment Role = "government"
	RoleMedia      Role = "media"
)

// Roles lists every role in display order.
var Roles = []Role{RoleSME, RoleUniversity, RoleInstitute, RoleEnterprise, RoleInvestor, RoleService, RoleGovernment, RoleMedia}

// RoleLabel is the Chinese name printed on badges and shown in lists.
var RoleLabel = map[Role]string{
	RoleSME:        "中小企业",
	RoleUniversity: "高校",
	RoleInstitute:  "科研院所",
	RoleEnterprise: "大企业",
	RoleInvestor:   "投资/金融机构",
	RoleService:    "服务机构",
	RoleGovernment: "政府",
	RoleMedia:      "媒体",
}

// roleWords maps what organizers actually type in a 参会类型 column.
var roleWords = map[string]Role{
	"中小企业": RoleSME, "企业": RoleSME, "sme": RoleSME, "专精特新": RoleSME, "小巨人": RoleSME,
	"高校": RoleUniversity, "大学": RoleUniversity, "university": RoleUniversity,
	"科研院所": RoleInstitute, "科研机构": RoleInstitute, "研究院": RoleInstitute, "研究所": RoleInstitute, "institute": RoleInstitute,
	"大企业": RoleEnterprise, "大型企业": RoleEnterprise, "龙头企业": RoleEnterprise, "链主企业": RoleEnterprise, "enterprise": RoleEnterprise,
	"投资机构": RoleInvestor, "金融机构": RoleInvestor, "投资/金融机构": RoleInvestor, "投资": RoleInvestor, "金融": RoleInvestor, "银行": RoleInvestor, "investor": RoleInvestor,
	"服务机构": RoleService, "中介机构": RoleService, "技术转移机构": RoleService, "service": RoleService,
	"政府": RoleGovernment, "政府部门": RoleGovernment, "主管部门": RoleGovernment, "government": RoleGovernment,
	"媒体": RoleMedia, "记者": RoleMedia, "media": RoleMedia,
}

// ParseRole understands the Chinese and English words for a role. Unknown
// words give "" and false: the importer keeps the row and leaves role unset
// rather than reject a person for a spreadsheet's wording.
func ParseRole(s string) (Role, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", false
	}
	if r, ok := roleWords[s]; ok {
		return r, true
	}
	for _, r := range Roles {
		if string(r) == s || RoleLabel[r] == s {
			return r, true
		}
	}
	return "", false
}

// Tier is an SME's recognised level.
type Tier string

const (
	TierLittleGiant    Tier = "little_giant"
	TierProvincialSRDI Tier = "provincial_srdi"
	TierInnovative     Tier = "innovative"
)

// TransferMode is how an achievement changes hands.
type TransferMode string

const (
	TransferAssignment TransferMode = "assignment"
	TransferLicense    TransferMode = "license"
	TransferEquity     TransferMode = "equity"
	TransferJointDev   TransferMode = "joint_dev"
	TransferService    TransferMode = "service"
	// TransferOpenLicense is 开放许可: the owner publishes a licence anyone may
	// take on stated terms, a mode the national action names on its own.
	TransferOpenLicense TransferMode = "open_license"
)

// Tiers lists the recognised levels ("" for none).
var Tiers = []Tier{"", TierLittleGiant, TierProvincialSRDI, TierInnovative}

// TierReportOrder lists the levels as reports print them: the recognised
// ones, then none.
var TierReportOrder = []Tier{TierLittleGiant, TierProvincialSRDI, TierInnovative, ""}

// ServedFirm is the key an SME is counted under among the enterprises
// served: its organization, so that its people count once, or the person
// when the registration named no organization.
func ServedFirm(orgID, personID string) string {
	if orgID == "" {
		return "P:" + personID
	}
	return orgID
}

// TierNames are the levels' Chinese names, as reports print them.
var TierNames = map[Tier]string{
	"": "未认定", TierLittleGiant: "专精特新“小巨人”", TierProvincialSRDI: "省级专精特新", TierInnovative: "创新型中小企业",
}

// ParseTier reads a registration sheet's level: 国家级专精特新“小巨人”,
// 省级专精特新, 创新型中小企业 and their usual short forms; "否", "无" and
// an empty cell are no level. ok is false for a word it does not know.
func ParseTier(s string) (t Tier, ok bool) {
	w := strings.ToLower(strings.Join(strings.Fields(s), ""))
	switch {
	case w == "" || w == "否" || w == "无" || w == "/" || w == "-" || w == "none":
		return "", true
	case strings.Contains(w, "小巨人") || w == "little_giant":
		return TierLittleGiant, true
	case strings.Contains(w, "专精特新") || w == "provincial_srdi":
		return TierProvincialSRDI, true
	case strings.Contains(w, "创新型") || w == "innovative":
		return TierInnovative, true
	}
	return "", false
}

// TransferModes lists the transfer modes, in the order they are reported.
var TransferModes = []TransferMode{TransferAssignment, TransferLicense, TransferEquity, TransferJointDev, TransferService, TransferOpenLicense}

// TransferModeNames are the modes' Chinese names, as reports, sheets and
// the platform's page print them.
var TransferModeNames = map[TransferMode]string{
	TransferAssignment: "转让", TransferLicense: "许可", TransferEquity: "作价入股",
	TransferJointDev: "合作开发", TransferService: "技术服务", TransferOpenLicense: "开放许可",
}

// Formats an event can have: the kinds of session its programme can hold
// (model.SessionKinds), so the platform counts both alike.
var Formats = func() []string {
	out := make([]string, len(SessionKinds))
	for i, k := range SessionKinds {
		out[i] = string(k)
	}
	return out
}()

// Event is one 深度行 activity; one bbolt file holds one event.
type Event struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	StartDate string `json:"startDate"` // YYYY-MM-DD, the venue's local date
	EndDate   string `json:"endDate"`
	Venue     string `json:"venue"`
	Province  string `json:"province"`
	City      string `json:"city"`
	// ProvinceCode and CityCode are the GB/T 2260 codes of Province and
	// City (model/dict), empty when the dictionary does not know the name.
	ProvinceCode string   `json:"provinceCode,omitempty"`
	CityCode     string   `json:"cityCode,omitempty"`
	Organizer    string   `json:"organizer"`
	Chains       []string `json:"chains"`
	Formats      []string `json:"formats"`
	Demo         bool     `json:"demo,omitempty"`
	CreatedAt    string   `json:"createdAt"`
	// Logo is the organizer's mark printed on badges: a PNG or JPEG of at
	// most MaxLogoBytes, checked when it is set.
	Logo []byte `json:"logo,omitempty"`
}

// MaxLogoBytes bounds the event logo: it travels in every event op.
const MaxLogoBytes = 256 << 10

// Participant is one person registered for the event.
type Participant struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Org    string `json:"org"`
	OrgID  string `json:"orgId,omitempty"`
	Title  string `json:"title,omitempty"`
	Mobile string `json:"mobile,omitempty"` // 11 ASCII digits
	Email  string `json:"email,omitempty"`
	Role   Role   `json:"role,omitempty"`
	Tier   Tier   `json:"tier,omitempty"`
	// Category is the band on the badge (嘉宾, 代表, 媒体, 工作人员); empty
	// means the one that follows from the role (see BadgeCategory).
	Category   Category `json:"category,omitempty"`
	CreditCode string   `json:"creditCode,omitempty"`
	Chain      string   `json:"chain,omitempty"`
	Note       string   `json:"note,omitempty"`
	// Consent records that the person agreed their phone and e-mail may be
	// passed to the national platform; without it they stay on the hub.
	Consent bool   `json:"consent,omitempty"`
	Source  string `json:"source,omitempty"` // import, manual, walkin, demo
	Updated string `json:"updated,omitempty"`
	// BadgeVersion is the version printed into the current badge code (0
	// means 1); reprinting bumps it and the older badge then scans as revoked.
	BadgeVersion int `json:"badgeVersion,omitempty"`
	// BadgePrinted is the badge version last printed; 0 = never printed.
	BadgePrinted int `json:"badgePrinted,omitempty"`
}

// CurrentBadgeVersion is the version a valid badge must carry.
func (p *Participant) CurrentBadgeVersion() int {
	if p.BadgeVersion < 1 {
		return 1
	}
	return p.BadgeVersion
}

// DedupKey identifies "the same person" across rows and re-imports: the same
// name with the same mobile, or, without a mobile, the same name at the same
// organization. Mobile is preferred because organizers fix typos in company
// names between exports but a person keeps their phone.
func (p *Participant) DedupKey() string {
	name := strings.ToLower(strings.Join(strings.Fields(p.Name), ""))
	if p.Mobile != "" {
		return "m|" + name + "|" + p.Mobile
	}
	return "o|" + name + "|" + strings.ToLower(strings.Join(strings.Fields(p.Org), ""))
}

// Org is a participating organization.
type Org struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	CreditCode string `json:"creditCode,omitempty"`
	Role       Role   `json:"role,omitempty"`
	Tier       Tier   `json:"tier,omitempty"`
	Chain      string `json:"chain,omitempty"`
}

// Achievement is a research result offered for transfer (成果).
type Achievement struct {
	ID            string         `json:"id"`
	Title         string         `json:"title"`
	Owner         string         `json:"owner"`
	OwnerID       string         `json:"ownerId,omitempty"` // participant who presents it
	Chain         string         `json:"chain"`
	Keywords      []string       `json:"keywords"`
	TRL           int            `json:"trl"` // 1–9, GB/T 22900
	Patents       int            `json:"patents"`
	TransferModes []TransferMode `json:"transferModes"`
	AskingPrice   float64        `json:"askingPrice"` // 万元
	Summary       string         `json:"summary,omitempty"`
}

// Demand is an SME's technology need (需求); Challenge marks a public 发榜.
type Demand struct {
	ID          string  `json:"id"`
	Title       string  `json:"title"`
	SME         string  `json:"sme"`
	SMEID       string  `json:"smeId,omitempty"`
	Description string  `json:"description"`
	Chain       string  `json:"chain"`
	Budget      float64 `json:"budget"` // 万元
	Challenge   bool    `json:"challenge,omitempty"`
	// Deadline (YYYY-MM-DD) is the last day a challenge takes responses;
	// empty means it stays open.
	Deadline string `json:"deadline,omitempty"`
}

// ChainMapping is the organizer's word on how a chain as typed maps to the
// national dictionary (model/dict): Code empty means "none of them".
type ChainMapping struct {
	Text string `json:"text"`
	Code string `json:"code"`
}

// ChallengeResponse is a 揭榜: a university, institute or firm answers an
// SME's public challenge with a short proposal. One per responder and
// challenge (a second is a correction); it also asks for a meeting with
// the SME (Request).
type ChallengeResponse struct {
	ID        string `json:"id"`
	Demand    string `json:"demand"`
	Responder string `json:"responder"` // participant
	Proposal  string `json:"proposal"`
	Created   string `json:"created"`
	Updated   string `json:"updated,omitempty"`
	// Request is the meeting request to the SME it made, when the SME's
	// contact is on the roster.
	Request string `json:"request,omitempty"`
}

// MaxProposal bounds a 揭榜 proposal: a paragraph, not a document.
const MaxProposal = 500

// ChallengeResponseID is one responder's response to one challenge, so a
// second desk or a station offline writes the same record.
func ChallengeResponseID(demand, responder string) string { return "J" + demand + "-" + responder }

// ChallengeRequestID is the meeting request a response asks for: one per
// responder and challenge, like the response.
func ChallengeRequestID(demand, responder string) string { return "JB" + demand + "-" + responder }
