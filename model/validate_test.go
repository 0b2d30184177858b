package model

import "testing"

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
