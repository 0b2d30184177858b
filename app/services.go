package app

import (
	"context"
	"io/fs"
	"log/slog"
	"time"

	"github.com/fuzhi/eventdesk/internal/logfile"
)

// Options is everything a shell decides about the app before it starts.
type Options struct {
	// Context bounds every store call; nil means context.Background().
	Context context.Context
	// DataDir holds new event files, the recent list and the log.
	DataDir string
	// Emitter receives UI events; nil drops them until SetEmitter (Wails
	// hands its context over only at startup).
	Emitter Emitter
	// UI is the built frontend the hub serves to exhibitors' phones.
	UI fs.FS
	// StartPage is the screen the UI opens on ("desk" for a check-in laptop).
	StartPage string
	// Clock replaces the wall clock (tests pin the event day).
	Clock func() time.Time
	// Logger receives what the app did and what failed (internal/logfile);
	// nil discards it.
	Logger *slog.Logger
	// (tests cut connections on purpose).
}

// Services is the one list of services both shells expose: the Wails window
// binds these, the HTTP server routes /api/<Type>/<Method> to these.
type Services struct {
	Event    *EventService
	Roster   *RosterService
	Catalog  *CatalogService
	Checkin  *CheckinService
	Badge    *BadgeService
	Match    *MatchService
	Request  *RequestService
	Table    *TableService
	Network  *NetworkService
	Platform *PlatformService
	Summary  *SummaryService
	Backup   *BackupService
	// Programme is the day's sessions and roadshows.
	Programme *ProgrammeService
	// Dictionary maps chains and places to the national codes.
	Dictionary *DictionaryService
}

// App is the services over one workspace, built once and wired to each
// other: no service builds a copy of another.
type App struct {
	Services
	Workspace *Workspace
}

// New builds the workspace and every service over it.
func New(o Options) *App {
	if o.Context == nil {
		o.Context = context.Background()
	}
	ws := newWorkspace(o.Context, o.DataDir, o.Emitter)
	ws.startPage = o.StartPage
	ws.log = o.Logger
	if ws.log == nil {
		ws.log = logfile.Discard()
	}
	if o.Clock != nil {
		ws.SetClock(o.Clock)
	}
	a := &App{Workspace: ws}
	s := &a.Services
	s.Event = &EventService{ws: ws}
	s.Badge = &BadgeService{ws: ws}
	s.Roster = &RosterService{ws: ws}
	s.Checkin = &CheckinService{ws: ws, roster: s.Roster, badge: s.Badge}
	s.Match = &MatchService{ws: ws}
	s.Request = &RequestService{ws: ws, match: s.Match}
	s.Match.requests = s.Request
	s.Programme = &ProgrammeService{ws: ws, requests: s.Request}
	s.Match.programme = s.Programme
	s.Table = &TableService{ws: ws, match: s.Match, requests: s.Request, checkin: s.Checkin}
	s.Catalog = &CatalogService{ws: ws, requests: s.Request}
	s.Summary = &SummaryService{ws: ws, checkin: s.Checkin, match: s.Match, programme: s.Programme}
	s.Platform = &PlatformService{ws: ws, summary: s.Summary}
	s.Network = newNetworkService(ws, s.Match, s.Programme, o.UI)
	s.Backup = newBackupService(ws)
	s.Dictionary = &DictionaryService{ws: ws}
	s.Event.backup, s.Event.network = s.Backup, s.Network
	return a
}

// All lists the services for binding.
func (s *Services) All() []any {
	return []any{s.Event, s.Roster, s.Catalog, s.Checkin, s.Badge, s.Match, s.Request, s.Table, s.Network, s.Platform, s.Summary, s.Backup, s.Programme, s.Dictionary}
}
