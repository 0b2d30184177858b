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
	"sort"
	"strings"
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
	// The desk's index is built now rather than on the first search: at
	// 200,000 people that took 1.8 s while the first guest waited.
	go cache.search.layers(cache)
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
func (w *Workspace) CloseEvent() error {
	w.closing()
	w.mu.Lock()
	s := w.store
	w.store, w.roster, w.event, w.checkins, w.requests, w.key = nil, nil, model.Event{}, nil, nil, nil
	w.mu.Unlock()
	if s == nil {
		return nil
	}
	w.emit(EventChanged, nil)
	return s.Close()
}

// open returns the store and roster of the open event or ErrNoEvent.
func (w *Workspace) open() (*store.Store, *rosterCache, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.store == nil {
		return nil, nil, ErrNoEvent
	}
	return w.store, w.roster, nil
}

// requestBook is the open event's book of meeting requests.
func (w *Workspace) requestBook() (*requestBook, error) {
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

// rosterCache keeps participants in memory so lists and searches over tens
// of thousands of people answer while the user types; the store stays the
// truth and every write goes through it first.
type rosterCache struct {
	mu     sync.RWMutex
	byID   map[string]*model.Participant
	sorted []rosterEntry
	dirty  bool
	search searchCache // the desk's index, told of every change by apply
}

// rosterEntry pairs a participant with the lower-cased text a search
// matches against, computed once per write instead of once per keystroke.
type rosterEntry struct {
	p     *model.Participant
	hay   string
	order string // organization, then name, in pinyin order
}

func searchText(p *model.Participant) string {
	return strings.ToLower(strings.Join([]string{p.Name, p.Org, p.Mobile, p.Title, p.Email}, "\x00"))
}

func loadRoster(s *store.Store) (*rosterCache, error) {
	c := &rosterCache{byID: map[string]*model.Participant{}, dirty: true}
	err := store.Participants.Each(s, func(id string, p model.Participant) error {
		c.byID[id] = &p
		return nil
	})
	return c, err
}

// apply brings a commit's participants in: saved ones replace their old
// copy, removed ones go. One lock for a whole import.
func (c *rosterCache) apply(saved []model.Participant, removed []string) {
	if len(saved) == 0 && len(removed) == 0 {
		return
	}
	kept := make([]*model.Participant, len(saved))
	c.mu.Lock()
	for i := range saved {
		p := saved[i]
		c.byID[p.ID], kept[i] = &p, &p
	}
	for _, id := range removed {
		delete(c.byID, id)
	}
	c.dirty = true
	c.mu.Unlock()
	// After the roster lock is let go: a search that is rebuilding holds
	// the index's lock and reads the roster (lock order: index, roster).
	c.search.note(kept, removed)
}

func (c *rosterCache) get(id string) (model.Participant, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	p, ok := c.byID[id]
	if !ok {
		return model.Participant{}, false
	}
	return *p, true
}

// ids is everyone's id, in no order.
func (c *rosterCache) ids() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]string, 0, len(c.byID))
	for id := range c.byID {
		out = append(out, id)
	}
	return out
}

func (c *rosterCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.byID)
}

func (c *rosterCache) byRole() map[string]int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := map[string]int{}
	for _, p := range c.byID {
		out[string(p.Role)]++
	}
	return out
}

// orgClashes lists the organization names that came with several credit
// codes, by name.
func (c *rosterCache) orgClashes() []OrgClash {
	c.mu.RLock()
	codes := map[string]map[string]bool{}
	names := map[string]string{}
	for _, p := range c.byID {
		if p.Org == "" || p.CreditCode == "" {
			continue
		}
		key := strings.ToLower(strings.Join(strings.Fields(p.Org), ""))
		if codes[key] == nil {
			codes[key], names[key] = map[string]bool{}, p.Org
		}
		codes[key][p.CreditCode] = true
	}
	c.mu.RUnlock()
	out := []OrgClash{}
	for key, set := range codes {
		if len(set) < 2 {
			continue
		}
		clash := OrgClash{Name: names[key]}
		for code := range set {
			clash.Codes = append(clash.Codes, code)
		}
		sort.Strings(clash.Codes)
		out = append(out, clash)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// all returns participants ordered by organization, then name. The slice
// is replaced, never modified, after a write, so callers may keep reading it.
func (c *rosterCache) all() []rosterEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dirty {
		// A participant not written since the last sort keeps its entry
		// (a write replaces the pointer): only changed people are worked out.
		before := make(map[*model.Participant]*rosterEntry, len(c.sorted))
		for i := range c.sorted {
			before[c.sorted[i].p] = &c.sorted[i]
		}
		sorted := make([]rosterEntry, 0, len(c.byID))
		for _, p := range c.byID {
			if e, ok := before[p]; ok {
				sorted = append(sorted, *e)
				continue
			}
			sorted = append(sorted, rosterEntry{p: p, hay: searchText(p), order: pinyinOrder(p.Org) + "\x01" + pinyinOrder(p.Name)})
		}
		sort.Slice(sorted, func(i, j int) bool {
			if sorted[i].order != sorted[j].order {
				return sorted[i].order < sorted[j].order
			}
			return sorted[i].p.ID < sorted[j].p.ID
		})
		c.sorted, c.dirty = sorted, false
	}
	return c.sorted
}

// eventTitle is the open event's name.
func (w *Workspace) eventTitle() string { return w.currentEvent().Name }

// currentEvent is the open event's record (name, dates, venue).
func (w *Workspace) currentEvent() model.Event {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.event
}
