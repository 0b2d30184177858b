// Package heapbound holds the process under a memory ceiling while one
// heavy piece of work runs. Go's collector lets the heap grow to twice what
// was live at the last collection; for a 200,000-row import that is
// 250 MB live and 500 MB at the peak, which a laptop at a venue may not
// have free. A soft limit (runtime/debug.SetMemoryLimit) makes the
// collector run earlier instead, when the process nears the ceiling. While
// the work runs the collector runs only then (GOGC off, a setting the
// runtime supports with a limit): the room under the ceiling is used
// instead of collecting again each time the heap doubles, so smaller work
// collects once or not at all (a 50,000-row import: 2 collections instead
// of 13, 0.03 CPU-s instead of 0.27–0.37, for a peak of 358 MB instead of
// about 150).
package heapbound

import (
	"math"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

var (
	mu       sync.Mutex
	active   int   // pieces of work inside During
	before   int64 // the limit outside them
	beforeGC int   // the GC percent (GOGC) outside them
	gcOff    bool  // whether During turned it off (not when the user set GOGC)
)

// During runs f with the process's soft memory limit at most limit bytes
// and the collector waiting for it, and puts back the limit and the GC
// percent that were there before once the last such piece of work ends. A
// limit the user set (GOMEMLIMIT) is theirs: then nothing is changed; a
// GOGC the user set is left as it is. The limit is soft: if f needs more,
// it gets it, at the price of collecting more often (the runtime caps that
// at half the CPU).
func During(limit int64, f func()) {
	if os.Getenv("GOMEMLIMIT") != "" || limit <= 0 {
		f()
		return
	}
	mu.Lock()
	if active == 0 {
		before = debug.SetMemoryLimit(-1)
		gcOff = os.Getenv("GOGC") == ""
		if gcOff {
			beforeGC = debug.SetGCPercent(-1)
		}
	}
	active++
	if cur := debug.SetMemoryLimit(-1); limit < cur {
		debug.SetMemoryLimit(limit)
	}
	mu.Unlock()
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		active--
		if active == 0 {
			debug.SetMemoryLimit(before)
			if gcOff {
				debug.SetGCPercent(beforeGC)
			}
		}
	}()
	f()
}

// Live is the heap the last collection found live: what the process
// holds for its own use. Memory the runtime has kept from an earlier
// peak is not counted (the limit makes the runtime give it back).
func Live() int64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if v := s[0].Value.Uint64(); v <= math.MaxInt64 {
		return int64(v)
	}
	return math.MaxInt64
}
