package wire

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"reflect"
	"slices"
	"testing"

	"github.com/fuzhi/eventdesk/store"
)

// agreesWithSlow checks Project and ProjectNow (both ways of consent)
// against the encoding/json definitions on one op.
func agreesWithSlow(t *testing.T, op store.Op) {
	t.Helper()
	check := func(what string, got store.Op, gotOK bool, want store.Op, wantOK bool) {
		t.Helper()
		if gotOK != wantOK || (wantOK && !reflect.DeepEqual(got, want)) {
			t.Fatalf("%s of %s %s:\n got %v %s\nwant %v %s", what, op.Kind, op.Payload, gotOK, got.Payload, wantOK, want.Payload)
		}
	}
	p, ok := Project(op)
	sp, sok := projectSlow(op)
	check("Project", p, ok, sp, sok)
	for _, agrees := range []bool{true, false} {
		consents := func(string) bool { return agrees }
		p, ok := ProjectNow(op, consents)
		sp, sok := projectNowSlow(op, consents)
		check("ProjectNow", p, ok, sp, sok)
	}
}

// TestProjectionReadsDirectlyWhatEncodingJSONGives: every kind, payloads
// with the allowed fields, others, nested values, contacts with and
// without consent, and the shapes the direct reading leaves to
// encoding/json (spaces, escaped keys, a key twice, HTML characters,
// control characters, follow-ups), all cut to the same bytes as through
// encoding/json's maps.
func TestProjectionReadsDirectlyWhatEncodingJSONGives(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	var kinds []string
	for k := range allowedFields {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	kinds = append(kinds, "badgekey", "request")
	values := []string{`"签到台1"`, `1`, `-2.5e3`, `true`, `false`, `null`, `"a \"q\" b"`, `{"x":[1,{"y":"}"}]}`, `[]`, `"<b>"`, `"a&b"`, "\"\u2028\"",
		`"\u0001"`, `"\\u0000x"`, `"2026-05-20T09:00:00+08:00"`, `["高端装备","新材料"]`, `"13912345678"`, `"张三"`}
	extra := []string{"note", "badgeVersion", "proposal", "secret", "mobile", "email", "consent", "followUps", "desk", "at", "method"}
	direct := 0
	for i := 0; i < 10000; i++ {
		kind := kinds[r.Intn(len(kinds))]
		keys := slices.Clone(allowedFields[kind])
		keys = append(keys, extra...)
		r.Shuffle(len(keys), func(a, b int) { keys[a], keys[b] = keys[b], keys[a] })
		keys = keys[:r.Intn(len(keys)+1)]
		obj := map[string]json.RawMessage{}
		var ordered bytes.Buffer
		ordered.WriteByte('{')
		for j, k := range keys {
			v := values[r.Intn(len(values))]
			switch k {
			case "consent":
				v = []string{"true", "false", `"yes"`}[r.Intn(3)]
			case "followUps":
				v = `[{"stage":"30","note":"秘密","at":"x"}]`
			}
			obj[k] = json.RawMessage(v)
			if j > 0 {
				ordered.WriteByte(',')
			}
			ordered.WriteString(`"` + k + `":` + v)
		}
		ordered.WriteByte('}')
		raw, err := json.Marshal(obj)
		if err != nil {
			t.Fatal(err)
		}
		action := []string{".put", ".delete", ".add"}[r.Intn(3)]
		op := store.Op{Station: "s1", Seq: uint64(i + 1), HLC: 1, Kind: kind + action, Entity: "P1", Payload: raw}
		agreesWithSlow(t, op)
		if _, _, sure := projectFast(op, nil); sure {
			direct++
		}
		op.Payload = ordered.Bytes() // the writer's order, not sorted
		agreesWithSlow(t, op)
		for _, odd := range [][]byte{
			bytes.Replace(raw, []byte(`":`), []byte(`": `), 1),
			bytes.Replace(raw, []byte(`{"`), []byte(`{"\u0061`), 1),
			append(bytes.TrimSuffix(bytes.Clone(raw), []byte("}")), []byte(`,"id":"twice"}`)...),
			raw[:len(raw)/2], []byte(`[1]`), []byte(`"text"`), []byte(`{}`), nil,
		} {
			op.Payload = odd
			agreesWithSlow(t, op)
		}
	}
	if direct < 3000 {
		t.Fatalf("only %d of 10,000 payloads were read directly", direct)
	}
}
