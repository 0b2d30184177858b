// Package ticket makes and checks badge codes. A code is short, uppercase
// and alphanumeric (QR alphanumeric mode; a USB scanner types it the same on
// any keyboard layout) and signed with the event's key, so a desk with no
// network can tell a real badge from a forged one:
//
//	FZ1.<event>.<participant>.<version>.<MAC>
//
// MAC is HMAC-SHA256 over everything before it, truncated to 80 bits and
// written in base32 (16 characters). The package does no I/O.
package ticket

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"strconv"
	"strings"
)

const (
	prefix  = "FZ1"
	macLen  = 10 // bytes, 80 bits
	macText = 16 // base32 characters for 10 bytes
	// MaxLen bounds what a scanner burst can be before it is rejected unread.
	MaxLen = 96
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// Code is a parsed badge code.
type Code struct {
	Event       string
	Participant string
	Version     int
	mac         string
}

// Problem says why a scanned text is not a valid code; each has its own
// red answer at the desk.
type Problem string

const (
	ProblemNone      Problem = ""
	ProblemNotACode  Problem = "not_a_code" // not FZ1 at all: probably typed text
	ProblemBarcode   Problem = "barcode"    // 8, 12 or 13 digits: a product's EAN/UPC, not a badge
	ProblemLowercase Problem = "lowercase"  // a scanner with Caps Lock on
	ProblemTruncated Problem = "truncated"  // part of the code is missing
	ProblemMalformed Problem = "malformed"  // right prefix, broken fields
	ProblemForged    Problem = "forged"     // well-formed but the signature is wrong
)

func signingInput(event, participant string, version int) string {
	return prefix + "." + event + "." + participant + "." + strconv.Itoa(version)
}

func mac(key []byte, msg string) string {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return b32.EncodeToString(h.Sum(nil)[:macLen])
}

// validID accepts the uppercase alphanumeric ids the app issues.
func validID(s string) bool {
	if s == "" || len(s) > 24 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// Make signs a code for a participant's badge version.
func Make(key []byte, event, participant string, version int) (string, error) {
	if !validID(event) || !validID(participant) || version < 1 {
		return "", fmt.Errorf("make badge code: bad id %q/%q or version %d", event, participant, version)
	}
	in := signingInput(event, participant, version)
	return in + "." + mac(key, in), nil
}

// isProductBarcode: EAN-8, UPC-A and EAN-13 are all digits, 8, 12 or 13
// of them — what a scanner reads off a bottle or a book at the desk.
func isProductBarcode(s string) bool {
	if len(s) != 8 && len(s) != 12 && len(s) != 13 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Parse reads a scanned text without checking the signature (the event it
// claims decides which key to check with). Whitespace a scanner adds is ignored.
func Parse(scanned string) (Code, Problem) {
	s := strings.TrimSpace(scanned)
	if len(s) > MaxLen {
		return Code{}, ProblemMalformed
	}
	upper := strings.ToUpper(s)
	if !strings.HasPrefix(upper, prefix+".") {
		if strings.HasPrefix(prefix+".", upper) && s != "" {
			return Code{}, ProblemTruncated
		}
		if isProductBarcode(s) {
			return Code{}, ProblemBarcode
		}
		return Code{}, ProblemNotACode
	}
	if s != upper {
		return Code{}, ProblemLowercase
	}
	parts := strings.Split(s, ".")
	if len(parts) < 5 {
		return Code{}, ProblemTruncated
	}
	if len(parts) > 5 {
		return Code{}, ProblemMalformed
	}
	// One spelling per badge: "01" or "+1" would be a second valid code for
	// version 1, so the version must be written exactly as Make writes it.
	v, err := strconv.Atoi(parts[3])
	if err != nil || v < 1 || v > 1_000_000 || strconv.Itoa(v) != parts[3] || !validID(parts[1]) || !validID(parts[2]) {
		return Code{}, ProblemMalformed
	}
	if len(parts[4]) < macText {
		return Code{}, ProblemTruncated
	}
	if len(parts[4]) > macText {
		return Code{}, ProblemMalformed
	}
	return Code{Event: parts[1], Participant: parts[2], Version: v, mac: parts[4]}, ProblemNone
}

// Verify reports whether the code was signed with key.
func (c Code) Verify(key []byte) bool {
	want := mac(key, signingInput(c.Event, c.Participant, c.Version))
	return hmac.Equal([]byte(want), []byte(c.mac))
}
