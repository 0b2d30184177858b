package model

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// CleanText drops control characters, keeping tab and newline: a NUL from
// a spreadsheet's _x0000_ or a pasted form breaks CSV readers, PDFs and the
// national platform's database, and nobody means one.
func CleanText(s string) string {
	if !strings.ContainsFunc(s, IsControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || !IsControl(r) {
			return r
		}
		return -1
	}, s)
}

// IsControl is a C0 control character or DEL.
func IsControl(r rune) bool { return r < ' ' || r == 0x7f }

// Longest text a person's fields may hold, in characters: far beyond any
// real name or organization, short enough that a badge, a PDF line or an
// export cell cannot be made to carry megabytes.
const (
	MaxNameChars = 100
	MaxOrgChars  = 200
	MaxTextChars = 2000
)

// CheckLengths names the first field of p that is too long.
func (p *Participant) CheckLengths() error {
	fields := []struct {
		label string
		value string
		max   int
	}{
		{"姓名", p.Name, MaxNameChars}, {"单位", p.Org, MaxOrgChars}, {"职务", p.Title, MaxNameChars},
		{"邮箱", p.Email, MaxNameChars}, {"产业链", p.Chain, MaxNameChars}, {"备注", p.Note, MaxTextChars},
		{"统一社会信用代码", p.CreditCode, 18 + 2},
	}
	for _, f := range fields {
		if n := utf8.RuneCountInString(f.value); n > f.max {
			return fmt.Errorf("%s过长（%d 字，最多 %d 字）", f.label, n, f.max)
		}
	}
	return nil
}
