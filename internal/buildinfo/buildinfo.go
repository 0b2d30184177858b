// Package buildinfo says which build of Fuzhi Event Desk is running: the
// release stamps Version and Commit into the binaries (scripts/release.sh,
// -ldflags -X); a plain `go build` falls back to what the Go toolchain
// recorded (the VCS revision), so a support call can always name the build.
package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Set by the release build:
//
//	-ldflags "-X github.com/fuzhi/eventdesk/internal/buildinfo.Version=1.2.0
//	          -X github.com/fuzhi/eventdesk/internal/buildinfo.Commit=abc1234"
var (
	Version = "dev"
	Commit  = ""
)

// Build is what the 关于 dialog and `fuzhi version` show.
type Build struct {
	Version  string `json:"version"`
	Commit   string `json:"commit"`
	Modified bool   `json:"modified"` // built from a tree with uncommitted changes
	Go       string `json:"go"`
	Platform string `json:"platform"` // GOOS/GOARCH
}

// Read returns this binary's build facts.
func Read() Build {
	info := Build{Version: Version, Commit: Commit, Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if info.Commit == "" && len(s.Value) >= 12 {
					info.Commit = s.Value[:12]
				}
			case "vcs.modified":
				info.Modified = s.Value == "true" && Commit == ""
			}
		}
	}
	return info
}

// String is the one line `fuzhi version` prints.
func (i Build) String() string {
	commit := i.Commit
	if commit == "" {
		commit = "unknown"
	}
	if i.Modified {
		commit += "+modified"
	}
	return fmt.Sprintf("%s (commit %s, %s, %s)", i.Version, commit, i.Go, i.Platform)
}
