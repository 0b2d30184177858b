// Package figures is the arithmetic of the live dashboard and the
// post-event summary: plain functions from lists to counts, with no store,
// no lock and no clock, so every figure the organizer reports can be
// checked in a table test.
package figures

import (
	"math"
	"sort"
	"time"

	"github.com/fuzhi/eventdesk/model"
)

// Dashboard is the live arrival picture for the projector.
type Dashboard struct {
	Expected  int             `json:"expected"`
	Arrived   int             `json:"arrived"`
	WalkIns   int             `json:"walkIns"`
	Scans     int             `json:"scans"`
	Repeats   int             `json:"repeats"`
	ByRole    []RoleArrival   `json:"byRole"`
	ByQuarter []BucketCount   `json:"byQuarter"` // 15-minute buckets
	ByDesk    []BucketCount   `json:"byDesk"`
	Recent    []RecentArrival `json:"recent"`
	Updated   string          `json:"updated"`
}

// RoleArrival is arrived versus expected for one role.
type RoleArrival struct {
	Role     string `json:"role"`
	Label    string `json:"label"`
	Expected int    `json:"expected"`
	Arrived  int    `json:"arrived"`
}

// BucketCount is one bar of a chart.
type BucketCount struct {
	Label string `json:"label"`
	Count int    `json:"count"`
}

// RecentArrival is one line of the "just arrived" list.
type RecentArrival struct {
	Name string `json:"name"`
	Org  string `json:"org"`
	At   string `json:"at"`
	Desk string `json:"desk"`
}

// Attendee is one registered person as the dashboard counts them.
type Attendee struct {
	ID      string // keeps the "just arrived" order the same on every machine when two came in the same second
	Role    model.Role
	Name    string
	Org     string
	WalkIn  bool
	Scans   int // every scan, undone ones included
	Repeats int // scans that still count, after the first
	// Arrived is when and where the first scan that counts was made;
	// empty At means not arrived.
	At, Desk string
}

// unclassified labels people with no role, or one this build does not know.
const unclassified = "未分类"

// roleLabel is a role's name on the dashboard.
func roleLabel(r model.Role) string {
	if l := model.RoleLabel[r]; l != "" {
		return l
	}
	return unclassified
}

// RecentShown is how many arrivals the "just arrived" list keeps.
const RecentShown = 12

// Arrivals counts arrivals by role, quarter hour and desk.
func Arrivals(people []Attendee, updated string) Dashboard {
	d := Dashboard{Updated: updated, Recent: []RecentArrival{}, ByRole: []RoleArrival{}}
	order := append(append([]model.Role{}, model.Roles...), "")
	roles := map[model.Role]*RoleArrival{}
	for _, r := range order {
		roles[r] = &RoleArrival{Role: string(r), Label: roleLabel(r)}
	}
	quarters, desks := map[string]int{}, map[string]int{}
	var recent []Attendee
	for _, p := range people {
		ra := roles[knownRole(p.Role)]
		ra.Expected++
		d.Expected++
		d.Scans += p.Scans
		if p.At == "" {
			continue
		}
		d.Arrived++
		ra.Arrived++
		if p.WalkIn {
			d.WalkIns++
		}
		d.Repeats += p.Repeats
		if q, ok := quarterOf(p.At); ok {
			quarters[q]++
		}
		desks[p.Desk]++
		recent = append(recent, p)
	}
	for _, r := range order {
		if ra := roles[r]; ra.Expected > 0 {
			d.ByRole = append(d.ByRole, *ra)
		}
	}
	d.ByQuarter = SortedBuckets(quarters)
	d.ByDesk = SortedBuckets(desks)
	sort.SliceStable(recent, func(i, j int) bool { return laterArrival(recent[i], recent[j]) })
	if len(recent) > RecentShown {
		recent = recent[:RecentShown]
	}
	for _, p := range recent {
		d.Recent = append(d.Recent, RecentArrival{Name: p.Name, Org: p.Org, At: p.At, Desk: p.Desk})
	}
	return d
}

// laterArrival orders the "just arrived" list: the latest first, by the
// instant (a desk's clock and an imported scan may write the same moment
// in different zones), and people who came in the same second by id.
func laterArrival(a, b Attendee) bool {
	return arrivalKeyOf(a).later(arrivalKeyOf(b))
}

// arrivalKey is what laterArrival compares, parsed once.
type arrivalKey struct {
	when int64 // Unix nanoseconds; unreadable times sort first
	at   string
	id   string
}

func arrivalKeyOf(a Attendee) arrivalKey {
	k := arrivalKey{when: math.MinInt64, at: a.At, id: a.ID}
	if t, err := time.Parse(time.RFC3339, a.At); err == nil {
		k.when = t.UnixNano()
	}
	return k
}

func (k arrivalKey) later(o arrivalKey) bool {
	switch {
	case k.when != o.when:
		return k.when > o.when
	case k.at != o.at:
		return k.at > o.at
	}
	return k.id < o.id
}

// quarterOf is the dashboard bar an arrival time falls in ("09:15"), in
// the venue's time.
func quarterOf(at string) (string, bool) {
	t, err := time.Parse(time.RFC3339, at)
	if err != nil {
		return "", false
	}
	return t.In(model.VenueZone).Truncate(15 * time.Minute).Format("15:04"), true
}

// SortedBuckets turns counts into bars in label order.
func SortedBuckets(m map[string]int) []BucketCount {
	out := make([]BucketCount, 0, len(m))
	for k, v := range m {
		out = append(out, BucketCount{Label: k, Count: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Label < out[j].Label })
	return out
}

// ByHour folds quarter-hour buckets ("09:15") into hours ("09:00").
func ByHour(quarters []BucketCount) []BucketCount {
	hours := map[string]int{}
	for _, q := range quarters {
		if len(q.Label) >= 2 {
			hours[q.Label[:2]+":00"] += q.Count
		}
	}
	return SortedBuckets(hours)
}
