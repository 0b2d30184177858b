package store

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/fuzhi/eventdesk/internal/jsonshape"
	"github.com/fuzhi/eventdesk/model"
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
	r := jsonshape.Reader{B: raw}
	var ok bool
	if op.Station, ok = r.String(`{"station":`); !ok {
		return false
	}
	if op.Seq, ok = r.Uint(`,"seq":`); !ok {
		return false
	}
	if op.HLC, ok = r.Uint(`,"hlc":`); !ok {
		return false
	}
	if op.Kind, ok = r.String(`,"kind":`); !ok {
		return false
	}
	if op.Entity, ok = r.String(`,"entity":`); !ok {
		return false
	}
	op.Payload = nil
	switch rest := r.B[r.I:]; {
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

// encodeOp is json.Marshal(op) for an op whose payload is json.Marshal's
// own output (compact, HTML-escaped), as every op this station writes is:
// the op's fields written around the payload as they lie, where
// json.Marshal would check and copy the payload again (at 200,000 rows a
// tenth of an import's CPU). An op with a string encoding/json escapes is
// left to json.Marshal, so the bytes are the same either way.
func encodeOp(op Op) ([]byte, error) {
	b := make([]byte, 0, len(op.Station)+len(op.Kind)+len(op.Entity)+len(op.Payload)+96)
	b = append(b, `{"station":`...)
	b, ok := jsonshape.AppendString(b, op.Station)
	if ok {
		b = append(b, `,"seq":`...)
		b = strconv.AppendUint(b, op.Seq, 10)
		b = append(b, `,"hlc":`...)
		b = strconv.AppendUint(b, op.HLC, 10)
		b = append(b, `,"kind":`...)
		b, ok = jsonshape.AppendString(b, op.Kind)
	}
	if ok {
		b = append(b, `,"entity":`...)
		b, ok = jsonshape.AppendString(b, op.Entity)
	}
	if !ok {
		return json.Marshal(op)
	}
	if len(op.Payload) > 0 {
		b = append(b, `,"payload":`...)
		b = append(b, op.Payload...)
	}
	return append(b, '}'), nil
}

// encodeValue is json.Marshal(v), written directly for a person and an
// organization (most writes are people, and an import writes their
// organizations; see model.Participant.AppendJSON).
func encodeValue(v any) ([]byte, error) {
	switch v := v.(type) {
	case model.Participant:
		if b, ok := v.AppendJSON(make([]byte, 0, 384)); ok {
			return b, nil
		}
	case model.Org:
		if b, ok := v.AppendJSON(make([]byte, 0, 160)); ok {
			return b, nil
		}
	}
	return json.Marshal(v)
}

// encodeStamp is json.Marshal(st), written directly: every write to a view
// records one, and by reflection they cost a 10,000-row import 2 % of its
// CPU. TestEncodeStampWritesWhatJSONMarshalWrites keeps the two equal.
func encodeStamp(st stamp) []byte {
	b := make([]byte, 0, 56+len(st.Station))
	b = append(b, `{"h":`...)
	b = strconv.AppendUint(b, st.HLC, 10)
	b = append(b, `,"s":`...)
	b, ok := jsonshape.AppendString(b, st.Station)
	if !ok {
		raw, _ := json.Marshal(st) // a stamp has nothing json.Marshal can fail on
		return raw
	}
	b = append(b, `,"q":`...)
	b = strconv.AppendUint(b, st.Seq, 10)
	if st.Deleted {
		b = append(b, `,"d":true`...)
	}
	return append(b, '}')
}
