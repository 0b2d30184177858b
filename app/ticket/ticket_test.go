package ticket

import (
	"strings"
	"testing"
)

var key = []byte("0123456789abcdef0123456789abcdef")

func TestRoundTripAndShape(t *testing.T) {
	code, err := Make(key, "EDEMO2026", "PDEMO0001", 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range code {
		if !strings.ContainsRune("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ .$%*+-/:", r) {
			t.Fatalf("%q is outside QR alphanumeric mode", r)
		}
	}
	c, p := Parse("  " + code + "\r\n")
	if p != ProblemNone || c.Participant != "PDEMO0001" || c.Version != 1 || !c.Verify(key) {
		t.Fatalf("parse %q: %+v %q", code, c, p)
	}
	if c.Verify([]byte("another event key................")) {
		t.Fatal("verified with the wrong key")
	}
}

func TestEachBadInputHasItsOwnProblem(t *testing.T) {
	code, _ := Make(key, "EDEMO2026", "PDEMO0001", 2)
	forged := code[:len(code)-1] + map[bool]string{true: "B", false: "A"}[strings.HasSuffix(code, "A")]
	cases := map[string]Problem{
		"6901234567892":                ProblemBarcode, // EAN-13 off a water bottle
		"036000291452":                 ProblemBarcode, // UPC-A
		"1234567":                      ProblemNotACode,
		"zhangsan":                     ProblemNotACode,
		"":                             ProblemNotACode,
		"FZ":                           ProblemTruncated,
		code[:20]:                      ProblemTruncated,
		code[:len(code)-3]:             ProblemTruncated,
		strings.ToLower(code):          ProblemLowercase,
		code + "X":                     ProblemMalformed,
		code + ".EXTRA":                ProblemMalformed,
		"FZ1.E.P.0.AAAAAAAAAAAAAAAA":   ProblemMalformed,
		"FZ1.E-1.P.1.AAAAAAAAAAAAAAAA": ProblemMalformed,
	}
	for in, want := range cases {
		if _, got := Parse(in); got != want {
			t.Errorf("Parse(%q) = %q, want %q", in, got, want)
		}
	}
	c, p := Parse(forged)
	if p != ProblemNone || c.Verify(key) {
		t.Fatalf("forged code verified: %q", forged)
	}
	// Changing the version or the person breaks the signature.
	tampered := strings.Replace(code, ".2.", ".3.", 1)
	if c, _ := Parse(tampered); c.Verify(key) {
		t.Fatal("version bump without re-signing verified")
	}
}

// FuzzParse: any scanned text gives a code or a problem, never a panic, and
// nothing but a correctly signed code verifies.
func FuzzParse(f *testing.F) {
	code, _ := Make(key, "EDEMO2026", "PDEMO0001", 1)
	for _, s := range []string{code, strings.ToLower(code), code[:10], "FZ1....", "FZ1.A.B.C.D", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, p := Parse(s)
		if p == ProblemNone {
			if c.Verify(key) && strings.TrimSpace(s) != code {
				t.Fatalf("%q verified but is not the issued code", s)
			}
			again, err := Make(key, c.Event, c.Participant, c.Version)
			if err != nil {
				t.Fatalf("parsed fields cannot be re-signed: %+v", c)
			}
			if _, p2 := Parse(again); p2 != ProblemNone {
				t.Fatalf("re-signed code does not parse: %q", again)
			}
		}
	})
}
