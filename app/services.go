package app

// Services is the one list of services both shells expose: the Wails window
// binds these, the HTTP server routes /api/<Type>/<Method> to these.
type Services struct {
	Event    *EventService
	Roster   *RosterService
	Catalog  *CatalogService
	Checkin  *CheckinService
	Badge    *BadgeService
	Match    *MatchService
	Network  *NetworkService
	Platform *PlatformService
	Summary  *SummaryService
}

// NewServices builds every service over one workspace.
func NewServices(ws *Workspace) *Services {
	match := NewMatchService(ws)
	return &Services{Event: NewEventService(ws), Roster: NewRosterService(ws), Catalog: NewCatalogService(ws),
		Checkin: NewCheckinService(ws), Badge: NewBadgeService(ws), Match: match,
		Network: NewNetworkService(ws, match), Platform: NewPlatformService(ws), Summary: NewSummaryService(ws)}
}

// All lists the services for binding.
func (s *Services) All() []any {
	return []any{s.Event, s.Roster, s.Catalog, s.Checkin, s.Badge, s.Match, s.Network, s.Platform, s.Summary}
}
