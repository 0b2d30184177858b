package model

import "time"

// VenueZone is the clock every event runs on: China Standard Time, with no
// daylight saving. Times are stored as RFC 3339 in whatever zone the laptop
// that wrote them had; screens, sheets and messages show them on this clock,
// so a hub in UTC and a desk in Beijing agree on "09:07".
var VenueZone = time.FixedZone("CST", 8*3600)

// VenueTime formats an RFC 3339 time on the venue's clock with layout, or
// returns the text as it is when it is not a time.
func VenueTime(rfc3339, layout string) string {
	t, err := time.Parse(time.RFC3339, rfc3339)
	if err != nil {
		return rfc3339
	}
	return t.In(VenueZone).Format(layout)
}
