package heapbound

import (
	"math"
	"runtime"
	"runtime/debug"
	"sync"
	"testing"
)

// During holds the limit it is given while f runs and puts back the one
// before; the lower of two nested limits holds, and only the last to end
// puts back the original.
func TestDuringSetsAndRestores(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	orig := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(orig)
	debug.SetMemoryLimit(math.MaxInt64)
	var inside, nested, afterNested int64
	During(300<<20, func() {
		inside = debug.SetMemoryLimit(-1)
		During(500<<20, func() { nested = debug.SetMemoryLimit(-1) })
		afterNested = debug.SetMemoryLimit(-1)
		During(200<<20, func() {})
	})
	if inside != 300<<20 {
		t.Fatalf("limit inside: %d", inside)
	}
	if nested != 300<<20 {
		t.Fatalf("a higher nested limit loosened the outer one: %d", nested)
	}
	if afterNested != 300<<20 {
		t.Fatalf("the nested end put back the limit early: %d", afterNested)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Fatalf("limit after: %d, want the one before", got)
	}
}

// A limit the user set with GOMEMLIMIT is theirs.
func TestDuringLeavesTheUsersLimit(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "1GiB")
	orig := debug.SetMemoryLimit(-1)
	ran := false
	During(100<<20, func() {
		ran = true
		if got := debug.SetMemoryLimit(-1); got != orig {
			t.Fatalf("limit changed to %d under GOMEMLIMIT", got)
		}
	})
	if !ran {
		t.Fatal("f did not run")
	}
}

// Pieces of work ending in any order leave the limit as it was.
func TestDuringConcurrent(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	orig := debug.SetMemoryLimit(-1)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			During(int64(100+i)<<20, func() {
				if got := debug.SetMemoryLimit(-1); got > int64(100+i)<<20 {
					t.Errorf("limit %d above %d inside", got, int64(100+i)<<20)
				}
			})
		}()
	}
	wg.Wait()
	if got := debug.SetMemoryLimit(-1); got != orig {
		t.Fatalf("limit after: %d, want %d", got, orig)
	}
}

// Live follows what is live: a 64 MB slice held across a collection is
// in it.
func TestLive(t *testing.T) {
	runtime.GC()
	before := Live()
	held := make([]byte, 64<<20)
	for i := range held {
		held[i] = 1
	}
	runtime.GC()
	if after := Live(); after-before < 60<<20 {
		t.Fatalf("live %d → %d with 64 MB held", before, after)
	}
	runtime.KeepAlive(held)
}

// While f runs the collector waits for the ceiling (GC percent off), and
// the percent before is put back after; a GOGC the user set is left.
func TestDuringTurnsTheGCPercentOffAndBack(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	t.Setenv("GOGC", "")
	orig := debug.SetGCPercent(150)
	defer debug.SetGCPercent(orig)
	var inside int
	During(300<<20, func() {
		inside = debug.SetGCPercent(-1)
		During(400<<20, func() {})
		if got := debug.SetGCPercent(-1); got != -1 {
			t.Errorf("a nested end turned the collector back on: %d", got)
		}
	})
	if inside != -1 {
		t.Fatalf("GC percent inside: %d, want off", inside)
	}
	if got := debug.SetGCPercent(150); got != 150 {
		t.Fatalf("GC percent after: %d, want the 150 before", got)
	}

	t.Setenv("GOGC", "80")
	During(300<<20, func() { inside = debug.SetGCPercent(150) })
	if inside != 150 {
		t.Fatalf("the user's GOGC was changed inside: %d", inside)
	}
}
