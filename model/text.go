package model

import (
	"github.com/fuzhi/eventdesk/model/msg"
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
		say   *msg.Kind
		value string
		max   int
	}{
		{sayNameTooLong, p.Name, MaxNameChars}, {sayOrgTooLong, p.Org, MaxOrgChars}, {sayTitleTooLong, p.Title, MaxNameChars},
		{sayEmailTooLong, p.Email, MaxNameChars}, {sayChainTooLong, p.Chain, MaxNameChars}, {sayNoteTooLong, p.Note, MaxTextChars},
		{sayCreditCodeTooLong, p.CreditCode, 18 + 2},
	}
	for _, f := range fields {
		if n := utf8.RuneCountInString(f.value); n > f.max {
			return f.say.Err("n", n, "max", f.max)
		}
	}
	return nil
}

// SayInvalidMobile and SayBadCreditCode answer NormalizeMobile and
// ValidCreditCode wherever a person's details are checked: the form and
// the import say the same.
var (
	SayInvalidMobile = msg.Define("person.invalidMobile", "手机号“{value}”无效，应为 11 位大陆手机号")
	SayBadCreditCode = msg.Define("person.badCreditCode", "统一社会信用代码“{value}”校验不通过")
)

// One sentence per field, so each language names the field itself.
var (
	sayNameTooLong       = msg.Define("person.nameTooLong", "姓名过长（{n} 字，最多 {max} 字）")
	sayOrgTooLong        = msg.Define("person.orgTooLong", "单位过长（{n} 字，最多 {max} 字）")
	sayTitleTooLong      = msg.Define("person.titleTooLong", "职务过长（{n} 字，最多 {max} 字）")
	sayEmailTooLong      = msg.Define("person.emailTooLong", "邮箱过长（{n} 字，最多 {max} 字）")
	sayChainTooLong      = msg.Define("person.chainTooLong", "产业链过长（{n} 字，最多 {max} 字）")
	sayNoteTooLong       = msg.Define("person.noteTooLong", "备注过长（{n} 字，最多 {max} 字）")
	sayCreditCodeTooLong = msg.Define("person.creditCodeTooLong", "统一社会信用代码过长（{n} 字，最多 {max} 字）")
)
