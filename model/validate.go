package model

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// NormalizeMobile turns what people type for a Chinese mobile (+86 138…,
// 138-1234-5678, full-width digits) into 11 ASCII digits. ok is false when
// what remains is not a mainland mobile number.
func NormalizeMobile(s string) (string, bool) {
	s = narrow(strings.TrimSpace(s))
	if len(s) == 11 && allDigits(s) {
		// As typed in nearly every row: mobileDigits would copy it as is.
		if s[0] != '1' || s[1] < '3' {
			return "", false
		}
		return s, true
	}
	return mobileDigits(s)
}

// mobileDigits is NormalizeMobile of a narrowed text, read rune by rune.
func mobileDigits(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' || r == '-' || r == '(' || r == ')' || unicode.IsSpace(r) || r == '.':
		default:
			return "", false
		}
	}
	d := b.String()
	switch {
	case len(d) == 13 && strings.HasPrefix(d, "86"):
		d = d[2:]
	case len(d) == 15 && strings.HasPrefix(d, "0086"):
		d = d[4:]
	}
	if len(d) != 11 || d[0] != '1' || d[1] < '3' {
		return "", false
	}
	return d, true
}

// MaskMobile hides the middle four digits, the form exports use by default.
func MaskMobile(m string) string {
	switch {
	case m == "":
		return ""
	case len(m) == 11:
		return m[:3] + "****" + m[7:]
	case len(m) > 4:
		return strings.Repeat("*", len(m)-4) + m[len(m)-4:]
	}
	return "****"
}

// MaskEmail keeps the first character and the domain: z***@example.cn.
func MaskEmail(e string) string {
	local, domain, ok := strings.Cut(e, "@")
	if !ok || local == "" {
		return MaskMobile(e)
	}
	first, _ := utf8.DecodeRuneInString(local)
	return string(first) + "***@" + domain
}

// MaskCreditCode keeps the issuing authority and region (6 characters) and
// the last 2: 913701**********5X.
func MaskCreditCode(c string) string {
	if len(c) != 18 {
		return MaskMobile(c)
	}
	return c[:6] + strings.Repeat("*", 10) + c[16:]
}

// creditCodeChars is the GB 32100-2015 alphabet: digits and capitals without
// I, O, S, V, Z. A character's index is its value.
const creditCodeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditCodeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CreditCodeCheckChar computes the 18th character of a 统一社会信用代码
// from the first 17; ok is false when a character is outside the alphabet.
func CreditCodeCheckChar(first17 string) (byte, bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditCodeChars, first17[i])
		if v < 0 {
			return 0, false
		}
		sum += v * creditCodeWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return creditCodeChars[c], true
}

// NormalizeCreditCode upper-cases and narrows a code; ValidCreditCode checks it.
func NormalizeCreditCode(s string) string {
	return strings.ToUpper(narrow(strings.TrimSpace(s)))
}

// narrow is width.Narrow.String(s), without its copy for ASCII, which it
// leaves as it is (most imported mobiles and codes: a 50,000-row import
// allocated 26 MB here).
func narrow(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return width.Narrow.String(s)
		}
	}
	return s
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ValidCreditCode reports whether s is 18 characters with a correct check character.
func ValidCreditCode(s string) bool {
	if len(s) != 18 {
		return false
	}
	c, ok := CreditCodeCheckChar(s[:17])
	return ok && c == s[17]
}

// CleanName trims ordinary and full-width spaces around a name and folds
// runs of inner spaces, so " 郭梅俊 " and "郭梅俊" are one person.
func CleanName(s string) string {
	return strings.Join(strings.FieldsFunc(CleanText(s), unicode.IsSpace), " ")
}
