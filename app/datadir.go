package app

import (
	"os"
	"path/filepath"
)

// DefaultDataDir is where event files and the recent list live unless
// FUZHI_DATA_DIR says otherwise (tests and portable installs set it).
func DefaultDataDir() string {
	if d := os.Getenv("FUZHI_DATA_DIR"); d != "" {
		return d
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, "FuzhiEvents")
	}
	return "FuzhiEvents"
}
