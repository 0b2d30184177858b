package app

import (
	"bytes"
	"crypto/sha1"
	"encoding/base32"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/fuzhi/eventdesk/app/importer"
	"github.com/fuzhi/eventdesk/internal/heapbound"
	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
)

// RosterService manages participants and organizations.
type RosterService struct{ ws *Workspace }

// ParticipantQuery filters and pages the participant list.
type ParticipantQuery struct {
	Text   string `json:"text,omitempty"`
	Role   string `json:"role,omitempty"`
	Offset int    `json:"offset,omitempty"`
	Limit  int    `json:"limit,omitempty"`
}

// ParticipantPage is one page of the list and the total that matched.
type ParticipantPage struct {
	Total int                 `json:"total"`
	Items []model.Participant `json:"items"`
}

// List pages through participants matching the query (name, organization,
// title, e-mail or any part of the mobile).
func (s *RosterService) List(q ParticipantQuery) (*ParticipantPage, error) {
	_, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	if q.Limit <= 0 || q.Limit > 1000 {
		q.Limit = 100
	}
	page := &ParticipantPage{}
	page.Total, page.Items = roster.filter(strings.TrimSpace(q.Text), q.Role, q.Offset, q.Limit)
	return page, nil
}

// Get returns one participant.
func (s *RosterService) Get(id string) (*model.Participant, error) {
	_, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	p, ok := roster.get(id)
	if !ok {
		return nil, sayNoParticipant.Err("id", id)
	}
	return &p, nil
}

// Save creates (empty ID) or updates a participant entered by hand.
func (s *RosterService) Save(p model.Participant) (*model.Participant, error) {
	st, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	p.Name = model.CleanName(p.Name)
	p.Org = model.CleanName(p.Org)
	p.Title, p.Email, p.Chain, p.Note = model.CleanText(p.Title), model.CleanText(p.Email), model.CleanText(p.Chain), model.CleanText(p.Note)
	if p.Name == "" {
		return nil, sayNameRequired.Err()
	}
	if err := p.CheckLengths(); err != nil {
		return nil, err
	}
	if p.Mobile != "" {
		m, ok := model.NormalizeMobile(p.Mobile)
		if !ok {
			return nil, model.SayInvalidMobile.Err("value", p.Mobile)
		}
		p.Mobile = m
	}
	if p.CreditCode != "" {
		p.CreditCode = model.NormalizeCreditCode(p.CreditCode)
		if !model.ValidCreditCode(p.CreditCode) {
			return nil, model.SayBadCreditCode.Err("value", p.CreditCode)
		}
	}
	if p.Role != "" {
		if _, ok := model.RoleLabel[p.Role]; !ok {
			return nil, sayUnknownRole.Err("value", p.Role)
		}
	}
	if p.Category != "" {
		if _, ok := model.CategoryLabel[p.Category]; !ok {
			return nil, sayUnknownCategory.Err("value", p.Category)
		}
	}
	if other, ok := st.ParticipantByKey(p.DedupKey()); ok && other != p.ID {
		o, _ := roster.get(other)
		return nil, saySamePersonExists.Err("name", o.Name, "org", o.Org)
	}
	if p.ID == "" {
		p.ID = newID("P", func(id string) bool { _, ok := roster.get(id); return ok })
		if p.Source == "" {
			p.Source = "manual"
		}
	} else if _, ok := roster.get(p.ID); !ok {
		return nil, sayNoParticipant.Err("id", p.ID)
	}
	p.Updated = s.ws.now().Format(time.RFC3339)
	changes := []store.Change{store.Participants.Put(p.ID, p)}
	if org, ok := orgFor(&p); ok {
		// A desk adds an organization it does not know, and leaves a known
		// one as the hub has it (the hub admits no other org change from a desk).
		if _, known, _ := store.Orgs.Get(st, org.ID); !known || !isStation(st) {
			changes = append(changes, store.Orgs.Put(org.ID, org))
		}
	}
	if _, err := st.Apply(s.ws.ctx, changes...); err != nil {
		return nil, sayPersonSaveFailed.Wrap(err)
	}
	return &p, nil
}

// registered finds the person p would duplicate (same name and mobile,
// or same name and organization when there is no mobile), as Save would
// refuse it.
func (s *RosterService) registered(p model.Participant) (model.Participant, bool) {
	st, roster, err := s.ws.open()
	if err != nil {
		return model.Participant{}, false
	}
	p.Name, p.Org = model.CleanName(p.Name), model.CleanName(p.Org)
	if m, ok := model.NormalizeMobile(p.Mobile); ok {
		p.Mobile = m
	}
	id, ok := st.ParticipantByKey(p.DedupKey())
	if !ok {
		return model.Participant{}, false
	}
	return roster.get(id)
}

// Delete removes a participant; the op log keeps the history.
func (s *RosterService) Delete(id string) error {
	st, roster, err := s.ws.open()
	if err != nil {
		return err
	}
	if _, ok := roster.get(id); !ok {
		return sayNoParticipant.Err("id", id)
	}
	if _, err := st.Apply(s.ws.ctx, store.Participants.Delete(id)); err != nil {
		return sayPersonDeleteFailed.Wrap(err)
	}
	return nil
}

// orgFor derives the organization of a participant. Its id comes from the
// credit code (or the name) so every import and every station names the same
// organization the same way.
func orgFor(p *model.Participant) (model.Org, bool) {
	if p.Org == "" {
		return model.Org{}, false
	}
	basis := "c|" + p.CreditCode
	if p.CreditCode == "" {
		basis = "n|" + strings.ToLower(p.Org)
	}
	sum := sha1.Sum([]byte(basis))
	id := "O" + base32.StdEncoding.EncodeToString(sum[:])[:10]
	p.OrgID = id
	return model.Org{ID: id, Name: p.Org, CreditCode: p.CreditCode, Role: p.Role, Tier: p.Tier, Chain: p.Chain}, true
}

// ImportPreview is what the mapping step shows before anything is stored.
type ImportPreview struct {
	Format    string           `json:"format"`
	Encoding  string           `json:"encoding"`
	HeaderRow int              `json:"headerRow"`
	Headers   []string         `json:"headers"`
	Mapping   []importer.Field `json:"mapping"`
	Fields    []importer.Field `json:"fields"`
	Sample    [][]string       `json:"sample"`
	Rows      int              `json:"rows"`
}

// PreviewImport reads a file and proposes a column mapping.
func (s *RosterService) PreviewImport(fileName string, data []byte) (*ImportPreview, error) {
	t, err := importer.Read(fileName, data)
	if err != nil {
		return nil, err
	}
	pv := &ImportPreview{Format: t.Format, Encoding: t.Encoding, HeaderRow: t.HeaderRow, Headers: t.Headers,
		Mapping: importer.GuessMapping(t.Headers), Fields: importer.Fields, Rows: len(t.Rows), Sample: [][]string{}}
	for i := 0; i < len(t.Rows) && i < 8; i++ {
		pv.Sample = append(pv.Sample, t.Rows[i])
	}
	return pv, nil
}

// ImportRequest is a file and, optionally, the mapping the user confirmed.
type ImportRequest struct {
	FileName string           `json:"fileName"`
	Data     []byte           `json:"data"`
	Mapping  []importer.Field `json:"mapping,omitempty"`
}

// ImportSummary reports what an import did, row by row for the rows it refused.
type ImportSummary struct {
	Format       string               `json:"format"`
	Encoding     string               `json:"encoding"`
	Rows         int                  `json:"rows"`
	Imported     int                  `json:"imported"`
	Updated      int                  `json:"updated"`
	Unchanged    int                  `json:"unchanged"`
	Rejected     []importer.Rejected  `json:"rejected"`
	Duplicates   []importer.Duplicate `json:"duplicates"`
	UnknownRoles []UnknownRole        `json:"unknownRoles"`
}

// UnknownRole is a row kept without a role because its word was not understood.
type UnknownRole struct {
	Row   int    `json:"row"`
	Value string `json:"value"`
}

// An import runs under a memory ceiling (heapbound): importCeiling, or
// the live heap plus importHeadroom when that is more (a file imported
// again into an event of 200,000). The largest file accepted
// (200,000 rows, 35 MB) leaves about 250 MB live; without a ceiling the
// collector would let the heap reach twice that before collecting.
const (
	importCeiling  = 384 << 20
	importHeadroom = 256 << 20
)

// Import validates every row and stores the good ones in one transaction.
// A person already in the event (same name and mobile, or name and
// organization) is updated, not added again, so importing a file twice is safe.
func (s *RosterService) Import(req ImportRequest) (sum *ImportSummary, err error) {
	heapbound.During(max(importCeiling, heapbound.Live()+importHeadroom), func() { sum, err = s.importFile(req) })
	return sum, err
}

func (s *RosterService) importFile(req ImportRequest) (*ImportSummary, error) {
	st, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	t, err := importer.Read(req.FileName, req.Data)
	if err != nil {
		return nil, err
	}
	mapping := req.Mapping
	if len(mapping) == 0 {
		mapping = importer.GuessMapping(t.Headers)
	}
	if len(mapping) != len(t.Headers) {
		return nil, sayMappingColumns.Err("n", len(mapping), "columns", len(t.Headers))
	}
	res, err := importer.ValidateOnce(t, mapping)
	if err != nil {
		return nil, err
	}
	if res.Rows == 0 {
		return nil, sayHeaderOnly.Err()
	}
	sum := &ImportSummary{Format: t.Format, Encoding: t.Encoding, Rows: res.Rows, Rejected: res.Rejected,
		Duplicates: res.Duplicates, UnknownRoles: []UnknownRole{}}
	now := s.ws.now().Format(time.RFC3339)
	orgs := map[string]bool{}
	find := existingPerson(st, roster)
	// New people take their ids in ascending order down the file: random
	// ids, drawn up front and sorted. The store then writes its view of a
	// new event's people at the view's end, with the log, instead of in a
	// second pass over the view in its keys' order.
	ids := freshIDs("P", len(res.Valid), func(id string) bool { _, ok := roster.get(id); return ok })
	// The candidates are let go as they become changes (the table's rows
	// went as they were checked): each can be collected once it is written.
	valid := res.Valid
	res.Valid = nil
	// The changes are made a batch at a time as the store writes them, so
	// a 200,000-row file never holds all its ops in memory at once.
	next := func() ([]store.Change, error) {
		var changes []store.Change
		for len(valid) > 0 && len(changes) < store.StageBatch-1 {
			c := valid[0]
			valid[0] = importer.Candidate{}
			valid = valid[1:]
			// The array under valid (320 bytes a row) lives as long as any
			// of it is referenced: it is copied smaller as it empties,
			// about one more copy of the rows in all.
			if len(valid) == 0 {
				valid = nil
			} else if len(valid) < cap(valid)/2 && cap(valid) > 4096 {
				valid = slices.Clone(valid)
			}
			p := c.Participant
			// The texts only this person has, copied out of the file's line
			// (one string per row, which they would otherwise keep whole in
			// the roster: 21 MB at 200,000 rows); the shared ones are copied
			// once by the roster's interner.
			p.Name, p.Mobile, p.Email, p.CreditCode = strings.Clone(p.Name), strings.Clone(p.Mobile), strings.Clone(p.Email), strings.Clone(p.CreditCode)
			if c.UnknownRole != "" {
				sum.UnknownRoles = append(sum.UnknownRoles, UnknownRole{Row: c.Row, Value: c.UnknownRole})
			}
			if id, ok := find(c); ok {
				old, _ := roster.get(id)
				merged := mergeImported(old, p)
				if merged == old {
					sum.Unchanged++
					continue
				}
				p = merged
				sum.Updated++
			} else {
				p.ID, ids = ids[0], ids[1:]
				p.Source = "import"
				sum.Imported++
			}
			p.Updated = now
			org, hasOrg := orgFor(&p)
			changes = append(changes, store.Participants.Put(p.ID, p))
			if hasOrg && !orgs[org.ID] {
				orgs[org.ID] = true
				changes = append(changes, store.Orgs.Put(org.ID, org))
			}
		}
		return changes, nil
	}
	if _, err := st.ApplyAll(s.ws.ctx, next); err != nil {
		return nil, sayImportFailed.Wrap(err)
	}
	// A large import let go of the desk's index: it is built again now, in
	// the background, not when the first guest's name is typed (3.2 s at
	// 200,000 people).
	go roster.warm()
	return sum, nil
}

// existingPerson finds who an imported row is already in the event: by the
// 编号 of the app's own export, else by name and mobile (or name and
// organization), else — for a row whose mobile was masked by an export —
// by name, organization and the mobile's visible digits.
func existingPerson(st *store.Store, roster *rosterCache) func(importer.Candidate) (string, bool) {
	if roster.len() == 0 {
		// A new event's first list: nobody to find, and a look in the
		// file's index for each row was a twentieth of its import. (Rows
		// of the file that are the same person were merged when checked.)
		return func(importer.Candidate) (string, bool) { return "", false }
	}
	var byMasked map[string]string
	return func(c importer.Candidate) (string, bool) {
		if c.ID != "" {
			if _, ok := roster.get(c.ID); ok {
				return c.ID, true
			}
		}
		if c.MaskedMobile == "" {
			return st.ParticipantByKey(c.Participant.DedupKey())
		}
		if byMasked == nil {
			byMasked = map[string]string{}
			for _, e := range roster.all() {
				byMasked[e.p.Name+"|"+e.p.Org+"|"+model.MaskMobile(e.p.Mobile)] = e.p.ID
			}
		}
		id, ok := byMasked[c.Participant.Name+"|"+c.Participant.Org+"|"+c.MaskedMobile]
		return id, ok
	}
}

// mergeImported lays a file's row over an existing person: what the file
// says wins, what it leaves empty keeps the value entered earlier.
func mergeImported(old, row model.Participant) model.Participant {
	m := old
	m.Updated = old.Updated
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&m.Name, row.Name)
	set(&m.Org, row.Org)
	set(&m.Title, row.Title)
	set(&m.Mobile, row.Mobile)
	set(&m.Email, row.Email)
	set(&m.CreditCode, row.CreditCode)
	set(&m.Chain, row.Chain)
	set(&m.Note, row.Note)
	if row.Role != "" {
		m.Role = row.Role
	}
	if row.Category != "" {
		m.Category = row.Category
	}
	if row.Tier != "" {
		m.Tier = row.Tier
	}
	if row.Consent {
		m.Consent = true
	}
	return m
}

// ExportRequest chooses what the exported workbook shows.
type ExportRequest struct {
	// Unmasked includes full mobiles; by default the middle digits are hidden.
	Unmasked bool   `json:"unmasked"`
	Role     string `json:"role,omitempty"`
}

// Export writes the participant list as an XLSX workbook.
func (s *RosterService) Export(req ExportRequest) ([]byte, error) {
	_, roster, err := s.ws.open()
	if err != nil {
		return nil, err
	}
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "参会人"
	f.SetSheetName("Sheet1", sheet)
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, fmt.Errorf("export participants: %w", err)
	}
	header := []any{"编号", "姓名", "单位名称", "职务", "手机号", "邮箱", "参会类型", "胸卡类别", "统一社会信用代码", "产业链", "备注"}
	if err := sw.SetRow("A1", header); err != nil {
		return nil, fmt.Errorf("export participants: %w", err)
	}
	row := 2
	for _, e := range roster.all() {
		p := e.p
		if req.Role != "" && string(p.Role) != req.Role {
			continue
		}
		mobile, email, credit := p.Mobile, p.Email, p.CreditCode
		if !req.Unmasked {
			mobile, email, credit = model.MaskMobile(mobile), model.MaskEmail(email), model.MaskCreditCode(credit)
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		vals := []any{p.ID, p.Name, p.Org, p.Title, mobile, email, model.RoleLabel[p.Role], model.CategoryLabel[p.Category], credit, p.Chain, p.Note}
		if err := sw.SetRow(cell, vals); err != nil {
			return nil, fmt.Errorf("export participants row %d: %w", row, err)
		}
		row++
	}
	if err := sw.Flush(); err != nil {
		return nil, fmt.Errorf("export participants: %w", err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("export participants: %w", err)
	}
	return buf.Bytes(), nil
}

// Roles lists the roles with their Chinese labels, for selects.
func (s *RosterService) Roles() []RoleOption {
	out := make([]RoleOption, 0, len(model.Roles))
	for _, r := range model.Roles {
		out = append(out, RoleOption{Value: string(r), Label: model.RoleLabel[r]})
	}
	return out
}

// RoleOption is a role and its Chinese label.
type RoleOption struct {
	Value string `json:"value"`
	Label string `json:"label"`
}
