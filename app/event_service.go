package app

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/fuzhi/eventdesk/internal/buildinfo"
	"github.com/fuzhi/eventdesk/internal/safefile"
	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/model/dict"
	"github.com/fuzhi/eventdesk/store"
)

// EventService creates, opens and closes event files.
type EventService struct {
	ws *Workspace
	// backup and network feed the diagnostics zip (Diagnostics).
	backup  *BackupService
	network *NetworkService
}

// EventInput is what the "new event" form sends.
type EventInput struct {
	Name      string   `json:"name"`
	StartDate string   `json:"startDate"`
	EndDate   string   `json:"endDate,omitempty"`
	Venue     string   `json:"venue,omitempty"`
	Province  string   `json:"province,omitempty"`
	City      string   `json:"city,omitempty"`
	Organizer string   `json:"organizer,omitempty"`
	Chains    []string `json:"chains,omitempty"`
	Formats   []string `json:"formats,omitempty"`
	// Path is where to create the file; empty puts it in the data folder.
	Path string `json:"path,omitempty"`
}

var datePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func (in *EventInput) check() error {
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		return sayEventName.Err()
	}
	if in.StartDate == "" || !datePattern.MatchString(in.StartDate) {
		return sayStartDate.Err()
	}
	if _, err := time.Parse("2006-01-02", in.StartDate); err != nil {
		return sayBadStartDate.Err("value", in.StartDate)
	}
	if in.EndDate == "" {
		in.EndDate = in.StartDate
	}
	if in.EndDate < in.StartDate {
		return sayEndBeforeStart.Err()
	}
	for _, f := range in.Formats {
		if !slices.Contains(model.Formats, f) {
			return sayUnknownFormat.Err("value", f)
		}
	}
	return nil
}

// placeCodes sets the event's GB/T 2260 codes from its province and city
// as typed, writing the dictionary's full names ("山东" → "山东省"); a
// name the dictionary does not know stays as typed, without a code.
func placeCodes(ev *model.Event) {
	ev.ProvinceCode, ev.CityCode = "", ""
	if p, ok := dict.ProvinceOf(ev.Province); ok {
		ev.Province, ev.ProvinceCode = p.Name, p.Code
	}
	if c, ok := dict.CityOf(ev.City); ok && (ev.ProvinceCode == "" || c.Province() == ev.ProvinceCode) {
		ev.City, ev.CityCode = c.Name, c.Code
		if ev.ProvinceCode == "" {
			if p, ok := dict.ProvinceOf(c.Province()); ok {
				ev.Province, ev.ProvinceCode = p.Name, p.Code
			}
		}
	}
}

// Current is the open event, or nil when none is open.
func (s *EventService) Current() (*EventInfo, error) {
	info, err := s.ws.info()
	if err == ErrNoEvent {
		return nil, nil
	}
	return info, err
}

// Create makes a new event file and opens it.
func (s *EventService) Create(in EventInput) (*EventInfo, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	path := in.Path
	if path == "" {
		path = filepath.Join(s.ws.dataDir, fileNameFor(in.Name, in.StartDate))
	}
	if _, err := os.Stat(path); err == nil {
		return nil, sayFileExists.Err("path", path)
	}
	ev := model.Event{
		ID: newID("E", nil), Name: in.Name, StartDate: in.StartDate, EndDate: in.EndDate, Venue: in.Venue,
		Province: in.Province, City: in.City, Organizer: in.Organizer, Chains: nonNil(in.Chains), Formats: nonNil(in.Formats),
		CreatedAt: s.ws.now().Format(time.RFC3339),
	}
	placeCodes(&ev)
	if err := createEventFile(s.ws, path, ev, nil); err != nil {
		return nil, err
	}
	return s.ws.OpenFile(path)
}

// createEventFile writes a new file with the event and any seed changes.
func createEventFile(ws *Workspace, path string, ev model.Event, seed []store.Change) error {
	st, err := store.Open(ws.ctx, path, store.Options{})
	if err != nil {
		return fmt.Errorf("create event file: %w", err)
	}
	changes := append([]store.Change{store.Events.Put(eventEntity, ev), newBadgeKeyChange(ws.now())}, seed...)
	if _, err := st.Apply(ws.ctx, changes...); err != nil {
		st.Close()
		os.Remove(path)
		return fmt.Errorf("create event file: %w", err)
	}
	return st.Close()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

var unsafeFileChars = regexp.MustCompile(`[\\/:*?"<>|\s]+`)

func fileNameFor(name, date string) string {
	base := unsafeFileChars.ReplaceAllString(name, "-")
	if r := []rune(base); len(r) > 40 {
		base = string(r[:40])
	}
	return fmt.Sprintf("%s-%s-%s.fzevent", date, base, strings.ToLower(newID("", nil)[:4]))
}

// Update changes the open event's details.
func (s *EventService) Update(in EventInput) (*EventInfo, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	return s.changeEvent("保存活动信息失败", func(ev *model.Event) {
		ev.Name, ev.StartDate, ev.EndDate, ev.Venue = in.Name, in.StartDate, in.EndDate, in.Venue
		ev.Province, ev.City, ev.Organizer, ev.Chains, ev.Formats = in.Province, in.City, in.Organizer, nonNil(in.Chains), nonNil(in.Formats)
		placeCodes(ev)
	})
}

// changeEvent applies change to the open event's record and saves it.
func (s *EventService) changeEvent(failure string, change func(*model.Event)) (*EventInfo, error) {
	st, _, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	s.ws.mu.RLock()
	ev := s.ws.event
	s.ws.mu.RUnlock()
	change(&ev)
	if _, err := st.Apply(s.ws.ctx, store.Events.Put(eventEntity, ev)); err != nil {
		return nil, fmt.Errorf("%s：%w", failure, err)
	}
	return s.ws.info()
}

// SetLogo sets the event's logo, printed on every badge; empty data removes
// it. Only a PNG or JPEG picture of sensible size is taken, and it is kept
// as a plain PNG the badge printer is sure to read.
func (s *EventService) SetLogo(data []byte) (*EventInfo, error) {
	if len(data) > 0 {
		var err error
		if data, err = normalizeLogo(data); err != nil {
			return nil, err
		}
	}
	return s.changeEvent("保存活动标志失败", func(ev *model.Event) { ev.Logo = data })
}

// normalizeLogo checks an uploaded logo and re-encodes it as an 8-bit,
// non-interlaced PNG: a header can look right over broken pixels, and the
// PDF library refuses some valid files (interlaced PNG), which would
// otherwise stop every badge run later instead of the upload now.
func normalizeLogo(data []byte) ([]byte, error) {
	if len(data) > model.MaxLogoBytes {
		return nil, sayLogoTooBig.Err("kb", len(data)>>10, "max", model.MaxLogoBytes>>10)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "png" && format != "jpeg") {
		return nil, sayLogoNotImage.Err()
	}
	if cfg.Width < 16 || cfg.Height < 16 || cfg.Width > 2000 || cfg.Height > 2000 {
		return nil, sayLogoSize.Err("w", cfg.Width, "h", cfg.Height)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, sayLogoBroken.Err()
	}
	var out bytes.Buffer
	if err := png.Encode(&out, img); err != nil {
		return nil, sayLogoSaveFailed.Wrap(err)
	}
	if out.Len() > model.MaxLogoBytes {
		return nil, sayLogoPNGTooBig.Err("max", model.MaxLogoBytes>>10)
	}
	return out.Bytes(), nil
}

// Open opens an existing event file.
func (s *EventService) Open(path string) (*EventInfo, error) { return s.ws.OpenFile(path) }

// Close closes the open event.
func (s *EventService) Close() error { return s.ws.CloseEvent() }

// Recent lists recently opened events, newest first.
func (s *EventService) Recent() ([]RecentEvent, error) {
	list, err := readRecent(s.ws.dataDir)
	if list == nil {
		list = []RecentEvent{}
	}
	return list, err
}

// OpenDemo opens the built-in demo event, creating it on first use: a
// morning already played (see buildLivingDemo), so every screen has content.
func (s *EventService) OpenDemo() (*EventInfo, error) {
	path := filepath.Join(s.ws.dataDir, DemoFileName)
	if _, err := os.Stat(path); os.IsNotExist(err) {
		if err := buildLivingDemo(s.ws.ctx, s.ws.dataDir, path, s.ws.now()); err != nil {
			return nil, err
		}
	}
	return s.ws.OpenFile(path)
}

// OpenPractice opens the practice event, creating it on first use: the
// demo's registrations and catalogs with nothing done yet.
func (s *EventService) OpenPractice() (*EventInfo, error) {
	path := filepath.Join(s.ws.dataDir, PracticeFileName)
	if _, err := os.Stat(path); os.IsNotExist(err) {
		if err := CreatePractice(s.ws, path); err != nil {
			return nil, err
		}
	}
	return s.ws.OpenFile(path)
}

// Backup writes a consistent copy of the open event next to it and returns its path.
func (s *EventService) Backup() (string, error) {
	st, _, err := s.ws.open()
	if err != nil {
		return "", err
	}
	dst := strings.TrimSuffix(st.Path(), ".fzevent") + "-备份-" + s.ws.now().Format("20060102-150405") + ".fzevent"
	if _, err := st.BackupFile(dst); err != nil {
		return "", err
	}
	return dst, nil
}

// FileUsage says how large the event file is and whether compacting it is
// worth offering (after a large import, before a file goes to a station).
func (s *EventService) FileUsage() (*FileUsage, error) {
	st, _, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	return usageOf(st)
}

// Compact rewrites the event file without its empty space; the app stays
// open and the desks pause for the moment the file is swapped.
func (s *EventService) Compact() (*CompactResult, error) { return s.ws.compactEvent() }

// Formats lists the event formats the form offers.
func (s *EventService) Formats() []string { return model.Formats }

var exportKinds = map[string]bool{".pdf": true, ".xlsx": true, ".csv": true, ".zip": true, ".json": true}

const maxExportBytes = 1 << 30

// SaveExport writes a file the UI produced (a badge PDF, a workbook) into
// the event's exports folder and returns its path. The desktop window uses
// it because a browser-style download has nowhere to go there.
func (s *EventService) SaveExport(fileName string, data []byte) (string, error) {
	name := unsafeFileChars.ReplaceAllString(filepath.Base(fileName), "-")
	if name == "" || name == "." || name == "-" || strings.HasPrefix(name, ".") {
		return "", sayBadExportName.Err("name", fmt.Sprintf("%q", fileName))
	}
	// Only the kinds of file the screens produce: nothing the system would
	// run or load when the folder is opened (.exe, .lnk, .desktop, .dll).
	if !exportKinds[strings.ToLower(filepath.Ext(name))] {
		return "", sayExportKind.Err("name", fmt.Sprintf("%q", fileName))
	}
	if len(data) > maxExportBytes {
		return "", sayExportTooBig.Err("mb", len(data)>>20)
	}
	dir := filepath.Join(s.ws.dataDir, "导出")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", sayExportFailed.Wrap(err, "name", name)
	}
	path := filepath.Join(dir, name)
	if err := safefile.Write(path, data, 0o600); err != nil {
		return "", sayExportFailed.Wrap(err, "name", name)
	}
	return path, nil
}

// AboutInfo is what the 关于 dialog shows: which build runs, and where its
// events and log are kept (what a support call asks first).
type AboutInfo struct {
	buildinfo.Build
	DataDir string `json:"dataDir"`
}

// About names this build and its data folder.
func (s *EventService) About() AboutInfo {
	return AboutInfo{Build: buildinfo.Read(), DataDir: s.ws.DataDir()}
}

// StartPage is the screen to open on start, set from the command line
// (fuzhi-desk --page desk): a laptop at the door opens straight on the desk.
func (s *EventService) StartPage() string { return s.ws.startPage }
