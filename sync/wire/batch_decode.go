package wire

import (
	"bytes"
	"strconv"
	"unicode/utf8"

	"github.com/fuzhi/eventdesk/store"
)

// decodeBatchFast reads a batch in the exact shape EncodeBatch writes it
// (no spaces, no escapes in ids, fields in order), which is what every
// client of this repository sends: encoding/json took a third of the
// server's time per batch, before any op reached the database. ok is false
// for any other shape, which then goes through encoding/json as before, so
// what is accepted and what it means are the same either way.
//
// The body is not checked as JSON first: every piece taken is checked as
// it is read (the ids, each op in its exact shape with its payload checked
// as JSON, the separators, the checkpoint), so what is taken is JSON in
// that shape and nothing else.
func decodeBatchFast(raw []byte) (b *Batch, ok bool) {
	r := batchReader{b: raw}
	out := &Batch{}
	if out.Event, ok = r.stringAfter(`{"event":`); !ok || !r.expect(`,"ops":[`) {
		return nil, false
	}
	out.Ops = []store.Op{}
	if !r.expect("]") {
		for {
			end := skipValue(raw, r.i)
			if end < 0 {
				return nil, false
			}
			var op store.Op
			if !store.DecodeOpPlain(raw[r.i:end], &op) {
				return nil, false
			}
			out.Ops = append(out.Ops, op)
			r.i = end
			if r.expect("]") {
				break
			}
			if !r.expect(",") {
				return nil, false
			}
		}
	}
	if !r.expect(`,"upto":{`) {
		return nil, false
	}
	out.Upto = map[string]uint64{}
	if !r.expect("}") {
		for {
			st, ok := r.stringAfter("")
			if !ok || !r.expect(":") {
				return nil, false
			}
			if _, twice := out.Upto[st]; twice {
				return nil, false
			}
			if out.Upto[st], ok = r.uint(); !ok {
				return nil, false
			}
			if r.expect("}") {
				break
			}
			if !r.expect(",") {
				return nil, false
			}
		}
	}
	if !r.expect("}") || r.i != len(raw) {
		return nil, false
	}
	return out, true
}

type batchReader struct {
	b []byte
	i int
}

func (r *batchReader) expect(s string) bool {
	if !bytes.HasPrefix(r.b[r.i:], []byte(s)) {
		return false
	}
	r.i += len(s)
	return true
}

// stringAfter reads prefix and then a string with no escapes, in valid UTF-8.
func (r *batchReader) stringAfter(prefix string) (string, bool) {
	if !r.expect(prefix) || !r.expect(`"`) {
		return "", false
	}
	end := bytes.IndexByte(r.b[r.i:], '"')
	if end < 0 {
		return "", false
	}
	s := r.b[r.i : r.i+end]
	if bytes.IndexByte(s, '\\') >= 0 || !utf8.Valid(s) {
		return "", false
	}
	r.i += end + 1
	return string(s), true
}

func (r *batchReader) uint() (uint64, bool) {
	j := r.i
	for j < len(r.b) && r.b[j] >= '0' && r.b[j] <= '9' {
		j++
	}
	d := r.b[r.i:j]
	if len(d) == 0 || (len(d) > 1 && d[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseUint(string(d), 10, 64)
	if err != nil {
		return 0, false
	}
	r.i = j
	return n, true
}
