package store

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// DecodeOp reads an op as the log stores it. The log holds json.Marshal's
// bytes of Op: its fields in order, no spaces, and in practice no escapes
// in the station, kind and entity. Those bytes are read directly, which
// costs a fifth of encoding/json (an upload or a sync reads every op once,
// and decoding them was a third of an upload's CPU); any other shape (an
// older writer, an escape, a field missing) goes through encoding/json,
// so the result is the same either way. The payload is checked as
// encoding/json would check it.
func DecodeOp(raw []byte, op *Op) error {
	if DecodeOpPlain(raw, op) {
		return nil
	}
	*op = Op{}
	return json.Unmarshal(raw, op)
}

// DecodeOpPlain reads raw only in the exact shape json.Marshal writes an
// op (see DecodeOp), checking its payload is JSON; false for any other
// shape, which the caller then reads with encoding/json, leniently or not.
func DecodeOpPlain(raw []byte, op *Op) bool {
	r := opReader{b: raw}
	var ok bool
	if op.Station, ok = r.stringField(`{"station":`); !ok {
		return false
	}
	if op.Seq, ok = r.uintField(`,"seq":`); !ok {
		return false
	}
	if op.HLC, ok = r.uintField(`,"hlc":`); !ok {
		return false
	}
	if op.Kind, ok = r.stringField(`,"kind":`); !ok {
		return false
	}
	if op.Entity, ok = r.stringField(`,"entity":`); !ok {
		return false
	}
	op.Payload = nil
	switch rest := r.b[r.i:]; {
	case len(rest) == 1 && rest[0] == '}':
		return true
	case bytes.HasPrefix(rest, []byte(`,"payload":`)) && rest[len(rest)-1] == '}':
		p := rest[len(`,"payload":`) : len(rest)-1]
		if len(p) == 0 || !json.Valid(p) {
			return false
		}
		op.Payload = bytes.Clone(p)
		return true
	}
	return false
}

// opReader walks the fixed shape of a stored op.
type opReader struct {
	b []byte
	i int
}

func (r *opReader) expect(prefix string) bool {
	if !bytes.HasPrefix(r.b[r.i:], []byte(prefix)) {
		return false
	}
	r.i += len(prefix)
	return true
}

// stringField reads prefix and a string without escapes or control
// characters, in valid UTF-8 (encoding/json would change invalid bytes).
func (r *opReader) stringField(prefix string) (string, bool) {
	if !r.expect(prefix) || r.i >= len(r.b) || r.b[r.i] != '"' {
		return "", false
	}
	start := r.i + 1
	for j := start; j < len(r.b); j++ {
		switch c := r.b[j]; {
		case c == '"':
			s := r.b[start:j]
			if !utf8.Valid(s) {
				return "", false
			}
			r.i = j + 1
			return string(s), true
		case c == '\\' || c < 0x20:
			return "", false
		}
	}
	return "", false
}

// uintField reads prefix and a number as json.Marshal writes a uint64.
func (r *opReader) uintField(prefix string) (uint64, bool) {
	if !r.expect(prefix) {
		return 0, false
	}
	j := r.i
	for j < len(r.b) && r.b[j] >= '0' && r.b[j] <= '9' {
		j++
	}
	digits := r.b[r.i:j]
	if len(digits) == 0 || (len(digits) > 1 && digits[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseUint(string(digits), 10, 64)
	if err != nil {
		return 0, false
	}
	r.i = j
	return n, true
}
