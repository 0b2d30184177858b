package wire

import (
	"bytes"
	"encoding/json"
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

// One NUL in a name (a spreadsheet's _x0000_) blocked the upload for good
// while the client said "retry later": the client now sends text without
// control characters, and the platform refuses a \u0000 as the sender's
// fault (400, not retried) rather than failing in its database (503).
func TestControlCharactersNeverBlockAnUpload(t *testing.T) {
	op := store.Op{Station: "S1", Seq: 1, HLC: 1, Kind: "participant.put", Entity: "P1",
		Payload: json.RawMessage(`{"id":"P1","name":"张\u0000三\u0007","org":"<甲>&\u001f公司","title":"a\\u0000b","consent":false}`)}
	p, ok := Project(op)
	if !ok {
		t.Fatal("not projected")
	}
	var got map[string]string
	json.Unmarshal(p.Payload, &got)
	if got["name"] != "张三" || got["org"] != "<甲>&公司" || got["title"] != `a\u0000b` {
		t.Errorf("projected %s", p.Payload)
	}
	if err := CheckOp(p); err != nil {
		t.Errorf("the cleaned op is refused: %v", err)
	}
	if err := CheckOp(op); err == nil || !strings.Contains(err.Error(), "U+0000") {
		t.Errorf("a raw NUL escape: %v", err)
	}
	op.Entity = "P\x001"
	if err := CheckOp(op); err == nil {
		t.Error("an entity with a control character is accepted")
	}
}
