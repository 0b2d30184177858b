package app

import (
	"fmt"
	"testing"
)

// TestLongBadgeRunsSayHowFarTheyAre: a run of hundreds of badges reports its
// pages as it draws them, ending at the total; a short one says nothing.
func TestLongBadgeRunsSayHowFarTheyAre(t *testing.T) {
	svc, _, em := newTestServices(t)
	createEvent(t, svc)
	if _, err := svc.Roster.Import(ImportRequest{FileName: "报名.csv", Data: sample(t, "participants-gbk.csv")}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Badge.Print(BadgeRequest{Layout: "label60x40"}); err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(em.progress)
	if got != "[{100 188} {188 188}]" {
		t.Fatalf("progress of 188 badges: %s", got)
	}
	em.progress = nil
	page, _ := svc.Roster.List(ParticipantQuery{Limit: 3})
	if _, err := svc.Badge.Print(BadgeRequest{IDs: []string{page.Items[0].ID, page.Items[1].ID}}); err != nil {
		t.Fatal(err)
	}
	if len(em.progress) != 0 {
		t.Fatalf("two badges reported progress: %v", em.progress)
	}
}
