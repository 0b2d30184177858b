package app

import (
	"strings"
	"testing"

	"github.com/fuzhi/eventdesk/model"
)

// TestDraftShowsWhatPublishingChanges: a draft can be looked at before it
// is published — the whole schedule with names, each meeting marked new,
// moved or unchanged, and the published meetings it would drop — and it
// changes nothing until published.
func TestDraftShowsWhatPublishingChanges(t *testing.T) {
	svc, smes, unis := matchFixture(t)
	if _, err := svc.Match.SetupSession(SessionInput{Start: "2026-05-20 14:00", SlotMinutes: 20, Slots: 6, Tables: 8, MaxMeetings: 4}); err != nil {
		t.Fatal(err)
	}
	var reqs []*model.MeetingRequest
	for i, sme := range smes[:20] {
		for k := 0; k < 2; k++ {
			r, err := svc.Request.Create(sme.ID, unis[(i+k)%len(unis)].ID, "want", "技术合作", true)
			if err != nil {
				t.Fatal(err)
			}
			reqs = append(reqs, r)
		}
	}
	if d, _ := svc.Match.Draft(); d != nil {
		t.Fatal("a draft before scheduling")
	}
	first, err := svc.Match.ScheduleAll(1)
	if err != nil {
		t.Fatal(err)
	}
	if first.Added != len(first.Meetings) || first.Moved+first.Removed+first.Same != 0 || first.Added != len(reqs) {
		t.Fatalf("first draft: %d meetings, +%d ~%d -%d =%d", len(first.Meetings), first.Added, first.Moved, first.Removed, first.Same)
	}
	for _, m := range first.Meetings {
		if m.Draft != DraftNew || m.FromName == "" || m.ToName == "" || len(m.Conflicts) > 0 {
			t.Fatalf("draft meeting: %+v", m)
		}
	}
	if d, _ := svc.Match.Draft(); d != first {
		t.Fatal("Draft() does not give the pending draft")
	}
	if got, _ := svc.Match.Meetings(); len(got) != 0 {
		t.Fatal("the draft changed the schedule")
	}
	if _, err := svc.Match.Publish(); err != nil {
		t.Fatal(err)
	}
	if d, _ := svc.Match.Draft(); d != nil {
		t.Fatal("the draft is still pending after publishing")
	}
	published, _ := svc.Match.Meetings()

	// Lock one meeting, decline another pair's request, and schedule again.
	locked := published[0]
	if err := svc.Match.LockMeeting(locked.ID, true); err != nil {
		t.Fatal(err)
	}
	declined := published[len(published)-1]
	if err := svc.Request.SetStatus(declined.Request, model.RequestDeclined); err != nil {
		t.Fatal(err)
	}
	second, err := svc.Match.ScheduleAll(1)
	if err != nil {
		t.Fatal(err)
	}
	if second.Removed != 1 || second.Added != 0 || second.Added+second.Moved+second.Same != len(second.Meetings) || len(second.Meetings) != len(published)-1 {
		t.Fatalf("second draft: %d meetings, +%d ~%d -%d =%d", len(second.Meetings), second.Added, second.Moved, second.Removed, second.Same)
	}
	before := map[string]MeetingView{}
	for _, m := range published {
		before[m.Request] = m
	}
	for _, m := range second.Meetings {
		was := before[m.Request]
		same := was.Slot == m.Slot && was.Table == m.Table
		if (m.Draft == DraftSame) != same || m.Draft == DraftNew {
			t.Fatalf("meeting %s marked %q; was %s/%s, now %s/%s", m.ID, m.Draft, was.Slot, was.Table, m.Slot, m.Table)
		}
		if m.Request == declined.Request {
			t.Fatal("the declined pair is still in the draft")
		}
	}
	if got, _ := svc.Match.Meetings(); len(got) != len(published) {
		t.Fatal("the second draft changed the schedule")
	}

	// Changing the session forgets the draft: it was computed for the old slots.
	if _, err := svc.Match.SetupSession(SessionInput{Start: "2026-05-20 15:00", SlotMinutes: 20, Slots: 6, Tables: 8, MaxMeetings: 4}); err != nil {
		t.Fatal(err)
	}
	if d, _ := svc.Match.Draft(); d != nil {
		t.Fatal("a draft for the old session is still pending")
	}
	if _, err := svc.Match.Publish(); err == nil || !strings.Contains(err.Error(), "一键排程") {
		t.Fatalf("publishing a forgotten draft: %v", err)
	}

	// A draft is discarded without a trace, and belongs to its event only.
	if _, err := svc.Match.ScheduleAll(1); err != nil {
		t.Fatal(err)
	}
	if err := svc.Match.DiscardDraft(); err != nil {
		t.Fatal(err)
	}
	if d, _ := svc.Match.Draft(); d != nil {
		t.Fatal("discarded draft still pending")
	}
	if _, err := svc.Match.ScheduleAll(1); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Event.Create(EventInput{Name: "另一场活动", StartDate: "2026-06-01"}); err != nil {
		t.Fatal(err)
	}
	if d, _ := svc.Match.Draft(); d != nil {
		t.Fatal("another event sees the first event's draft")
	}
	if _, err := svc.Match.Publish(); err == nil {
		t.Fatal("another event published the first event's draft")
	}
}
