package wire

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf8"
)

// EncodeBatch is json.Marshal(b), written directly: the same bytes, without
// encoding/json checking and compacting again every payload Project has
// just made (a tenth of an upload's CPU). It takes the payloads as valid
// JSON, as Project leaves them; one with spaces or characters json.Marshal
// escapes is compacted by encoding/json as before.
func EncodeBatch(b *Batch) ([]byte, error) {
	size := 64
	for _, op := range b.Ops {
		size += 96 + len(op.Station) + len(op.Kind) + len(op.Entity) + len(op.Payload)
	}
	buf := make([]byte, 0, size)
	buf = append(buf, `{"event":`...)
	buf = appendString(buf, b.Event)
	buf = append(buf, `,"ops":`...)
	if b.Ops == nil {
		buf = append(buf, "null"...)
	} else {
		buf = append(buf, '[')
		for i, op := range b.Ops {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, `{"station":`...)
			buf = appendString(buf, op.Station)
			buf = append(buf, `,"seq":`...)
			buf = strconv.AppendUint(buf, op.Seq, 10)
			buf = append(buf, `,"hlc":`...)
			buf = strconv.AppendUint(buf, op.HLC, 10)
			buf = append(buf, `,"kind":`...)
			buf = appendString(buf, op.Kind)
			buf = append(buf, `,"entity":`...)
			buf = appendString(buf, op.Entity)
			if len(op.Payload) > 0 {
				buf = append(buf, `,"payload":`...)
				if compactAndEscaped(op.Payload) {
					buf = append(buf, op.Payload...)
				} else {
					raw, err := json.Marshal(op.Payload)
					if err != nil {
						return nil, err
					}
					buf = append(buf, raw...)
				}
			}
			buf = append(buf, '}')
		}
		buf = append(buf, ']')
	}
	buf = append(buf, `,"upto":`...)
	if b.Upto == nil {
		buf = append(buf, "null"...)
	} else {
		buf = append(buf, '{')
		for i, st := range slices.Sorted(func(yield func(string) bool) {
			for k := range b.Upto {
				if !yield(k) {
					return
				}
			}
		}) {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendString(buf, st)
			buf = append(buf, ':')
			buf = strconv.AppendUint(buf, b.Upto[st], 10)
		}
		buf = append(buf, '}')
	}
	return append(buf, '}'), nil
}

// appendString writes s as json.Marshal does: directly when nothing in it
// needs escaping, through encoding/json otherwise.
func appendString(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c >= utf8.RuneSelf {
			if !plainUTF8(s) {
				raw, _ := json.Marshal(s) // a string always encodes
				return append(buf, raw...)
			}
			break
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}

// escapedAsMarshal: JSON text holds none of the characters json.Marshal
// escapes in a RawMessage (<, >, &, U+2028, U+2029), so it would leave the
// text as it is.
func escapedAsMarshal(p []byte) bool {
	return !bytes.ContainsAny(p, "<>&\u2028\u2029")
}

// plainUTF8: valid UTF-8 with nothing json.Marshal escapes.
func plainUTF8(s string) bool {
	if !utf8.ValidString(s) || bytes.ContainsAny([]byte(s), "\"\\<>&\u2028\u2029") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 {
			return false
		}
	}
	return true
}

// compactAndEscaped: valid JSON text already as json.Marshal writes a
// RawMessage (no space between tokens, no <, >, &, U+2028, U+2029).
func compactAndEscaped(p []byte) bool {
	if !escapedAsMarshal(p) {
		return false
	}
	in := false
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case in && c == '\\':
			i++
		case c == '"':
			in = !in
		case !in && (c == ' ' || c == '\t' || c == '\n' || c == '\r'):
			return false
		}
	}
	return true
}
