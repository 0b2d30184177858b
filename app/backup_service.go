package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fuzhi/eventdesk/internal/safefile"
	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/station"
)

// BackupService keeps automatic hot backups of the open event in a second
// folder the organizer picks (a USB stick, a shared drive), rotated, and
// restores a backup on another laptop as a new copy. If the laptop dies at
// 10:30, the 10:25 backup on the stick holds everything up to 10:25.
//
// The settings belong to the laptop (its data folder), not to an event:
// whichever event is open is backed up.
type BackupService struct {
	ws *Workspace

	mu       sync.Mutex
	settings BackupSettings
	status   BackupStatus
	last     backupMark // what the last good backup held, to skip unchanged ticks
	stop     chan struct{}
	done     chan struct{}
	wake     chan struct{} // settings changed: back up now and re-arm the ticker
	run      sync.Mutex    // one backup at a time (the ticker and 立即备份)
	// tick replaces EveryMinutes in tests (they cannot wait minutes).
	tick time.Duration
}

// BackupSettings is where and how often backups go.
type BackupSettings struct {
	Folder       string `json:"folder"`       // "" = automatic backups off
	EveryMinutes int    `json:"everyMinutes"` // 1–60, default 5
	Keep         int    `json:"keep"`         // backups kept per event, 2–500, default 24
}

// BackupStatus is what the header and the events screen show.
type BackupStatus struct {
	Folder       string `json:"folder"`
	EveryMinutes int    `json:"everyMinutes"`
	Keep         int    `json:"keep"`
	// State: off (no folder), waiting (no backup of this event yet),
	// ok (the last try succeeded), failing (the last try failed).
	State     string `json:"state"`
	LastGood  string `json:"lastGood,omitempty"` // RFC 3339, the last verified backup
	LastPath  string `json:"lastPath,omitempty"`
	LastError string `json:"lastError,omitempty"`
}

// BackupEntry is one event file found in a backup folder.
type BackupEntry struct {
	store.FileSummary
	EventID   string `json:"eventId"`
	EventName string `json:"eventName"`
	EventDate string `json:"eventDate"`
	Auto      bool   `json:"auto"`    // written by the automatic backup
	Problem   string `json:"problem"` // why it cannot be restored, if it cannot
}

type backupMark struct {
	station string
	mark    store.Mark
}

const (
	backupSettingsFile = "backup.json"
	defaultEvery       = 5
	defaultKeep        = 24
	autoBackupTag      = "自动备份"
	maxListed          = 500
)

func newBackupService(ws *Workspace) *BackupService {
	b := &BackupService{ws: ws}
	b.settings = readBackupSettings(ws.dataDir)
	b.status = b.freshStatus()
	ws.onOpen = append(ws.onOpen, b.start)
	ws.onClose = append(ws.onClose, b.halt)
	return b
}

func readBackupSettings(dataDir string) BackupSettings {
	var s BackupSettings
	raw, err := os.ReadFile(filepath.Join(dataDir, backupSettingsFile))
	if err == nil {
		_ = json.Unmarshal(raw, &s) // a damaged settings file means: not set
	}
	return normalBackupSettings(s)
}

func normalBackupSettings(s BackupSettings) BackupSettings {
	s.Folder = strings.TrimSpace(s.Folder)
	if s.EveryMinutes == 0 {
		s.EveryMinutes = defaultEvery
	}
	if s.Keep == 0 {
		s.Keep = defaultKeep
	}
	return s
}

// freshStatus is the status before any backup of the open event; b.mu held.
func (b *BackupService) freshStatus() BackupStatus {
	st := BackupStatus{Folder: b.settings.Folder, EveryMinutes: b.settings.EveryMinutes, Keep: b.settings.Keep, State: "off"}
	if st.Folder != "" {
		st.State = "waiting"
	}
	return st
}

// Settings returns this laptop's backup settings.
func (b *BackupService) Settings() BackupSettings {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.settings
}

// Status says when the open event was last backed up, and whether the last
// try failed (the stick was pulled out).
func (b *BackupService) Status() BackupStatus {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.status
}

// Configure sets the backup folder and rhythm; an empty folder turns
// automatic backups off. The folder is created if missing and must take a
// file; with an event open, a first backup is made at once.
func (b *BackupService) Configure(in BackupSettings) (*BackupStatus, error) {
	in = normalBackupSettings(in)
	if in.EveryMinutes < 1 || in.EveryMinutes > 60 {
		return nil, sayBackupEvery.Err()
	}
	if in.Keep < 2 || in.Keep > 500 {
		return nil, sayBackupKeep.Err()
	}
	if in.Folder != "" {
		if !filepath.IsAbs(in.Folder) {
			return nil, sayBackupFolderRelative.Err("folder", in.Folder)
		}
		in.Folder = filepath.Clean(in.Folder)
		if err := probeFolder(in.Folder); err != nil {
			return nil, sayBackupFolderUnusable.Wrap(err, "folder", in.Folder)
		}
	}
	raw, _ := json.MarshalIndent(in, "", " ")
	if err := os.MkdirAll(b.ws.dataDir, 0o700); err != nil {
		return nil, sayBackupSettingsFailed.Wrap(err)
	}
	if err := safefile.Write(filepath.Join(b.ws.dataDir, backupSettingsFile), raw, 0o600); err != nil {
		return nil, sayBackupSettingsFailed.Wrap(err)
	}
	b.mu.Lock()
	changedFolder := in.Folder != b.settings.Folder
	b.settings = in
	if changedFolder {
		b.status, b.last = b.freshStatus(), backupMark{}
	}
	b.status.Folder, b.status.EveryMinutes, b.status.Keep = in.Folder, in.EveryMinutes, in.Keep
	if in.Folder == "" {
		b.status.State = "off"
	}
	wake := b.wake
	b.mu.Unlock()
	b.ws.log.Info("backup settings", "folder_set", in.Folder != "", "every_min", in.EveryMinutes, "keep", in.Keep)
	if wake != nil {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	if st, _, err := b.ws.open(); err == nil && in.Folder != "" {
		b.backup(st, true)
	}
	status := b.Status()
	b.ws.emit(BackupChanged, status)
	return &status, nil
}

// probeFolder makes the folder if needed and proves a file can be written
// and removed there (a read-only stick fails here, not at the first tick).
func probeFolder(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".fuzhi-probe-*")
	if err != nil {
		return err
	}
	name := f.Name()
	_, werr := f.Write([]byte("ok"))
	cerr := f.Close()
	os.Remove(name)
	return errors.Join(werr, cerr)
}

// BackupNow backs the open event up at once (before handing the laptop
// over, before a risky change), even if nothing changed.
func (b *BackupService) BackupNow() (*BackupStatus, error) {
	st, _, err := b.ws.open()
	if err != nil {
		return nil, err
	}
	if b.Settings().Folder == "" {
		return nil, sayBackupNoFolder.Err()
	}
	if err := b.backup(st, true); err != nil {
		return nil, err
	}
	status := b.Status()
	return &status, nil
}

// start runs the backup ticker for a newly opened event.
func (b *BackupService) start(st *store.Store) {
	latest, at := latestAutoBackup(b.Settings().Folder, autoBackupPrefix(b.ws.currentEvent(), st.Station()))
	b.mu.Lock()
	b.status, b.last = b.freshStatus(), backupMark{}
	if latest != "" {
		// Reopened: the header goes on showing the backup already on the stick.
		b.status.State, b.status.LastGood, b.status.LastPath = "ok", at.Format(time.RFC3339), latest
	}
	b.stop, b.done, b.wake = make(chan struct{}), make(chan struct{}), make(chan struct{}, 1)
	stop, done, wake := b.stop, b.done, b.wake
	b.mu.Unlock()
	go b.loop(st, stop, done, wake)
}

// halt stops the ticker before the event's store closes, waiting for a
// backup in progress to finish.
func (b *BackupService) halt() {
	b.mu.Lock()
	stop, done := b.stop, b.done
	b.stop, b.done, b.wake = nil, nil, nil
	b.mu.Unlock()
	if stop != nil {
		close(stop)
		<-done
	}
	// A 立即备份 still writing finishes before the store closes.
	b.run.Lock()
	defer b.run.Unlock()
}

func (b *BackupService) loop(st *store.Store, stop, done, wake chan struct{}) {
	defer close(done)
	every := func() time.Duration {
		if b.tick > 0 {
			return b.tick
		}
		return time.Duration(b.Settings().EveryMinutes) * time.Minute
	}
	t := time.NewTimer(every())
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-wake:
			t.Reset(every())
		case <-t.C:
			if b.Settings().Folder != "" {
				_ = b.backup(st, false) // the status says how it went
			}
			t.Reset(every())
		}
	}
}

// backup writes one verified backup of st, unless force is false and
// nothing changed since the last one; then rotates the folder.
func (b *BackupService) backup(st *store.Store, force bool) error {
	b.run.Lock()
	defer b.run.Unlock()
	settings := b.Settings()
	if settings.Folder == "" {
		return nil
	}
	now := b.ws.now()
	mark := backupMark{station: st.Station(), mark: st.Mark()}
	b.mu.Lock()
	unchanged := b.last == mark && b.status.LastPath != ""
	b.mu.Unlock()
	if unchanged && !force {
		if _, err := os.Stat(b.Status().LastPath); err == nil {
			return nil
		}
	}
	ev := b.ws.currentEvent()
	prefix := autoBackupPrefix(ev, st.Station())
	dst := filepath.Join(settings.Folder, prefix+now.Format("20060102-150405")+".fzevent")
	err := writeVerifiedBackup(b.ws.ctx, st, ev.ID, settings.Folder, dst)
	b.mu.Lock()
	if err != nil {
		b.status.State = "failing"
		b.status.LastError = sayBackupFailed.Wrap(err, "folder", settings.Folder).Error()
	} else {
		b.status.State, b.status.LastError = "ok", ""
		b.status.LastGood, b.status.LastPath = now.Format(time.RFC3339), dst
		b.last = mark
	}
	status := b.status
	b.mu.Unlock()
	if err != nil {
		b.ws.log.Warn("backup failed", "event", ev.ID, "err", err)
		b.ws.emit(BackupChanged, status)
		return sayBackupFailed.Wrap(err, "folder", settings.Folder)
	}
	if err := rotateBackups(settings.Folder, prefix, settings.Keep); err != nil {
		b.ws.log.Warn("backup rotation", "event", ev.ID, "err", err)
	}
	b.ws.log.Info("backup written", "event", ev.ID, "file", filepath.Base(dst))
	b.ws.emit(BackupChanged, status)
	return nil
}

// writeVerifiedBackup writes the hot backup (a compacted snapshot, under a
// temporary name until complete and synced), then reads it back: it must
// open as an event file of this event and station.
func writeVerifiedBackup(ctx context.Context, st *store.Store, eventID, folder, dst string) error {
	if err := os.MkdirAll(folder, 0o700); err != nil {
		return err
	}
	if _, _, err := st.CompactTo(ctx, dst); err != nil {
		return err
	}
	e := inspectBackup(dst)
	switch {
	case e.Problem != "":
		return fmt.Errorf("verify %s: %s", dst, e.Problem)
	case e.Station != st.Station():
		return fmt.Errorf("verify %s: holds station %s, not %s", dst, e.Station, st.Station())
	case e.EventID != eventID:
		return fmt.Errorf("verify %s: the event in it is %q, not %q", dst, e.EventID, eventID)
	}
	return nil
}

// autoBackupPrefix names the backups of one event written by one laptop,
// so a folder can hold several events' and several laptops' backups (a
// shared drive, or the stick passed from the hub to a desk) without one
// overwriting or rotating away another's:
// <event name>-<event id>-<station>-自动备份-<yyyymmdd-hhmmss>.fzevent; the
// time sorts the names.
func autoBackupPrefix(ev model.Event, station string) string {
	base := unsafeFileChars.ReplaceAllString(ev.Name, "-")
	if r := []rune(base); len(r) > 40 {
		base = string(r[:40])
	}
	id := unsafeFileChars.ReplaceAllString(ev.ID, "-")
	return base + "-" + id + "-" + unsafeFileChars.ReplaceAllString(station, "-") + "-" + autoBackupTag + "-"
}

// latestAutoBackup finds the newest automatic backup with prefix in folder.
func latestAutoBackup(folder, prefix string) (string, time.Time) {
	if folder == "" {
		return "", time.Time{}
	}
	names, _ := autoBackups(folder, prefix)
	if len(names) == 0 {
		return "", time.Time{}
	}
	path := filepath.Join(folder, names[len(names)-1])
	info, err := os.Stat(path)
	if err != nil {
		return "", time.Time{}
	}
	return path, info.ModTime()
}

// autoBackups lists the automatic backups with prefix in folder, oldest first.
func autoBackups(folder, prefix string) ([]string, error) {
	entries, err := os.ReadDir(folder)
	if err != nil {
		return nil, err
	}
	var mine []string
	for _, e := range entries {
		if n := e.Name(); !e.IsDir() && strings.HasPrefix(n, prefix) && strings.HasSuffix(n, ".fzevent") {
			mine = append(mine, n)
		}
	}
	sort.Strings(mine)
	return mine, nil
}

// rotateBackups keeps the newest keep automatic backups with prefix (this
// event, this laptop) and removes older ones; other events' and other
// laptops' files and hand-made backups stay.
func rotateBackups(folder, prefix string, keep int) error {
	mine, err := autoBackups(folder, prefix)
	if err != nil {
		return err
	}
	var errs []error
	for len(mine) > keep {
		errs = append(errs, os.Remove(filepath.Join(folder, mine[0])))
		mine = mine[1:]
	}
	return errors.Join(errs...)
}

// List shows the event files in a folder (the backup folder when folder is
// empty), newest change first, with what each holds. Nothing is opened for
// writing: a backup is never changed by looking at it.
func (b *BackupService) List(folder string) ([]BackupEntry, error) {
	folder = strings.TrimSpace(folder)
	if folder == "" {
		folder = b.Settings().Folder
	}
	if folder == "" {
		return nil, sayBackupNoFolder.Err()
	}
	entries, err := os.ReadDir(folder)
	if err != nil {
		return nil, sayBackupListFailed.Wrap(err, "folder", folder)
	}
	type file struct {
		name string
		mod  time.Time
	}
	var files []file
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(strings.ToLower(n), ".fzevent") || strings.HasPrefix(n, ".") {
			continue
		}
		if info, err := e.Info(); err == nil {
			files = append(files, file{n, info.ModTime()})
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].mod.After(files[j].mod) })
	if len(files) > maxListed {
		files = files[:maxListed]
	}
	out := make([]BackupEntry, 0, len(files))
	for _, f := range files {
		out = append(out, inspectBackup(filepath.Join(folder, f.name)))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].LastChange > out[j].LastChange })
	return out, nil
}

func inspectBackup(path string) BackupEntry {
	e := BackupEntry{FileSummary: store.FileSummary{Path: path}, Auto: strings.Contains(filepath.Base(path), "-"+autoBackupTag+"-")}
	ro, err := store.OpenReadOnly(path)
	if err != nil {
		e.Problem = err.Error()
		return e
	}
	defer ro.Close()
	if e.FileSummary, err = ro.Summary(); err != nil {
		e.Problem = err.Error()
		return e
	}
	ev, found, err := store.Events.Get(ro, eventEntity)
	if err != nil || !found {
		e.Problem = sayNoEventInfo.Err().Error()
		return e
	}
	e.EventID, e.EventName, e.EventDate = ev.ID, ev.Name, ev.StartDate
	return e
}

// Restore copies a backup into this laptop's data folder as a new file and
// opens the copy. The backup itself is only read, so the stick keeps it as
// it was. The copy becomes a new replica (store.RestoreCopy): whatever the
// lost laptop wrote after the backup still merges in from the desks that
// have it, and nothing is mistaken for anything else.
func (b *BackupService) Restore(path string) (*EventInfo, error) {
	abs, err := filepath.Abs(strings.TrimSpace(path))
	if err != nil {
		return nil, sayBackupRestoreFailed.Wrap(err, "path", path)
	}
	if st, _, err := b.ws.open(); err == nil && st.Path() == abs {
		return nil, sayBackupRestoreOpen.Err()
	}
	if _, err := os.Stat(abs); err != nil {
		return nil, sayNoEventFile.Err("path", abs)
	}
	entry := inspectBackup(abs)
	if entry.Problem != "" {
		return nil, sayBackupRestoreFailed.Wrap(errors.New(entry.Problem), "path", abs)
	}
	base := unsafeFileChars.ReplaceAllString(entry.EventName, "-")
	if r := []rune(base); len(r) > 40 {
		base = string(r[:40])
	}
	if err := os.MkdirAll(b.ws.dataDir, 0o700); err != nil {
		return nil, sayBackupRestoreFailed.Wrap(err, "path", abs)
	}
	dst := filepath.Join(b.ws.dataDir, fmt.Sprintf("%s-恢复-%s.fzevent", base, b.ws.now().Format("20060102-150405")))
	for i := 2; ; i++ {
		if _, err := os.Stat(dst); errors.Is(err, os.ErrNotExist) {
			break
		}
		dst = filepath.Join(b.ws.dataDir, fmt.Sprintf("%s-恢复-%s-%d.fzevent", base, b.ws.now().Format("20060102-150405"), i))
	}
	// The copy does not rejoin the venue network by itself: a station's
	// link is bound to the old replica id (the hub would refuse the copy's
	// ops), and a hub listener coming back on another laptop, maybe while
	// the old hub still runs, is the organizer's decision (会场网络).
	if _, err := store.RestoreCopy(b.ws.ctx, abs, dst, station.LocalKey, station.LocalSuccession, localHubListen); err != nil {
		return nil, sayBackupRestoreFailed.Wrap(err, "path", abs)
	}
	b.ws.log.Info("backup restored", "event", entry.EventID, "file", filepath.Base(dst))
	return b.ws.OpenFile(dst)
}
