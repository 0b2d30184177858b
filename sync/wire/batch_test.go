package wire

import (
	"bytes"
	"encoding/json"
	"io"
	"math/rand"
	"reflect"
	"testing"

	"github.com/fuzhi/eventdesk/store"
)

// TestEncodeBatchWritesWhatEncodingJSONWrites: batches of ops with plain
// and awkward ids (escapes, HTML characters, invalid UTF-8, U+2028),
// payloads compact or spaced, an empty and a missing checkpoint.
func TestEncodeBatchWritesWhatEncodingJSONWrites(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	texts := []string{"签到台1", "P00012", "scan.add", `a"b`, `c\d`, "<b>&", "tab\t", "\u2028", "\xff", "🙂", ""}
	payloads := []string{"", `{"desk":"1"}`, `{"a": [1, 2]}`, `{"x":"<b>"}`, "{\"x\":\"\u2028\"}", `{"q":"a \"b\" c"}`, `null`, `{"n":-2.5e3}`, "{\"a\":\"\\u0026\"}"}
	for i := 0; i < 3000; i++ {
		b := Batch{Event: texts[r.Intn(len(texts))]}
		if r.Intn(5) > 0 {
			b.Upto = map[string]uint64{}
			for n := r.Intn(4); n > 0; n-- {
				b.Upto[texts[r.Intn(len(texts))]] = r.Uint64()
			}
		}
		if r.Intn(8) > 0 {
			b.Ops = []store.Op{}
			for n := r.Intn(6); n > 0; n-- {
				b.Ops = append(b.Ops, store.Op{Station: texts[r.Intn(len(texts))], Seq: r.Uint64(), HLC: r.Uint64(),
					Kind: texts[r.Intn(len(texts))], Entity: texts[r.Intn(len(texts))], Payload: json.RawMessage(payloads[r.Intn(len(payloads))])})
			}
		}
		want, err := json.Marshal(&b)
		if err != nil {
			t.Fatal(err)
		}
		got, err := EncodeBatch(&b)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("EncodeBatch (%v):\n got %s\nwant %s", err, got, want)
		}
	}
}

// stdDecode is how DecodeBatch read every batch before decodeBatchFast.
func stdDecode(raw []byte) (*Batch, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var b Batch
	if err := dec.Decode(&b); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, io.ErrUnexpectedEOF
	}
	return &b, nil
}

// TestBatchReadDirectlyAsEncodingJSONReadsIt: what decodeBatchFast takes,
// encoding/json takes too and reads the same; batches as clients write
// them are read directly; damaged, reordered, spaced, escaped or extended
// ones are left to encoding/json.
func TestBatchReadDirectlyAsEncodingJSONReadsIt(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	texts := []string{"签到台1", "P00012", "scan.add", `a"b`, "<b>", "\xff", "🙂", ""}
	payloads := []string{"", `{"desk":"1","at":"2026-05-20T09:00:00+08:00"}`, `{"a":[1,{"b":"]"}]}`, `null`, `{"n":-2.5e3}`}
	direct := 0
	for i := 0; i < 4000; i++ {
		b := Batch{Event: texts[r.Intn(len(texts))], Upto: map[string]uint64{}, Ops: []store.Op{}}
		for n := r.Intn(4); n > 0; n-- {
			b.Upto[texts[r.Intn(len(texts))]] = r.Uint64() >> r.Intn(64)
		}
		for n := r.Intn(5); n > 0; n-- {
			b.Ops = append(b.Ops, store.Op{Station: texts[r.Intn(len(texts))], Seq: r.Uint64() >> r.Intn(64), HLC: r.Uint64(),
				Kind: texts[r.Intn(len(texts))], Entity: texts[r.Intn(len(texts))], Payload: json.RawMessage(payloads[r.Intn(len(payloads))])})
		}
		raw, err := EncodeBatch(&b)
		if err != nil {
			t.Fatal(err)
		}
		alphabet := `0{}[]",:\ a9-`
		damaged := bytes.Clone(raw)
		damaged[r.Intn(len(damaged))] = alphabet[r.Intn(len(alphabet))]
		for k, variant := range [][]byte{raw, damaged, raw[:r.Intn(len(raw))], append(bytes.Clone(raw), ' '), append(bytes.Clone(raw), "{}"...),
			bytes.Replace(raw, []byte(`,"upto"`), []byte(`,"extra":1,"upto"`), 1), bytes.Replace(raw, []byte(`"ops"`), []byte(`"Ops"`), 1),
			bytes.Replace(raw, []byte(`,"`), []byte(`, "`), 1), bytes.Replace(raw, []byte(`"upto":{`), []byte(`"upto":{"s":1,"s":2,`), 1),
			bytes.Replace(raw, []byte(`"seq":`), []byte(`"seq":0`), 1), bytes.Replace(raw, []byte(`"ops":[`), []byte(`"ops":null,"x":[`), 1),
			bytes.Replace(raw, []byte(`{"event":"`), []byte("{\"event\":\"\x01"), 1), bytes.Replace(raw, []byte(`"upto":{"`), []byte("\"upto\":{\"\t"), 1)} {
			fast, ok := decodeBatchFast(variant)
			std, err := stdDecode(variant)
			if ok && (err != nil || !reflect.DeepEqual(fast, std)) {
				t.Fatalf("variant %d %q: read directly as %+v; encoding/json: %+v, %v", k, variant, fast, std, err)
			}
			if k == 0 {
				if err != nil {
					t.Fatalf("%q: %v", variant, err)
				}
				if ok {
					direct++
				}
			}
		}
	}
	if direct < 200 { // most random batches hold an escaped id somewhere
		t.Fatalf("only %d of 4,000 batches as clients write them were read directly", direct)
	}
	plain := Batch{Event: "E1", Upto: map[string]uint64{"s1": 2}, Ops: []store.Op{{Station: "s1", Seq: 2, HLC: 9, Kind: "scan.add", Entity: "P1", Payload: json.RawMessage(`{"desk":"1"}`)}}}
	raw, _ := EncodeBatch(&plain)
	if got, ok := decodeBatchFast(raw); !ok || !reflect.DeepEqual(got, &plain) {
		t.Fatalf("a plain batch was not read directly: %+v %v", got, ok)
	}
}

// FuzzBatchReadDirectly: on any bytes, what the direct reading takes
// encoding/json takes and reads the same.
func FuzzBatchReadDirectly(f *testing.F) {
	f.Add([]byte(`{"event":"E1","ops":[{"station":"s1","seq":2,"hlc":9,"kind":"scan.add","entity":"P1","payload":{"desk":"1"}}],"upto":{"s1":2}}`))
	f.Add([]byte(`{"event":"E1","ops":[],"upto":{}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		fast, ok := decodeBatchFast(raw)
		if !ok {
			return
		}
		std, err := stdDecode(raw)
		if err != nil || !reflect.DeepEqual(fast, std) {
			t.Fatalf("%q: read directly as %+v; encoding/json: %+v, %v", raw, fast, std, err)
		}
	})
}
