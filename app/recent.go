package app

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/fuzhi/eventdesk/internal/safefile"
	"github.com/fuzhi/eventdesk/model"
)

// RecentEvent is one line of the "recent events" list.
type RecentEvent struct {
	Path     string `json:"path"`
	Name     string `json:"name"`
	Date     string `json:"date"`
	City     string `json:"city"`
	OpenedAt string `json:"openedAt"`
	Missing  bool   `json:"missing,omitempty"`
}

const recentFile = "recent.json"
const maxRecent = 20

func readRecent(dataDir string) ([]RecentEvent, error) {
	raw, err := os.ReadFile(filepath.Join(dataDir, recentFile))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read recent events: %w", err)
	}
	var list []RecentEvent
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, nil // a damaged convenience list is simply started again
	}
	for i := range list {
		if _, err := os.Stat(list[i].Path); err != nil {
			list[i].Missing = true
		}
	}
	return list, nil
}

func rememberRecent(dataDir, path string, ev model.Event, now time.Time) error {
	list, _ := readRecent(dataDir)
	out := []RecentEvent{{Path: path, Name: ev.Name, Date: ev.StartDate, City: ev.City, OpenedAt: now.Format(time.RFC3339)}}
	for _, r := range list {
		if r.Path != path && len(out) < maxRecent {
			r.Missing = false
			out = append(out, r)
		}
	}
	raw, _ := json.MarshalIndent(out, "", " ")
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return fmt.Errorf("save recent events: %w", err)
	}
	if err := safefile.Write(filepath.Join(dataDir, recentFile), raw, 0o600); err != nil {
		return fmt.Errorf("save recent events: %w", err)
	}
	return nil
}
