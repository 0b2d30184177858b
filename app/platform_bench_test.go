package app

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/fuzhi/eventdesk/internal/memtest"
	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/platform"
	"github.com/fuzhi/eventdesk/sync/platform/server"
	"github.com/fuzhi/eventdesk/sync/wire"
)

// uploadFixture is the practice event grown to n ops with scans, a fresh
// platform database and the reference server in front of it, and the
// event configured to upload there.
func uploadFixture(b *testing.B, n int) (*Services, *store.Store, *pgxpool.Pool, *platformServer) {
	b.Helper()
	db := freshDB(b)
	p := startPlatform(b, db, "")
	svc, ws, _ := newTestServices(b)
	if _, err := svc.Event.OpenPractice(); err != nil {
		b.Fatal(err)
	}
	st, _ := ws.Store()
	have, _ := st.Missing(nil)
	makeScans(b, ws, "签到台1", n-have)
	token, _ := server.CreateOrganizer(ws.ctx, db, "bench", "山东省")
	if err := svc.Platform.SetConfig(PlatformConfig{URL: "http://" + p.addr, Token: token}); err != nil {
		b.Fatal(err)
	}
	return svc, st, db, p
}

// BenchmarkUpload100k: 100,000 ops uploaded to the reference server on
// loopback, PostgreSQL started by the test setup (goal ≤ 10 s).
func BenchmarkUpload100k(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		svc, _, _, p := uploadFixture(b, 100_000)
		b.StartTimer()
		res, err := svc.Platform.Upload()
		b.StopTimer()
		if err != nil || res.Accepted < 99000 {
			b.Fatalf("%+v %v", res, err)
		}
		b.ReportMetric(float64(res.Sent), "ops")
		p.kill()
	}
}

// BenchmarkSummaryPDF: the report for 3,000 participants and 1,500 meetings (goal ≤ 2 s).
func BenchmarkSummaryPDF(b *testing.B) {
	svc, ws, _ := newTestServices(b)
	if _, err := svc.Event.Create(EventInput{Name: "深度行·总结基准", StartDate: "2026-05-20", Province: "山东省", City: "济南市", Chains: []string{"高端装备"}}); err != nil {
		b.Fatal(err)
	}
	st, _ := ws.Store()
	var changes []store.Change
	chains := []string{"高端装备", "新材料", "新一代信息技术", "现代海洋", "医养健康"}
	for i := 0; i < 3000; i++ {
		p := model.Participant{ID: fmt.Sprintf("P%05d", i), Name: fmt.Sprintf("参会人%d", i), Org: fmt.Sprintf("单位%d", i/3),
			Role: model.Roles[i%len(model.Roles)], Chain: chains[i%len(chains)]}
		changes = append(changes, store.Participants.Put(p.ID, p))
		if i%3 != 0 {
			changes = append(changes, store.Scans.Add(p.ID, model.Scan{Desk: "1", Method: "scan", At: fmt.Sprintf("2026-05-20T%02d:%02d:00+08:00", 8+i%5, i%60)}))
		}
	}
	modes := []model.TransferMode{model.TransferAssignment, model.TransferLicense, model.TransferEquity}
	for i := 0; i < 1500; i++ {
		m := model.Meeting{ID: fmt.Sprintf("M%05d", i), From: fmt.Sprintf("P%05d", i), To: fmt.Sprintf("P%05d", 1500+i), Slot: fmt.Sprintf("S%02d", 1+i%20), Table: fmt.Sprintf("T%03d", i/20), Status: []model.MeetingStatus{"held", "held", "no_show"}[i%3]}
		changes = append(changes, store.Meetings.Put(m.ID, m))
		if m.Status == "held" {
			o := model.Outcome{Meeting: m.ID, Result: model.OutcomeResults[1+i%4], Intended: i%2 == 0, Mode: modes[i%3], Signed: i%7 == 0, Amount: float64(10 * (i % 50))}
			changes = append(changes, store.Outcomes.Put(m.ID, o))
		}
	}
	for i := 0; i < 60; i++ {
		a := model.Achievement{ID: fmt.Sprintf("A%03d", i), Title: fmt.Sprintf("成果%d：智能检测装备", i), Owner: "某大学", OwnerID: fmt.Sprintf("P%05d", i), Chain: chains[i%5], TRL: 1 + i%9, TransferModes: modes[:1+i%3]}
		changes = append(changes, store.Achievements.Put(a.ID, a))
	}
	if _, err := st.Apply(ws.ctx, changes...); err != nil {
		b.Fatal(err)
	}
	// Reopen so the caches hold what was written behind the services' back.
	if _, err := svc.Event.Open(st.Path()); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := svc.Summary.SummaryPDF()
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(out))/1024, "KB")
	}
}

// BenchmarkUploadAgainstCopy300k uploads 300,000 ops (30,000 with -short)
// to the reference server on loopback and reports the time against a
// plain PostgreSQL COPY of the same rows into a table like the server's
// (same run, same database server), and the peak live heap of the process
// during the upload. The server runs in this process too, so the heap is
// an upper bound on the client's.
func BenchmarkUploadAgainstCopy300k(b *testing.B) {
	n := 300_000
	if testing.Short() {
		n = 30_000
	}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		svc, st, db, p := uploadFixture(b, n)

		// The floor: the same projected rows, COPYed in one go.
		all, _, err := st.OpsSince(nil, 1<<31)
		if err != nil {
			b.Fatal(err)
		}
		rows := make([][]any, 0, len(all))
		for _, op := range all {
			if pr, ok := wire.ProjectNow(op, consentsNow(st)); ok {
				var payload any
				if len(pr.Payload) > 0 {
					payload = string(pr.Payload)
				}
				rows = append(rows, []any{"floor", pr.Station, int64(pr.Seq), int64(pr.HLC), pr.Kind, pr.Entity, payload})
			}
		}
		ctx := context.Background()
		if _, err := db.Exec(ctx, `CREATE TABLE floor_ops (LIKE ops INCLUDING ALL)`); err != nil {
			b.Fatal(err)
		}
		// Each timed part starts with the database's earlier writes on
		// disk, so neither pays for the other's (or the fixture's) flush:
		// without it the floor alone ranged 1.6–3.7 s between runs.
		settle := func() {
			if _, err := db.Exec(ctx, `CHECKPOINT`); err != nil {
				b.Fatal(err)
			}
		}
		settle()
		t0 := time.Now()
		if _, err := db.CopyFrom(ctx, pgx.Identifier{"floor_ops"}, []string{"event_id", "station", "seq", "hlc", "kind", "entity", "payload"}, pgx.CopyFromRows(rows)); err != nil {
			b.Fatal(err)
		}
		floor := time.Since(t0)
		rows, all = nil, nil
		settle()

		b.StartTimer()
		var res *platform.UploadResult
		t0 = time.Now()
		peak := memtest.PeakHeap(func() { res, err = svc.Platform.Upload() })
		took := time.Since(t0)
		b.StopTimer()
		if err != nil || res.Accepted < n*99/100 {
			b.Fatalf("%+v %v", res, err)
		}
		b.ReportMetric(took.Seconds(), "upload-s")
		b.ReportMetric(floor.Seconds(), "copy-floor-s")
		b.ReportMetric(took.Seconds()/floor.Seconds(), "x-copy")
		b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
		b.ReportMetric(float64(res.Sent), "ops")
		p.kill()
	}
}
