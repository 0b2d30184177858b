// Package jsonshape reads JSON written in one exact shape (fields in a
// known order, no spaces, no escapes in the strings read), the shape
// json.Marshal gives the op log and the upload batches. A caller reads the
// shape it expects and, at the first byte that differs, leaves the whole
// text to encoding/json: what is read here must be what encoding/json
// would read, or nothing.
package jsonshape

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// Reader walks a text from its start.
type Reader struct {
	B []byte
	I int
}

// Expect consumes s if the text goes on with it.
func (r *Reader) Expect(s string) bool {
	if !bytes.HasPrefix(r.B[r.I:], []byte(s)) {
		return false
	}
	r.I += len(s)
	return true
}

// String reads prefix, then a string with no escape and no control
// character, in valid UTF-8 (encoding/json would replace invalid bytes).
func (r *Reader) String(prefix string) (string, bool) {
	if !r.Expect(prefix) || !r.Expect(`"`) {
		return "", false
	}
	for j := r.I; j < len(r.B); j++ {
		switch c := r.B[j]; {
		case c == '"':
			s := r.B[r.I:j]
			if !utf8.Valid(s) {
				return "", false
			}
			r.I = j + 1
			return string(s), true
		case c == '\\' || c < 0x20:
			return "", false
		}
	}
	return "", false
}

// Uint reads prefix, then a number as json.Marshal writes an unsigned
// integer: digits, no leading zero, within 64 bits.
func (r *Reader) Uint(prefix string) (uint64, bool) {
	if !r.Expect(prefix) {
		return 0, false
	}
	j := r.I
	for j < len(r.B) && r.B[j] >= '0' && r.B[j] <= '9' {
		j++
	}
	d := r.B[r.I:j]
	if len(d) == 0 || (len(d) > 1 && d[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseUint(string(d), 10, 64)
	if err != nil {
		return 0, false
	}
	r.I = j
	return n, true
}

// AppendString appends s as json.Marshal writes a string, if that is s
// itself between quotes: no byte that encoding/json escapes (a quote, a
// backslash, a control character, <, > or &, U+2028 or U+2029) and valid
// UTF-8. It reports false, appending nothing, for any other s.
func AppendString(dst []byte, s string) ([]byte, bool) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return dst, false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			return dst, false
		}
		i += size
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"'), true
}
