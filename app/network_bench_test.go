package app

import (
	"fmt"
	"testing"
	"time"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/station"
)

// makeScans records n check-in ops on one machine, 10,000 per transaction.
func makeScans(tb testing.TB, ws *Workspace, desk string, n int) {
	tb.Helper()
	st, err := ws.Store()
	if err != nil {
		tb.Fatal(err)
	}
	for done := 0; done < n; {
		batch := min(10000, n-done)
		changes := make([]store.Change, batch)
		for i := range changes {
			changes[i] = store.Scans.Add(fmt.Sprintf("PDEMO%04d", 1+(done+i)%300), model.Scan{Desk: desk, Method: "scan", At: "2026-05-20T09:00:00+08:00"})
		}
		if _, err := st.Apply(ws.ctx, changes...); err != nil {
			tb.Fatal(err)
		}
		done += batch
	}
}

func hubHas(tb testing.TB, ws *Workspace, station string, seq uint64) bool {
	st, _ := ws.Store()
	vv, err := st.VersionVector()
	if err != nil {
		tb.Fatal(err)
	}
	return vv[station] >= seq
}

// BenchmarkStationToHub100k: 100,000 ops made on a station reach the hub
// over loopback TLS (goal ≤ 3 s).
func BenchmarkStationToHub100k(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		v := newVenue(b)
		v.station.Network.stop() // no background link: this loop does the syncing
		makeScans(b, v.stationWS, "签到台2", 100000)
		stStore, _ := v.stationWS.Store()
		cfg, _ := station.ConfigOf(stStore)
		link := station.New(stStore, cfg, time.Now, nil)
		vv, _ := stStore.VersionVector()
		b.StartTimer()
		for !hubHas(b, v.hubWS, stStore.Station(), vv[stStore.Station()]) {
			if _, err := link.Exchange(v.hubWS.ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkConvergeAfterOfflineMorning: a station and the hub each made
// 20,000 ops while apart; after reconnecting both hold all 40,000 (goal ≤ 2 s).
func BenchmarkConvergeAfterOfflineMorning(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		v := newVenue(b)
		v.station.Network.stop()
		makeScans(b, v.stationWS, "签到台2", 20000)
		makeScans(b, v.hubWS, "签到台1", 20000)
		stStore, _ := v.stationWS.Store()
		hubStore, _ := v.hubWS.Store()
		cfg, _ := station.ConfigOf(stStore)
		link := station.New(stStore, cfg, time.Now, nil)
		b.StartTimer()
		for {
			more, err := link.Exchange(v.hubWS.ctx)
			if err != nil {
				b.Fatal(err)
			}
			a, _ := stStore.VersionVector()
			h, _ := hubStore.VersionVector()
			if !more && fmt.Sprint(a) == fmt.Sprint(h) {
				break
			}
		}
		b.StopTimer()
		d1, _ := stStore.Dump()
		d2, _ := hubStore.Dump()
		if len(d1) != len(d2) {
			b.Fatalf("not converged: %d vs %d view entries", len(d1), len(d2))
		}
	}
}

// historyOps is the size of the busy event's log in the sync benchmarks:
// a million ops, 20,000 with -short.
func historyOps() int {
	if testing.Short() {
		return 20_000
	}
	return 1_000_000
}

// busyVenue is a hub whose event already holds history ops and n stations
// that joined it afterwards (so each holds them too), with their
// background links stopped: the benchmark does the syncing.
func busyVenue(b *testing.B, history, n int) (*Workspace, []*Workspace, []*station.Link) {
	b.Helper()
	hub, hubWS, _ := newTestServices(b)
	if _, err := hub.Event.OpenPractice(); err != nil {
		b.Fatal(err)
	}
	makeScans(b, hubWS, "签到台1", history)
	if _, err := hub.Network.StartHub("127.0.0.1:0"); err != nil {
		b.Fatal(err)
	}
	var stations []*Workspace
	var links []*station.Link
	for i := range n {
		code, err := hub.Network.NewPairingCode("station", "")
		if err != nil {
			b.Fatal(err)
		}
		svc, ws, _ := newTestServices(b)
		if _, err := svc.Network.Join(code.Link, fmt.Sprintf("签到台%d", i+2)); err != nil {
			b.Fatal(err)
		}
		svc.Network.stop()
		st, _ := ws.Store()
		cfg, _ := station.ConfigOf(st)
		link := station.New(st, cfg, time.Now, nil)
		if err := link.SyncAll(ws.ctx); err != nil { // learns the hub's vector
			b.Fatal(err)
		}
		stations, links = append(stations, ws), append(links, link)
	}
	return hubWS, stations, links
}

// BenchmarkExchangeNothingNew is a station's once-a-second exchange when
// neither side has anything new, on an event whose log holds a million
// ops; the reference is the same exchange on a fresh event, in the same run.
func BenchmarkExchangeNothingNew(b *testing.B) {
	measure := func(history int) time.Duration {
		hubWS, _, links := busyVenue(b, history, 1)
		var lat []time.Duration
		for range 200 {
			t0 := time.Now()
			more, err := links[0].Exchange(hubWS.ctx)
			lat = append(lat, time.Since(t0))
			if err != nil || more {
				b.Fatalf("a no-op exchange: more=%v %v", more, err)
			}
		}
		return percentile(lat, 0.5)
	}
	for range b.N {
		fresh := measure(0)
		busy := measure(historyOps())
		b.ReportMetric(float64(busy.Microseconds()), "busy-p50-µs")
		b.ReportMetric(float64(fresh.Microseconds()), "fresh-p50-µs")
		b.ReportMetric(float64(busy)/float64(fresh), "x-fresh")
	}
}

// BenchmarkConvergeNewOps: three stations each record 20,000 check-ins
// while cut off, then all of them and the hub converge over loopback TLS.
// Its reference is the same on a fresh event, in the same run: the time
// should follow the new ops, not the million already in the log.
func BenchmarkConvergeNewOps(b *testing.B) {
	newOps := 20_000
	if testing.Short() {
		newOps = 2_000
	}
	converge := func(history int) time.Duration {
		hubWS, stations, links := busyVenue(b, history, 3)
		for i, ws := range stations {
			makeScans(b, ws, fmt.Sprintf("签到台%d", i+2), newOps)
		}
		hubStore, _ := hubWS.Store()
		t0 := time.Now()
		for round := 0; ; round++ {
			if round > 1000 {
				b.Fatal("no convergence after 1,000 rounds")
			}
			busy := false
			for _, l := range links {
				more, err := l.Exchange(hubWS.ctx)
				if err != nil {
					b.Fatal(err)
				}
				busy = busy || more
			}
			if busy {
				continue
			}
			want, _ := hubStore.VersionVector()
			same := true
			for _, ws := range stations {
				st, _ := ws.Store()
				vv, _ := st.VersionVector()
				same = same && fmt.Sprint(vv) == fmt.Sprint(want)
			}
			if same {
				break
			}
		}
		return time.Since(t0)
	}
	for range b.N {
		fresh := converge(0)
		busy := converge(historyOps())
		b.ReportMetric(busy.Seconds(), "busy-s")
		b.ReportMetric(fresh.Seconds(), "fresh-s")
		b.ReportMetric(float64(busy)/float64(fresh), "x-fresh")
	}
}
