// Package memtest measures, for tests, what a piece of code allocates, and
// makes large inputs without holding them: a bomb's bound is a number of
// bytes a test can state and check.
package memtest

import "runtime"

// Allocated is what f allocates on the heap, in bytes (after a GC, so the
// figure is f's own).
func Allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Repeat reads the byte b for ever (use io.CopyN or io.LimitReader).
type Repeat byte

func (r Repeat) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}
