// Package app holds the services the window and the HTTP server expose:
// plain Go types whose exported methods are the API. They never import
// Wails; they report changes through an Emitter that each shell implements.
package app

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
)

// Emitter tells the UI something changed, after the change is committed.
type Emitter interface {
	Emit(event string, data any)
}

type nopEmitter struct{}

func (nopEmitter) Emit(string, any) {}

// ErrNoEvent is returned by every call that needs an open event.
var ErrNoEvent = sayNoEventOpen.Err()

// Workspace is the open event shared by all services of one window or server.
type Workspace struct {
	ctx     context.Context
	dataDir string
	emitter Emitter
	// clock is read by the hub's and the station link's goroutines while a
	// test may replace it, so it is swapped atomically (SetClock).
	clock atomic.Pointer[func() time.Time]
	// startPage is the screen the UI opens on ("desk" for a check-in laptop).
	startPage string
	// log is the app log (internal/logfile): ids, counts and errors only.
	log *slog.Logger

	mu       sync.RWMutex
	store    *store.Store
	event    model.Event
	roster   *rosterCache
	checkins *checkinState
	requests *requestBook
	key      []byte // badge signing key, loaded on first use
	// swapping is closed when a compaction has put the event back; until
	// then a call that needs the event waits for it instead of failing.
	swapping chan struct{}

	// onOpen and onClose let the network service start and stop the hub or
	// the station link with the event; they run outside w.mu.
	onOpen  []func(*store.Store)
	onClose []func()
}

// eventEntity is the one event of an event file.
const eventEntity = "event"

// newWorkspace keeps event files and the recent list under dataDir (New
// builds it with the services).
func newWorkspace(ctx context.Context, dataDir string, emitter Emitter) *Workspace {
	if emitter == nil {
		emitter = nopEmitter{}
	}
	w := &Workspace{ctx: ctx, dataDir: dataDir, emitter: emitter}
	w.SetClock(time.Now)
	return w
}

// SetClock replaces the wall clock (tests pin the event day with it).
func (w *Workspace) SetClock(now func() time.Time) { w.clock.Store(&now) }

// now is the workspace's current time.
func (w *Workspace) now() time.Time { return (*w.clock.Load())() }

// SetEmitter swaps the emitter once the shell has one (Wails hands its
// context to OnStartup, after the services are built).
func (w *Workspace) SetEmitter(e Emitter) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.emitter = e
}

func (w *Workspace) emit(name string, data any) {
	w.mu.RLock()
	e := w.emitter
	w.mu.RUnlock()
	e.Emit(name, data)
}

// DataDir is where new event files are created.
func (w *Workspace) DataDir() string { return w.dataDir }

// OpenFile makes path the open event, closing the previous one.
func (w *Workspace) OpenFile(path string) (*EventInfo, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open event %s: %w", path, err)
	}
	if _, err := os.Stat(abs); err != nil {
		return nil, sayNoEventFile.Err("path", abs)
	}
	// Opening the file that is already open re-reads it; the lock is ours,
	// so close first instead of waiting for ourselves.
	w.mu.RLock()
	same := w.store != nil && w.store.Path() == abs
	w.mu.RUnlock()
	if same {
		if err := w.CloseEvent(); err != nil {
			return nil, fmt.Errorf("reopen event %s: %w", abs, err)
		}
	}
	s, err := store.Open(w.ctx, abs, store.Options{})
	if err != nil {
		return nil, err
	}
	ev, found, err := store.Events.Get(s, eventEntity)
	if err != nil || !found {
		s.Close()
		if err == nil {
			err = sayNoEventInfo.Err()
		}
		return nil, fmt.Errorf("open event %s: %w", abs, err)
	}
	cache, err := loadRoster(s)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("open event %s: %w", abs, err)
	}
	checkins, err := loadCheckins(s)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("open event %s: %w", abs, err)
	}
	checkins.retally(cache, cache.ids())
	requests, err := loadRequests(s)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("open event %s: %w", abs, err)
	}
	s.OnCommit((&projection{w: w, st: s, roster: cache, checkins: checkins, requests: requests}).commit)
	w.closing()
	w.mu.Lock()
	if w.store != nil {
		w.store.Close()
	}
	w.store, w.event, w.roster, w.checkins, w.requests, w.key = s, ev, cache, checkins, requests, nil
	w.mu.Unlock()
	go cache.warm()
	if err := rememberRecent(w.dataDir, abs, ev, w.now()); err != nil {
		// The event is open; only the convenience list failed.
		w.log.Warn("recent list not updated", "err", err)
	}
	w.log.Info("event opened", "event", ev.ID, "file", filepath.Base(abs), "station", s.Station())
	for _, f := range w.onOpen {
		f(s)
	}
	info, err := w.info()
	if err == nil {
		w.emit(EventChanged, info)
	}
	return info, err
}

// closing tells the network service the open event is about to go, so it
// stops the hub or station link before the store closes under it.
func (w *Workspace) closing() {
	w.mu.RLock()
	hadEvent := w.store != nil
	w.mu.RUnlock()
	if hadEvent {
		for _, f := range w.onClose {
			f()
		}
	}
}

// CloseEvent closes the open event, if any.
func (w *Workspace) CloseEvent() error { return w.closeEvent(true) }

// closeEvent closes the open event; tell says whether the UI hears of it
// (a compaction closes and reopens the same event without a word).
func (w *Workspace) closeEvent(tell bool) error {
	w.closing()
	w.mu.Lock()
	s := w.store
	w.store, w.roster, w.event, w.checkins, w.requests, w.key = nil, nil, model.Event{}, nil, nil, nil
	w.mu.Unlock()
	if s == nil {
		return nil
	}
	if tell {
		w.emit(EventChanged, nil)
	}
	return s.Close()
}

// open returns the store and roster of the open event or ErrNoEvent.
func (w *Workspace) open() (*store.Store, *rosterCache, error) {
	w.settled()
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.store == nil {
		return nil, nil, ErrNoEvent
	}
	return w.store, w.roster, nil
}

// openDesk is open with the event's check-in state, read together so a
// close in between cannot hand back one event's store and no state.
func (w *Workspace) openDesk() (*store.Store, *rosterCache, *checkinState, error) {
	w.settled()
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.store == nil {
		return nil, nil, nil, ErrNoEvent
	}
	return w.store, w.roster, w.checkins, nil
}

// settled waits while a compaction swaps the event's file, so a call made
// meanwhile reads the event again instead of finding none (a badge scanned
// then was told it belonged to another event).
func (w *Workspace) settled() {
	for {
		w.mu.RLock()
		open, swap := w.store != nil, w.swapping
		w.mu.RUnlock()
		if open || swap == nil {
			return
		}
		select {
		case <-swap: // the compacted file is open, or the old one again
		case <-w.ctx.Done():
			return
		}
	}
}

// requestBook is the open event's book of meeting requests.
func (w *Workspace) requestBook() (*requestBook, error) {
	w.settled()
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.requests == nil {
		return nil, ErrNoEvent
	}
	return w.requests, nil
}

// Store exposes the open store to the CLI and tests.
func (w *Workspace) Store() (*store.Store, error) {
	s, _, err := w.open()
	return s, err
}

// EventInfo is the open event with its headline numbers.
type EventInfo struct {
	Event        model.Event    `json:"event"`
	Path         string         `json:"path"`
	Station      string         `json:"station"`
	Participants int            `json:"participants"`
	Orgs         int            `json:"orgs"`
	Achievements int            `json:"achievements"`
	Demands      int            `json:"demands"`
	ByRole       map[string]int `json:"byRole"`
	// OrgClashes are organization names registered under more than one
	// credit code: each code counts as a unit of its own, so 参会单位 may
	// be too high until someone corrects the codes.
	OrgClashes []OrgClash `json:"orgClashes"`
}

// OrgClash is one organization name with the credit codes it came with.
type OrgClash struct {
	Name  string   `json:"name"`
	Codes []string `json:"codes"`
}

func (w *Workspace) info() (*EventInfo, error) {
	s, roster, err := w.open()
	if err != nil {
		return nil, err
	}
	w.mu.RLock()
	ev := w.event
	w.mu.RUnlock()
	info := &EventInfo{Event: ev, Path: s.Path(), Station: s.Station(), ByRole: roster.byRole(), OrgClashes: roster.orgClashes()}
	info.Participants = roster.len()
	if info.Orgs, err = store.Orgs.Count(s); err == nil {
		if info.Achievements, err = store.Achievements.Count(s); err == nil {
			info.Demands, err = store.Demands.Count(s)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("count the catalog: %w", err)
	}
	return info, nil
}

// newID makes a short uppercase id (it ends up inside QR codes, where
// uppercase alphanumerics are the compact mode) that is unused in kind.
func newID(prefix string, exists func(string) bool) string {
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	for {
		b := make([]byte, 8)
		if _, err := rand.Read(b); err != nil {
			panic(fmt.Sprintf("crypto/rand failed: %v", err))
		}
		for i := range b {
			b[i] = alphabet[int(b[i])%len(alphabet)]
		}
		id := prefix + string(b)
		if exists == nil || !exists(id) {
			return id
		}
	}
}

// freshIDs is n distinct new ids (see newID), none of which exists yet, in
// ascending order.
func freshIDs(prefix string, n int, exists func(string) bool) []string {
	// Drawn together, they are told apart from each other as well as from
	// the event's: at 200,000 ids two random ones collide about once in 60
	// files.
	drawn := make(map[string]bool, n)
	ids := make([]string, 0, n)
	for range n {
		id := newID(prefix, func(id string) bool { return drawn[id] || exists(id) })
		drawn[id] = true
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// eventTitle is the open event's name.
func (w *Workspace) eventTitle() string { return w.currentEvent().Name }

// currentEvent is the open event's record (name, dates, venue).
func (w *Workspace) currentEvent() model.Event {
	w.settled()
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.event
}
