package model

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"golang.org/x/text/width"
)

func TestNormalizeMobile(t *testing.T) {
	cases := map[string]string{
		"13812345678":       "13812345678",
		"+86 138 1234 5678": "13812345678",
		"138-1234-5678":     "13812345678",
		"１３８１２３４５６７８":       "13812345678",
		"0086-13812345678":  "13812345678",
	}
	for in, want := range cases {
		got, ok := NormalizeMobile(in)
		if !ok || got != want {
			t.Errorf("NormalizeMobile(%q) = %q,%v want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "17481883", "12812345678", "1381234567a", "023-12345678", "138123456789"} {
		if got, ok := NormalizeMobile(bad); ok {
			t.Errorf("NormalizeMobile(%q) accepted as %q", bad, got)
		}
	}
}

func TestCreditCode(t *testing.T) {
	// Published codes of well-known companies.
	for _, good := range []string{"91350100M000100Y43", "911100001000080343"} {
		if !ValidCreditCode(good) {
			t.Errorf("%s should be valid", good)
		}
	}
	for _, bad := range []string{"91350100M000100Y44", "91350100M000100Y4", "91350100M00O100Y43", ""} {
		if ValidCreditCode(bad) {
			t.Errorf("%s should be invalid", bad)
		}
	}
}

func TestParseRole(t *testing.T) {
	for in, want := range map[string]Role{"中小企业": RoleSME, " 高校 ": RoleUniversity, "投资机构": RoleInvestor, "Media": RoleMedia} {
		if got, ok := ParseRole(in); !ok || got != want {
			t.Errorf("ParseRole(%q)=%q,%v", in, got, ok)
		}
	}
	if _, ok := ParseRole("外星人"); ok {
		t.Error("unknown role accepted")
	}
}

// TestNormalizingTakesTheQuickPathOnlyWhereItChangesNothing: the ASCII
// quick paths of NormalizeMobile and NormalizeCreditCode answer what
// narrowing every text and reading it rune by rune (mobileDigits) answers,
// for texts of digits, full-width digits, signs, spaces, letters and Chinese.
func TestNormalizingTakesTheQuickPathOnlyWhereItChangesNothing(t *testing.T) {
	r := rand.New(rand.NewSource(6))
	parts := []string{"1", "3", "9", "0", "2", "８", "１", "+", "-", " ", "\u3000", "a", "X", "ｘ", "号", "86", "139", "1391234"}
	for i := 0; i < 100000; i++ {
		var b strings.Builder
		for range r.Intn(14) {
			b.WriteString(parts[r.Intn(len(parts))])
		}
		s := b.String()
		if i%3 == 0 { // plenty of 11-digit texts, valid or not
			s = fmt.Sprintf("1%d%09d", r.Intn(10), r.Intn(1e9))
		}
		got, ok := NormalizeMobile(s)
		want, wantOK := mobileDigits(width.Narrow.String(strings.TrimSpace(s)))
		if got != want || ok != wantOK {
			t.Fatalf("NormalizeMobile(%q) = %q %v, want %q %v", s, got, ok, want, wantOK)
		}
		if got, want := NormalizeCreditCode(s), strings.ToUpper(width.Narrow.String(strings.TrimSpace(s))); got != want {
			t.Fatalf("NormalizeCreditCode(%q) = %q, want %q", s, got, want)
		}
	}
}
