package model

import (
	"strconv"

	"github.com/fuzhi/eventdesk/internal/jsonshape"
)

// AppendJSON appends p as json.Marshal writes it, byte for byte, and
// reports true; for a person with a text encoding/json would escape (a
// quote, a control character, <, > or &…) it appends nothing and reports
// false, and the caller uses json.Marshal. Every write of a person is
// encoded once for the log: by reflection that was a sixth of a small
// import's CPU. TestParticipantJSONIsJSONMarshal keeps the two equal; a
// field added to Participant must be added here (the test fills every
// field by reflection and fails otherwise).
func (p *Participant) AppendJSON(dst []byte) ([]byte, bool) {
	b := dst
	ok := true
	str := func(prefix, s string, always bool) {
		if !ok || (s == "" && !always) {
			return
		}
		b = append(b, prefix...)
		b, ok = jsonshape.AppendString(b, s)
	}
	str(`{"id":`, p.ID, true)
	str(`,"name":`, p.Name, true)
	str(`,"org":`, p.Org, true)
	str(`,"orgId":`, p.OrgID, false)
	str(`,"title":`, p.Title, false)
	str(`,"mobile":`, p.Mobile, false)
	str(`,"email":`, p.Email, false)
	str(`,"role":`, string(p.Role), false)
	str(`,"tier":`, string(p.Tier), false)
	str(`,"category":`, string(p.Category), false)
	str(`,"creditCode":`, p.CreditCode, false)
	str(`,"chain":`, p.Chain, false)
	str(`,"note":`, p.Note, false)
	if p.Consent {
		b = append(b, `,"consent":true`...)
	}
	str(`,"source":`, p.Source, false)
	str(`,"updated":`, p.Updated, false)
	if !ok {
		return dst, false
	}
	if p.BadgeVersion != 0 {
		b = append(b, `,"badgeVersion":`...)
		b = strconv.AppendInt(b, int64(p.BadgeVersion), 10)
	}
	if p.BadgePrinted != 0 {
		b = append(b, `,"badgePrinted":`...)
		b = strconv.AppendInt(b, int64(p.BadgePrinted), 10)
	}
	return append(b, '}'), true
}
