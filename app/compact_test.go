package app

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestCompactionWithTheDeskScanning: an event whose file has grown slack
// (people edited one at a time, in random order) is compacted while a desk
// scans badges as fast as it can. Every scan the desk was told succeeded
// is in the event afterwards, scans made during the swap wait for it
// instead of being refused, the file is smaller, and nothing is left
// beside it.
func TestCompactionWithTheDeskScanning(t *testing.T) {
	svc, ws, ppl := seedEvent(t, 3000)
	rng := rand.New(rand.NewSource(4))
	for _, i := range rng.Perm(len(ppl))[:800] {
		p := ppl[i]
		p.Title = fmt.Sprintf("职务%d", i)
		if _, err := svc.Roster.Save(p); err != nil {
			t.Fatal(err)
		}
	}
	usage, err := svc.Event.FileUsage()
	if err != nil || usage.Reclaimable <= 0 {
		t.Fatalf("usage before: %+v %v", usage, err)
	}
	codes := make([]string, len(ppl))
	for i, p := range ppl {
		codes[i], _ = svc.Checkin.BadgeCode(p.ID)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var acked, refused int
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < len(codes); i++ {
			select {
			case <-stop:
				return
			default:
			}
			a, err := svc.Checkin.Scan(codes[i], "1")
			switch {
			case err != nil:
				refused++
			case a.Result == ResultOK:
				acked++
			default:
				t.Errorf("scan %d: %+v", i, a)
			}
		}
	}()
	res, err := svc.Event.Compact()
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if res.After >= res.Before {
		t.Fatalf("compaction made the file %d bytes from %d", res.After, res.Before)
	}
	dash, err := svc.Checkin.Dashboard()
	if err != nil {
		t.Fatal(err)
	}
	// A scan that had the store in hand as it closed can fail; the rest
	// wait for the swap.
	if refused > 2 {
		t.Fatalf("%d scans refused during the swap", refused)
	}
	if dash.Arrived != acked || acked == 0 {
		t.Fatalf("the desk was told %d scans succeeded (%d refused); the event has %d arrivals", acked, refused, dash.Arrived)
	}
	if n := ws.roster.len(); n != len(ppl) {
		t.Fatalf("%d people after compaction, want %d", n, len(ppl))
	}
	st, _, _ := ws.open()
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(st.Path()), "*.fzevent.*"))
	if len(left) != 0 {
		t.Fatalf("left beside the event: %v", left)
	}
	if _, err := os.Stat(st.Path()); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d → %d bytes; %d scans acknowledged, %d refused during the swap", res.Before, res.After, acked, refused)
}
