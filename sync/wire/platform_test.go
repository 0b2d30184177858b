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

// A follow-up's note and the caller's name stay at the event; the stage,
// state, amount and time reach the platform.
func TestProjectKeepsFollowUpNotesAtTheEvent(t *testing.T) {
	op := store.Op{Station: "S1", Seq: 2, Kind: "outcome.put", Entity: "M1",
		Payload: json.RawMessage(`{"meeting":"M1","intended":true,"signed":true,"amount":300,"notes":"私下说","followUps":[` +
			`{"stage":30,"state":"negotiating","note":"联系了王经理 13900000000","by":"李秘书","at":"2027-10-10T10:00:00+08:00"},` +
			`{"stage":90,"state":"signed","amount":300,"note":"合同已签","by":"李秘书","at":"2027-12-09T10:00:00+08:00"}]}`)}
	got, ok := Project(op)
	text := string(got.Payload)
	if !ok || strings.Contains(text, "13900000000") || strings.Contains(text, "李秘书") || strings.Contains(text, "合同已签") || strings.Contains(text, "私下说") {
		t.Fatalf("notes reached the platform: %s", text)
	}
	var o struct {
		FollowUps []map[string]any `json:"followUps"`
	}
	if err := json.Unmarshal(got.Payload, &o); err != nil || len(o.FollowUps) != 2 || o.FollowUps[1]["state"] != "signed" ||
		o.FollowUps[1]["amount"] != 300.0 || o.FollowUps[0]["stage"] != 30.0 || o.FollowUps[0]["at"] == nil {
		t.Fatalf("follow-ups as the platform sees them: %s (%v)", text, err)
	}
	op.Payload = json.RawMessage(`{"meeting":"M1","followUps":"not a list"}`)
	if _, ok := Project(op); ok {
		t.Fatal("a malformed follow-up list was projected")
	}
}
