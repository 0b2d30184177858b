package model

import "github.com/fuzhi/eventdesk/internal/jsonshape"

// AppendJSON appends o as json.Marshal writes it and reports true, or
// appends nothing and reports false for an organization with a text
// encoding/json would escape (the caller then uses json.Marshal). An
// import writes each organization its people name (4,000 for the
// benchmark's 10,000 rows); by reflection they cost that import 3 % of its
// CPU. TestOrgJSONIsJSONMarshal keeps the two equal, and fails for a field
// added to Org and not here.
func (o *Org) AppendJSON(dst []byte) ([]byte, bool) {
	b := dst
	ok := true
	str := func(prefix, s string, always bool) {
		if !ok || (s == "" && !always) {
			return
		}
		b = append(b, prefix...)
		b, ok = jsonshape.AppendString(b, s)
	}
	str(`{"id":`, o.ID, true)
	str(`,"name":`, o.Name, true)
	str(`,"creditCode":`, o.CreditCode, false)
	str(`,"role":`, string(o.Role), false)
	str(`,"tier":`, string(o.Tier), false)
	str(`,"chain":`, o.Chain, false)
	if !ok {
		return dst, false
	}
	return append(b, '}'), true
}
