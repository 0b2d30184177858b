package app

import (
	"bytes"

	"github.com/fuzhi/eventdesk/app/pdf"
	"github.com/fuzhi/eventdesk/app/ticket"
	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
)

// BadgeService prints badges and reissues them.
type BadgeService struct{ ws *Workspace }

// CategoryColors are the badge bands: a door steward tells a guest from a
// delegate, the press and the staff at a glance (the role is printed
// under the band).
var CategoryColors = map[model.Category][3]int{
	model.CategoryGuest:    {192, 40, 45},
	model.CategoryDelegate: {32, 96, 176},
	model.CategoryMedia:    {217, 119, 6},
	model.CategoryStaff:    {22, 140, 80},
}

// BadgeRequest chooses who to print for: given ids, or everyone matching
// the filter (role, not yet printed).
type BadgeRequest struct {
	Layout    string   `json:"layout"`
	IDs       []string `json:"ids,omitempty"`
	Role      string   `json:"role,omitempty"`
	Unprinted bool     `json:"unprinted,omitempty"`
	// Back prints the day's programme on the back of each A6 badge, for
	// double-sided printing.
	Back bool `json:"back,omitempty"`
}

// Layouts lists the printable sizes.
func (s *BadgeService) Layouts() []pdf.Layout { return pdf.Layouts }

// PrintedBadges is a badge PDF and the badge version of each person in it.
// Nobody counts as printed yet: the caller writes the file first (safely:
// a full disk must not lose the "not yet printed" mark) and then hands
// Badges to MarkPrinted.
type PrintedBadges struct {
	PDF    []byte         `json:"pdf"`
	Badges []PrintedBadge `json:"badges"`
}

// PrintedBadge is one person's badge version in a PDF.
type PrintedBadge struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
}

// Print makes the badge PDF. See PrintedBadges for when they count as printed.
func (s *BadgeService) Print(req BadgeRequest) (*PrintedBadges, error) {
	_, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	if req.Layout == "" {
		req.Layout = "a6"
	}
	if _, err := pdf.LayoutByID(req.Layout); err != nil {
		return nil, err
	}
	var people []model.Participant
	if len(req.IDs) > 0 {
		for _, id := range req.IDs {
			p, ok := roster.get(id)
			if !ok {
				return nil, sayNoParticipant.Err("id", id)
			}
			people = append(people, p)
		}
	} else {
		for _, e := range roster.all() {
			p := e.p
			if req.Role != "" && string(p.Role) != req.Role {
				continue
			}
			if req.Unprinted && p.BadgePrinted >= p.CurrentBadgeVersion() {
				continue
			}
			people = append(people, *p)
		}
	}
	if len(people) == 0 {
		return nil, sayNoBadgesToPrint.Err()
	}
	key, err := s.ws.badgeKey()
	if err != nil {
		return nil, err
	}
	s.ws.mu.RLock()
	ev := s.ws.event
	s.ws.mu.RUnlock()
	var programme []model.ProgrammeSession
	if req.Back {
		if programme, err = listView(s.ws, store.Programme); err != nil {
			return nil, err
		}
		sortProgramme(programme)
	}
	back := programmeFor(programme, "")
	badges := make([]pdf.Badge, len(people))
	out := &PrintedBadges{Badges: make([]PrintedBadge, len(people))}
	for i, p := range people {
		code, err := ticket.Make(key, ev.ID, p.ID, p.CurrentBadgeVersion())
		if err != nil {
			return nil, err
		}
		category := p.BadgeCategory()
		badges[i] = pdf.Badge{Name: p.Name, Org: p.Org, Title: p.Title, Category: model.CategoryLabel[category],
			RoleLabel: model.RoleLabel[p.Role], Color: CategoryColors[category], Code: code}
		if req.Back {
			badges[i].Turn = turnOf(programme, p.ID)
		}
		out.Badges[i] = PrintedBadge{ID: p.ID, Version: p.CurrentBadgeVersion()}
	}
	var buf bytes.Buffer
	progress := func(done, total int) { s.ws.emit(BadgeProgress, Progress{Done: done, Total: total}) }
	if len(badges) < 100 {
		progress = nil
	}
	if err := pdf.PrintBadges(&buf, pdf.Sheet{Layout: req.Layout, Event: ev.Name, Logo: ev.Logo, Progress: progress, Back: back}, badges); err != nil {
		return nil, sayBadgesFailed.Wrap(err)
	}
	out.PDF = buf.Bytes()
	return out, nil
}

// MarkPrinted records that these badges are on paper (their file was
// written). A badge reissued since is not marked: its new version still
// needs printing.
func (s *BadgeService) MarkPrinted(printed []PrintedBadge) error {
	st, roster, err := s.ws.open()
	if err != nil {
		return err
	}
	changes := make([]store.Change, 0, len(printed))
	for _, b := range printed {
		p, ok := roster.get(b.ID)
		if !ok || p.CurrentBadgeVersion() != b.Version || p.BadgePrinted >= b.Version {
			continue
		}
		p.BadgePrinted = b.Version
		changes = append(changes, store.Participants.Put(p.ID, p))
	}
	if _, err := st.Apply(s.ws.ctx, changes...); err != nil {
		return sayPrintMarkFailed.Wrap(err)
	}
	return nil
}

// Reprint issues a new badge version for a lost or wrong badge: the old
// badge scans red as revoked from now on.
func (s *BadgeService) Reprint(participantID, layout string) (*PrintedBadges, error) {
	st, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	p, ok := roster.get(participantID)
	if !ok {
		return nil, sayNoParticipant.Err("id", participantID)
	}
	p.BadgeVersion = p.CurrentBadgeVersion() + 1
	if _, err := st.Apply(s.ws.ctx, store.Participants.Put(p.ID, p)); err != nil {
		return nil, sayReprintFailed.Wrap(err)
	}
	return s.Print(BadgeRequest{Layout: layout, IDs: []string{p.ID}})
}
