package importer

import (
	"strings"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/model/msg"
)

// Reason codes are stable English words (reports and tests match on them);
// Message carries the Chinese sentence shown to the organizer.
const (
	ReasonMissingName   = "missing name"
	ReasonInvalidMobile = "invalid mobile"
	ReasonBadCreditCode = "bad credit code"
	ReasonInvalidEmail  = "invalid email"
	ReasonDuplicate     = "duplicate in file"
	ReasonTooLong       = "field too long"
)

// Rejected is one row that was not imported.
type Rejected struct {
	Row     int      `json:"row"`
	Reason  string   `json:"reason"`
	Message msg.Text `json:"message"`
}

// Duplicate is a row that repeats an earlier row of the same file.
type Duplicate struct {
	Row      int      `json:"row"`
	FirstRow int      `json:"firstRow"`
	Reason   string   `json:"reason"`
	Message  msg.Text `json:"message"`
}

// Candidate is a row that passed validation.
type Candidate struct {
	Row         int               `json:"row"`
	Participant model.Participant `json:"participant"`
	// UnknownRole keeps the original word when the role column was not understood.
	UnknownRole string `json:"unknownRole,omitempty"`
	// ID is the 编号 column: the app's own export names each person by it,
	// so a file edited in Excel comes back to the same people.
	ID string `json:"id,omitempty"`
	// MaskedMobile is the mobile as a masked export shows it (138****5678):
	// the row leaves the mobile the event has; Participant.Mobile is empty.
	MaskedMobile string `json:"maskedMobile,omitempty"`
}

// isMasked reports a value hidden by a masked export (model.MaskMobile,
// MaskEmail, MaskCreditCode): it stands for "keep what the event has".
func isMasked(v string) bool { return strings.Contains(v, "****") || strings.Contains(v, "***@") }

// Result is the outcome of checking every row, before anything is stored.
type Result struct {
	Rows       int         `json:"rows"`
	Valid      []Candidate `json:"valid"`
	Rejected   []Rejected  `json:"rejected"`
	Duplicates []Duplicate `json:"duplicates"`
}

// Validate checks every row against the mapping. It never fails as a whole:
// each bad row gets its own reason and the good rows go through.
func Validate(t *Table, mapping []Field) (*Result, error) {
	return validate(t, mapping, false)
}

// ValidateOnce is Validate for a table read only to be imported: each row
// is let go (t.Rows emptied) once it is a candidate, so a 200,000-row file
// is not held as rows and as candidates at once.
func ValidateOnce(t *Table, mapping []Field) (*Result, error) {
	return validate(t, mapping, true)
}

func validate(t *Table, mapping []Field, release bool) (*Result, error) {
	col := map[Field]int{}
	for i, f := range mapping {
		if f != FieldIgnore {
			if _, dup := col[f]; dup {
				return nil, sayMappedTwice.Err("field", f)
			}
			col[f] = i
		}
	}
	if _, ok := col[FieldName]; !ok {
		return nil, sayNameNotMapped.Err()
	}
	res := &Result{Rows: len(t.Rows), Valid: make([]Candidate, 0, len(t.Rows)), Rejected: []Rejected{}, Duplicates: []Duplicate{}}
	firstRowOf := make(map[string]int, len(t.Rows))
	if release {
		defer func() { t.Rows, t.RowNums = nil, nil }()
	}
	for i, row := range t.Rows {
		n := t.RowNums[i]
		if release {
			t.Rows[i] = nil
		}
		get := func(f Field) string {
			j, ok := col[f]
			if !ok || j >= len(row) {
				return ""
			}
			return strings.TrimSpace(row[j])
		}
		c, rej := checkRow(get)
		if rej != nil {
			rej.Row = n
			res.Rejected = append(res.Rejected, *rej)
			continue
		}
		key := c.Participant.DedupKey()
		if c.ID != "" {
			key = "id:" + c.ID // two 王伟 of one university keep their own rows
		} else if c.MaskedMobile != "" {
			key += "|" + c.MaskedMobile
		}
		if first, seen := firstRowOf[key]; seen {
			res.Duplicates = append(res.Duplicates, Duplicate{Row: n, FirstRow: first, Reason: ReasonDuplicate,
				Message: sayDuplicateRow.Say("first", first)})
			continue
		}
		firstRowOf[key] = n
		c.Row = n
		res.Valid = append(res.Valid, c)
	}
	return res, nil
}

func checkRow(get func(Field) string) (Candidate, *Rejected) {
	p := model.Participant{
		Name:  model.CleanName(get(FieldName)),
		Org:   model.CleanName(get(FieldOrg)),
		Title: get(FieldTitle),
		Email: strings.ToLower(get(FieldEmail)),
		Chain: get(FieldChain),
		Note:  get(FieldNote),
	}
	if p.Name == "" {
		said := sayMissingName.Say()
		if p.Org != "" {
			said = sayMissingNameAt.Say("org", p.Org)
		}
		return Candidate{}, &Rejected{Reason: ReasonMissingName, Message: said}
	}
	c := Candidate{ID: get(FieldID)}
	if raw := get(FieldMobile); isMasked(raw) {
		c.MaskedMobile = raw
	} else if raw != "" {
		m, ok := model.NormalizeMobile(raw)
		if !ok {
			return Candidate{}, &Rejected{Reason: ReasonInvalidMobile, Message: model.SayInvalidMobile.Say("value", raw)}
		}
		p.Mobile = m
	}
	if raw := get(FieldCreditCode); raw != "" && !isMasked(raw) {
		cc := model.NormalizeCreditCode(raw)
		if !model.ValidCreditCode(cc) {
			return Candidate{}, &Rejected{Reason: ReasonBadCreditCode, Message: model.SayBadCreditCode.Say("value", raw)}
		}
		p.CreditCode = cc
	}
	if isMasked(p.Email) {
		p.Email = ""
	}
	if p.Email != "" && (!strings.Contains(p.Email, "@") || strings.ContainsAny(p.Email, " ,;")) {
		return Candidate{}, &Rejected{Reason: ReasonInvalidEmail, Message: sayInvalidEmail.Say("value", p.Email)}
	}
	if err := p.CheckLengths(); err != nil {
		return Candidate{}, &Rejected{Reason: ReasonTooLong, Message: msg.Of(err)}
	}
	if raw := get(FieldRole); raw != "" {
		if r, ok := model.ParseRole(raw); ok {
			p.Role = r
		} else {
			c.UnknownRole = raw
		}
	}
	if raw := get(FieldCategory); raw != "" {
		if k, ok := model.ParseCategory(raw); ok {
			p.Category = k
		}
	}
	if raw := get(FieldTier); raw != "" {
		// A level the sheet names in its own words is left unset, not
		// guessed: the figures count only levels they can name.
		if t, ok := model.ParseTier(raw); ok {
			p.Tier = t
		}
	}
	switch strings.ToLower(get(FieldConsent)) {
	case "是", "同意", "y", "yes", "true", "1", "√":
		p.Consent = true
	}
	c.Participant = p
	return c, nil
}
