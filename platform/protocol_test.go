package platform

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/fuzhi/eventdesk/store"
)

func TestProjectKeepsContactsOnlyWithConsent(t *testing.T) {
	op := store.Op{Station: "S1", Seq: 1, Kind: "participant.put", Entity: "P1",
		Payload: json.RawMessage(`{"id":"P1","name":"张三","mobile":"13800000000","email":"a@b.c","note":"VIP","consent":false,"role":"sme"}`)}
	got, ok := Project(op)
	if !ok || strings.Contains(string(got.Payload), "13800000000") || strings.Contains(string(got.Payload), "VIP") || !strings.Contains(string(got.Payload), "sme") {
		t.Fatalf("without consent: %s", got.Payload)
	}
	op.Payload = json.RawMessage(`{"id":"P1","name":"张三","mobile":"13800000000","consent":true}`)
	if got, _ := Project(op); !strings.Contains(string(got.Payload), "13800000000") {
		t.Fatalf("with consent the mobile is sent: %s", got.Payload)
	}
	for _, kind := range []string{"secret.put", "proposal.put", "request.put"} {
		if _, ok := Project(store.Op{Station: "S1", Seq: 2, Kind: kind, Entity: "x", Payload: json.RawMessage(`{}`)}); ok {
			t.Fatalf("%s would leave the machine", kind)
		}
	}
	lead := store.Op{Station: "S1", Seq: 3, Kind: "lead.put", Entity: "X|P", Payload: json.RawMessage(`{"exhibitor":"X","participant":"P","note":"私下报价","mobile":"139","rating":4}`)}
	if got, _ := Project(lead); strings.Contains(string(got.Payload), "报价") || strings.Contains(string(got.Payload), "139") {
		t.Fatalf("lead notes and phones stay home: %s", got.Payload)
	}
}

func TestPackageTamperedByOneByteIsRefused(t *testing.T) {
	key := SigningKey("secret")
	ops := []store.Op{{Station: "S1", Seq: 1, HLC: 5, Kind: "event.put", Entity: "event", Payload: json.RawMessage(`{"id":"E1"}`)}}
	var buf bytes.Buffer
	if err := WritePackage(&buf, Manifest{Schema: SchemaVersion, Event: "E1", Organizer: "O1", Upto: map[string]uint64{"S1": 1}}, ops, map[string][]byte{"summary.json": []byte(`{"held":3}`)}, key); err != nil {
		t.Fatal(err)
	}
	keyFor := func(string) ([]byte, error) { return key, nil }
	p, err := ReadPackage(buf.Bytes(), keyFor)
	if err != nil || len(p.Ops) != 1 {
		t.Fatalf("a good package: %v", err)
	}
	data := buf.Bytes()
	refused := 0
	for i := 0; i < len(data); i += 7 {
		bad := append([]byte(nil), data...)
		bad[i] ^= 0x20
		if _, err := ReadPackage(bad, keyFor); err != nil {
			refused++
		}
	}
	if refused != (len(data)+6)/7 {
		t.Fatalf("only %d of %d one-byte changes refused", refused, len(data)/7)
	}
	if _, err := ReadPackage(data, func(string) ([]byte, error) { return SigningKey("other"), nil }); !errors.Is(err, ErrTampered) {
		t.Fatalf("another organizer's key: %v", err)
	}
}

// FuzzDecodeBatch: whatever bytes reach the ingest endpoint, the decoder
// returns a checked batch or an error, never a panic, and a checked batch
// holds only ops the schema allows.
func FuzzDecodeBatch(f *testing.F) {
	f.Add([]byte(`{"event":"E1","ops":[{"station":"S1","seq":1,"hlc":1,"kind":"meeting.put","entity":"M1","payload":{"id":"M1"}}],"upto":{"S1":1}}`))
	f.Add([]byte(`{"event":"E1","ops":[],"upto":{}}`))
	f.Add([]byte(`{"event":"","ops":null}`))
	f.Add([]byte(`[1,2,3]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := DecodeBatch(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, op := range b.Ops {
			if CheckOp(op) != nil || !Uploadable(op.Kind) || op.Seq > b.Upto[op.Station] {
				t.Fatalf("accepted a bad op %+v", op)
			}
		}
	})
}
