package app

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// listQueries are what an organizer types into the participant list's
// filter: a surname, a name, part of an organization (one every 5,000
// people hold, one that everyone's holds), digits of a mobile (13 is in
// every one), part of an e-mail, a title; the empty filter pages everyone.
var listQueries = []string{"张", "王芳", "第42", "精工科技", "5678", "13", "u1234@", "mail7.", "投资经理", ""}

// BenchmarkListFilter200k is one keystroke in the participant list's filter
// at 200,000 people (20,000 with -short): the matches counted and the first
// page of 50 returned, in order. Each round first edits one person, so the
// list is also timed right after a change. Before the timed rounds it
// imports 1,000 more people and times the first page after that.
//
// The reference, in the same run, is what the list did before: a
// lower-cased text per person prepared in advance, and a strings.Contains
// over all of them in the list's order for each query.
func BenchmarkListFilter200k(b *testing.B) {
	svc, ws, ppl := searchFixture(b)
	roster := ws.roster
	heapBefore := liveHeap()
	roster.textIndex()
	roster.all()
	indexMB := float64(liveHeap()-heapBefore) / 1e6

	more := registrationCSV(b, 1_000)
	if _, err := svc.Roster.Import(ImportRequest{FileName: "more.csv", Data: more}); err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	page, err := svc.Roster.List(ParticipantQuery{Text: "精工", Limit: 50})
	afterImport := time.Since(t0)
	if err != nil || page.Total != len(ppl)+1_000 {
		b.Fatalf("after the import 精工 matched %d of %d: %v", page.Total, len(ppl)+1_000, err)
	}

	entries := roster.all()
	hay := make([]string, len(entries))
	for i, e := range entries {
		hay[i] = strings.ToLower(strings.Join([]string{e.p.Name, e.p.Org, e.p.Mobile, e.p.Title, e.p.Email}, "\x00"))
	}
	scan := func(q string) (int, time.Duration) {
		t0 := time.Now()
		total, items := 0, 0
		for i := range hay {
			if q == "" || strings.Contains(hay[i], q) {
				if items < 50 {
					items++
				}
				total++
			}
		}
		return total, time.Since(t0)
	}

	var took, ref []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		p := ppl[(i*7919)%len(ppl)]
		p.Name = fmt.Sprintf("改名%d", i)
		if _, err := svc.Roster.Save(p); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for _, q := range listQueries {
			t0 := time.Now()
			page, err := svc.Roster.List(ParticipantQuery{Text: q, Limit: 50})
			took = append(took, time.Since(t0))
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			want, d := scan(q)
			ref = append(ref, d)
			// The reference reads the texts as they were before this run's
			// renames; the renamed hold none of the queries but 张 or 王芳.
			if q != "张" && q != "王芳" && page.Total != want {
				b.Fatalf("%q: the list counts %d, a scan %d", q, page.Total, want)
			}
			b.StartTimer()
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(percentile(took, 0.5).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(took, 0.99).Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(percentile(ref, 0.5).Microseconds())/1000, "ref-scan-p50-ms")
	b.ReportMetric(float64(percentile(ref, 0.99).Microseconds())/1000, "ref-scan-p99-ms")
	b.ReportMetric(float64(afterImport.Microseconds())/1000, "after-import-ms")
	b.ReportMetric(indexMB, "index-and-order-MB")
}

// liveHeap is the heap in use after a collection. A background build that
// is still running when this is read makes the figure larger, never smaller.
func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
