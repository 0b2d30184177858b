package platform

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/wire"
)

func TestPackageTamperedByOneByteIsRefused(t *testing.T) {
	key := SigningKey("secret")
	ops := []store.Op{{Station: "S1", Seq: 1, HLC: 5, Kind: "event.put", Entity: "event", Payload: json.RawMessage(`{"id":"E1"}`)}}
	var buf bytes.Buffer
	if err := WritePackage(&buf, Manifest{Schema: wire.SchemaVersion, Event: "E1", Organizer: "O1", Upto: map[string]uint64{"S1": 1}}, ops, map[string][]byte{"summary.json": []byte(`{"held":3}`)}, key); err != nil {
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
