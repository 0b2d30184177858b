package store

import (
	"sync"
	"time"
)

// HLC is a hybrid logical clock: wall milliseconds in the high 48 bits and a
// counter in the low 16. It never goes backwards on this station, even if the
// laptop clock is set back, and it moves past any clock it has seen from
// another station, so "later" stays meaningful across desks.
type HLC struct {
	mu   sync.Mutex
	last uint64
	now  func() time.Time
}

const hlcLogicalBits = 16

// NewHLC starts a clock that will issue values greater than last.
func NewHLC(last uint64, now func() time.Time) *HLC {
	if now == nil {
		now = time.Now
	}
	return &HLC{last: last, now: now}
}

// Next issues a new timestamp greater than every earlier one.
func (c *HLC) Next() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	wall := uint64(c.now().UnixMilli()) << hlcLogicalBits
	if wall > c.last {
		c.last = wall
	} else {
		c.last++
	}
	return c.last
}

// Observe moves the clock past a timestamp received from another station.
func (c *HLC) Observe(remote uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if remote > c.last {
		c.last = remote
	}
}

// Last is the most recent value issued or observed.
func (c *HLC) Last() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

// HLCTime turns a clock value back into wall time, for display.
func HLCTime(h uint64) time.Time {
	return time.UnixMilli(int64(h >> hlcLogicalBits))
}
