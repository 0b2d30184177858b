package store

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"reflect"
	"testing"

	"github.com/fuzhi/eventdesk/internal/jsonshape"
)

// sameAsEncodingJSON checks DecodeOp against json.Unmarshal on raw: both
// refuse it, or both read the same op.
func sameAsEncodingJSON(t *testing.T, raw []byte) {
	t.Helper()
	var want, got Op
	wantErr := json.Unmarshal(raw, &want)
	gotErr := DecodeOp(raw, &got)
	if (wantErr == nil) != (gotErr == nil) {
		t.Fatalf("%q: encoding/json says %v, DecodeOp says %v", raw, wantErr, gotErr)
	}
	if wantErr == nil && !reflect.DeepEqual(want, got) {
		t.Fatalf("%q: encoding/json read %+v, DecodeOp read %+v", raw, want, got)
	}
}

func randomText(r *rand.Rand) string {
	parts := []string{"", "签到台1", "P00012", "scan.add", `a"b`, `back\slash`, "tab\there", "<b>&", "\u2028", "\xff\xfe", "e\u0301", "🙂", "x"}
	var b bytes.Buffer
	for n := r.Intn(3); n >= 0; n-- {
		b.WriteString(parts[r.Intn(len(parts))])
	}
	return b.String()
}

// TestDecodeOpReadsWhatEncodingJSONReads: every op as the log writes it,
// and the same bytes cut, changed or reshaped, read as encoding/json
// reads them, or are refused as it refuses them.
func TestDecodeOpReadsWhatEncodingJSONReads(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	payloads := []string{"", `{"desk":"1","at":"2026-05-20T09:00:00+08:00"}`, `null`, `{"a":[1,2,{"b":"}"}]}`, `"text"`, `{"a":1`, `{"a":}`, `{}`, `[]`, `{"x":"\u003c"}`}
	fast := 0
	for i := 0; i < 20000; i++ {
		op := Op{Station: randomText(r), Seq: uint64(r.Int63n(1 << 40)), HLC: r.Uint64(), Kind: randomText(r), Entity: randomText(r)}
		if p := payloads[r.Intn(len(payloads))]; json.Valid([]byte(p)) {
			op.Payload = json.RawMessage(p)
		}
		raw, err := json.Marshal(op)
		if err != nil {
			t.Fatal(err)
		}
		sameAsEncodingJSON(t, raw)
		var probe Op
		if DecodeOpPlain(raw, &probe) {
			fast++
		}
		// The same bytes damaged: a byte changed, cut short, spaced out,
		// a payload that is not JSON spliced in.
		bad := bytes.Clone(raw)
		alphabet := "0{}\",:\\ a9-"
		bad[r.Intn(len(bad))] = alphabet[r.Intn(len(alphabet))]
		sameAsEncodingJSON(t, bad)
		sameAsEncodingJSON(t, raw[:r.Intn(len(raw))])
		sameAsEncodingJSON(t, bytes.ReplaceAll(raw, []byte(`,"`), []byte(`, "`)))
		if k := bytes.Index(raw, []byte(`"payload":`)); k >= 0 {
			sameAsEncodingJSON(t, append(append(bytes.Clone(raw[:k]), `"payload":{"a":1`...), '}'))
		}
	}
	if fast < 500 { // most random texts hold an escape or a bad byte
		t.Fatalf("only %d of 20,000 ops took the direct path", fast)
	}
	var probe Op
	if typical := []byte(`{"station":"签到台1","seq":12,"hlc":1779238800000000,"kind":"scan.add","entity":"P00012","payload":{"desk":"1"}}`); !DecodeOpPlain(typical, &probe) {
		t.Fatal("a scan as the log writes it did not take the direct path")
	}
	for _, raw := range []string{`{"station":"a","seq":01,"hlc":1,"kind":"k","entity":"e"}`, `{"station":"a","seq":18446744073709551616,"hlc":1,"kind":"k","entity":"e"}`,
		`{"station":"a","seq":1,"hlc":1,"kind":"k","entity":"e","payload":}`, `{"station":"a","seq":1,"hlc":1,"kind":"k","entity":"e","payload":{"a":1}}}`,
		`{"station":"a","seq":1,"hlc":1,"kind":"k","entity":"e","extra":1}`, `{"station":"a","seq":-1,"hlc":1,"kind":"k","entity":"e"}`} {
		sameAsEncodingJSON(t, []byte(raw))
	}
}

func FuzzDecodeOp(f *testing.F) {
	f.Add([]byte(`{"station":"a","seq":1,"hlc":2,"kind":"scan.add","entity":"P1","payload":{"desk":"1"}}`))
	f.Add([]byte(`{"station":"a","seq":1,"hlc":2,"kind":"participant.delete","entity":"P1"}`))
	f.Fuzz(func(t *testing.T, raw []byte) { sameAsEncodingJSON(t, raw) })
}

// TestEncodeOpWritesWhatJSONMarshalWrites: for every op this station can
// write (a payload from json.Marshal of any value, any texts), the log's
// bytes are json.Marshal's, whether the direct path or encoding/json wrote
// them.
func TestEncodeOpWritesWhatJSONMarshalWrites(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	direct := 0
	for i := 0; i < 20000; i++ {
		op := Op{Station: randomText(r), Seq: uint64(r.Int63n(1 << 40)), HLC: r.Uint64(), Kind: randomText(r), Entity: randomText(r)}
		switch r.Intn(4) {
		case 0: // a delete: no payload
		case 1:
			op.Payload, _ = json.Marshal(randomText(r))
		default:
			op.Payload, _ = json.Marshal(map[string]any{randomText(r): randomText(r), "n": r.Intn(100), "list": []string{randomText(r)}})
		}
		want, err := json.Marshal(op)
		if err != nil {
			t.Fatal(err)
		}
		got, err := encodeOp(op)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("encodeOp(%+v) = %s, json.Marshal = %s", op, got, want)
		}
		if _, ok := jsonshape.AppendString(nil, op.Station+op.Kind+op.Entity); ok {
			direct++
		}
	}
	if direct < 500 {
		t.Fatalf("only %d of 20,000 ops could take the direct path", direct)
	}
}

// TestEncodeStampWritesWhatJSONMarshalWrites: the clock a view keeps for
// each entry is written byte for byte as json.Marshal wrote it, for any
// station name (the ones it would escape go through json.Marshal).
func TestEncodeStampWritesWhatJSONMarshalWrites(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for i := 0; i < 20000; i++ {
		st := stamp{HLC: r.Uint64(), Station: randomText(r), Seq: uint64(r.Int63()), Deleted: r.Intn(2) == 0}
		want, err := json.Marshal(st)
		if err != nil {
			t.Fatal(err)
		}
		if got := encodeStamp(st); !bytes.Equal(got, want) {
			t.Fatalf("encodeStamp(%+v) = %s, json.Marshal = %s", st, got, want)
		}
	}
}
