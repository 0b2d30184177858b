//go:build !unix

package app

import "time"

// processCPU is not measured here (the benchmarks' figures are from Linux).
func processCPU() (time.Duration, bool) { return 0, false }
