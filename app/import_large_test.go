package app

import (
	"fmt"
	"path/filepath"
	"runtime/debug"
	"testing"

	"github.com/fuzhi/eventdesk/store"
)

// A file of more rows than one batch is written in batches to a copy of the
// event that takes its place: every person is there, the list, the desk's
// search and the organizations know them at once, the file opens again with
// all of them, and importing the same file again changes nothing.
func TestALargeImportLandsWhole(t *testing.T) {
	svc, ws, _ := newTestServices(t)
	info := createEvent(t, svc)
	n := store.InPlaceLimit + 321
	data := registrationCSV(t, n)
	sum, err := svc.Roster.Import(ImportRequest{FileName: "报名表.csv", Data: data})
	if err != nil || sum.Imported != n || len(sum.Rejected) != 0 {
		t.Fatalf("imported %+v: %v", sum, err)
	}
	page, err := svc.Roster.List(ParticipantQuery{Limit: 10})
	if err != nil || page.Total != n {
		t.Fatalf("the list holds %d of %d: %v", page.Total, n, err)
	}
	last := fmt.Sprintf("参会人%06d", n)
	hits, err := svc.Checkin.Search(last, 5)
	if err != nil || len(hits) != 1 || hits[0].Participant.Name != last {
		t.Fatalf("the desk's search for %s: %+v %v", last, hits, err)
	}
	ids := map[string]bool{}
	for off := 0; off < n; off += 1000 {
		page, _ := svc.Roster.List(ParticipantQuery{Offset: off, Limit: 1000})
		for _, p := range page.Items {
			ids[p.ID] = true
		}
	}
	if len(ids) != n {
		t.Fatalf("%d distinct ids for %d people", len(ids), n)
	}
	st, _, _ := ws.open()
	if orgs, _ := store.Orgs.Count(st); orgs != n {
		t.Fatalf("%d organizations, want one per credit code (%d)", orgs, n)
	}
	again, err := svc.Roster.Import(ImportRequest{FileName: "报名表.csv", Data: data})
	if err != nil || again.Imported != 0 || again.Unchanged != n {
		t.Fatalf("the same file again: %+v %v", again, err)
	}
	if err := ws.CloseEvent(); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.OpenFile(info.Path); err != nil {
		t.Fatal(err)
	}
	if page, _ := svc.Roster.List(ParticipantQuery{Limit: 1}); page.Total != n {
		t.Fatalf("after reopening: %d people", page.Total)
	}
	if left, _ := filepath.Glob(info.Path + ".*"); len(left) != 0 {
		t.Fatalf("files left beside the event: %v", left)
	}
}

// An import runs under a memory ceiling and gives it back: after a good
// file and after a refused one, the process's limit is the one before.
func TestImportPutsBackTheMemoryLimit(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	svc, _, _ := newTestServices(t)
	createEvent(t, svc)
	before := debug.SetMemoryLimit(-1)
	if _, err := svc.Roster.Import(ImportRequest{FileName: "a.csv", Data: registrationCSV(t, 50)}); err != nil {
		t.Fatal(err)
	}
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Fatalf("limit after an import: %d, was %d", got, before)
	}
	if _, err := svc.Roster.Import(ImportRequest{FileName: "a.csv", Data: []byte("%PDF-1.4\n")}); err == nil {
		t.Fatal("a PDF was imported")
	}
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Fatalf("limit after a refused file: %d, was %d", got, before)
	}
}
