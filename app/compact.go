package app

import (
	"errors"
	"fmt"
	"os"

	"github.com/fuzhi/eventdesk/store"
)

// FileUsage is how large the open event's file is and about how much of it
// compaction would give back.
type FileUsage struct {
	FileBytes   int64 `json:"fileBytes"`
	LiveBytes   int64 `json:"liveBytes"`
	Reclaimable int64 `json:"reclaimable"`
	// Worth says compaction is worth offering: it would give back more than
	// a quarter of the file and at least 8 MB.
	Worth bool `json:"worth"`
}

// CompactResult is the event file's size before and after compaction.
type CompactResult struct {
	Before int64 `json:"before"`
	After  int64 `json:"after"`
}

func usageOf(st *store.Store) (*FileUsage, error) {
	u, err := st.Usage()
	if err != nil {
		return nil, err
	}
	r := u.Reclaimable()
	return &FileUsage{FileBytes: u.FileBytes, LiveBytes: u.LiveBytes, Reclaimable: r,
		Worth: r >= 8<<20 && r*4 >= u.FileBytes}, nil
}

// compactEvent rewrites the open event's file without its empty space while
// the app stays open. The copy is made from a snapshot while the desks keep
// working; then the event is closed for as long as the swap takes (at
// 200,000 people, reopening is the longest part), the copy is made again
// from the closed file if anything was written meanwhile, and the copy
// takes the file's name. The old file is kept until the copy has opened,
// and put back if it does not.
func (w *Workspace) compactEvent() (*CompactResult, error) {
	st, _, err := w.open()
	if err != nil {
		return nil, err
	}
	path := st.Path()
	info, err := os.Stat(path)
	if err != nil {
		return nil, sayCompactFailed.Wrap(err)
	}
	res := &CompactResult{Before: info.Size()}
	copyPath := path + ".compacting"
	defer os.Remove(copyPath)
	mark, _, err := st.CompactTo(w.ctx, copyPath)
	if err != nil {
		return nil, sayCompactFailed.Wrap(err)
	}
	// From here until the event is open again, calls wait rather than
	// fail: a desk's scan is answered a moment late, not refused.
	swap := make(chan struct{})
	w.mu.Lock()
	w.swapping = swap
	w.mu.Unlock()
	defer func() {
		w.mu.Lock()
		w.swapping = nil
		w.mu.Unlock()
		close(swap)
	}()
	if err := w.closeEvent(false); err != nil {
		return nil, sayCompactFailed.Wrap(err)
	}
	reopen := func(cause error) (*CompactResult, error) {
		if _, err := w.OpenFile(path); err != nil {
			return nil, sayCompactFailed.Wrap(errors.Join(cause, err))
		}
		return nil, sayCompactFailed.Wrap(cause)
	}
	if now, err := store.MarkOf(path); err != nil {
		return reopen(err)
	} else if now != mark {
		// Written between the snapshot and the close: copy the closed file.
		if _, _, err := store.CompactFile(w.ctx, path, copyPath); err != nil {
			return reopen(err)
		}
	}
	old := path + ".before-compact"
	if err := os.Rename(path, old); err != nil {
		return reopen(err)
	}
	if err := os.Rename(copyPath, path); err != nil {
		return reopen(errors.Join(err, os.Rename(old, path)))
	}
	if _, err := w.OpenFile(path); err != nil {
		// The copy does not open: the old file goes back, and opens.
		if rerr := os.Rename(old, path); rerr != nil {
			return nil, sayCompactFailed.Wrap(fmt.Errorf("%w; the old file is %s: %w", err, old, rerr))
		}
		return reopen(err)
	}
	if err := os.Remove(old); err != nil {
		w.log.Warn("the file before compaction was not removed", "file", old, "err", err)
	}
	if info, err := os.Stat(path); err == nil {
		res.After = info.Size()
	}
	w.log.Info("event compacted", "before", res.Before, "after", res.After)
	return res, nil
}
