package model

// Scan is what a check-in op records. A repeat scan of the same person is
// kept too: the earliest scan not undone is the check-in, the rest are the
// "already checked in" answers, whatever order desks' ops arrive in.
type Scan struct {
	Desk    string `json:"desk"`
	Method  string `json:"method"` // scan, search, walkin
	Version int    `json:"version,omitempty"`
	At      string `json:"at"`
}

// ScanUndo takes one scan back; it is an op of its own, so an undo made at
// one desk reaches the others like any other change.
type ScanUndo struct {
	Scan string `json:"scan"` // op id of the scan
	Desk string `json:"desk"`
}

// BadgeKey is the event's badge signing key. It replicates to the desks
// (they verify offline) but never leaves for the platform.
type BadgeKey struct {
	Key     []byte `json:"key"`
	Created string `json:"created"`
}
