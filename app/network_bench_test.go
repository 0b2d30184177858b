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
