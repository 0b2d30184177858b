package model

import (
	"strings"
	"time"
)

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

// ParseDay reads a calendar day as sheets write it (2026-06-30, 2026/6/30,
// 2026.6.30, 2026年6月30日) and gives it as YYYY-MM-DD.
func ParseDay(s string) (string, bool) {
	s = strings.TrimSpace(s)
	s = strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-").Replace(s)
	t, err := time.Parse("2006-1-2", s)
	if err != nil {
		return "", false
	}
	return t.Format("2006-01-02"), true
}
