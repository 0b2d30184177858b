package model

import (
	"encoding/json"
	"math/rand"
	"reflect"
	"testing"
)

// TestParticipantJSONIsJSONMarshal: AppendJSON writes json.Marshal's bytes
// for any person it takes, refuses only people json.Marshal would escape,
// and knows every field (each is filled by reflection, so a field added to
// Participant and not to AppendJSON fails here).
func TestParticipantJSONIsJSONMarshal(t *testing.T) {
	sameAsJSONMarshal(t, (*Participant).AppendJSON)
	// A typical person, with every field set, takes the direct path.
	full := Participant{ID: "P1", Name: "张三", Org: "山东精工", OrgID: "O1", Title: "总监", Mobile: "13912345678", Email: "u@x.cn",
		Role: RoleSME, Tier: "vip", Category: "guest", CreditCode: "91370100MA0000001X", Chain: "高端装备", Note: "素食", Consent: true,
		Source: "import", Updated: "2026-05-20T09:00:00+08:00", BadgeVersion: 2, BadgePrinted: 1}
	want, _ := json.Marshal(full)
	if got, ok := full.AppendJSON(nil); !ok || string(got) != string(want) {
		t.Fatalf("a typical person: %v %s, want %s", ok, got, want)
	}
}

// BenchmarkParticipantJSON: a typical imported person written for the log,
// by AppendJSON and by json.Marshal (the reference) in the same run.
func BenchmarkParticipantJSON(b *testing.B) {
	p := Participant{ID: "P7K3M9Q2", Name: "参会人000123", Org: "山东第123精工科技有限公司", OrgID: "O5T8", Title: "技术总监",
		Mobile: "13900000123", Email: "u123@example.cn", Role: RoleSME, CreditCode: "91370100MA0000123X", Chain: "高端装备",
		Note: "需要发票，午餐素食", Source: "import", Updated: "2026-05-20T09:00:00+08:00"}
	b.Run("AppendJSON", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if _, ok := p.AppendJSON(make([]byte, 0, 384)); !ok {
				b.Fatal("refused")
			}
		}
	})
	b.Run("json.Marshal", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if _, err := json.Marshal(p); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestOrgJSONIsJSONMarshal is TestParticipantJSONIsJSONMarshal for an
// organization.
func TestOrgJSONIsJSONMarshal(t *testing.T) {
	sameAsJSONMarshal(t, (*Org).AppendJSON)
	full := Org{ID: "O1", Name: "山东精工", CreditCode: "91370100MA0000001X", Role: RoleSME, Tier: "vip", Chain: "高端装备"}
	want, _ := json.Marshal(full)
	if got, ok := full.AppendJSON(nil); !ok || string(got) != string(want) {
		t.Fatalf("a typical organization: %v %s, want %s", ok, got, want)
	}
}

// sameAsJSONMarshal fills 30,000 values of T field by field (by
// reflection, so a field the encoder does not know fails) and checks that
// encode writes json.Marshal's bytes for every one it takes, refuses only
// those json.Marshal would escape, and takes most of them.
func sameAsJSONMarshal[T any](t *testing.T, encode func(*T, []byte) ([]byte, bool)) {
	t.Helper()
	r := rand.New(rand.NewSource(4))
	texts := []string{"", "", "张三", "P00012", "13912345678", "u1@example.cn", "山东精工", "🙂", "91370100MA0000001X", "e\u0301"}
	escaped := []string{"a\"b", "<b>", "&", "tab\t", "\xff", "\u2028", `back\slash`}
	var zero T
	typ := reflect.TypeOf(zero)
	taken := 0
	for i := 0; i < 30000; i++ {
		var x T
		v := reflect.ValueOf(&x).Elem()
		for f := 0; f < typ.NumField(); f++ {
			field := v.Field(f)
			switch field.Kind() {
			case reflect.String:
				if r.Intn(40) == 0 {
					field.SetString(escaped[r.Intn(len(escaped))])
				} else {
					field.SetString(texts[r.Intn(len(texts))])
				}
			case reflect.Bool:
				field.SetBool(r.Intn(2) == 0)
			case reflect.Int:
				field.SetInt(int64(r.Intn(5) - 1))
			default:
				t.Fatalf("field %s of kind %s: teach AppendJSON and this test", typ.Field(f).Name, field.Kind())
			}
		}
		want, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := encode(&x, []byte("x"))
		if !ok {
			if string(got) != "x" {
				t.Fatalf("refused but appended %q", got)
			}
			plain := true
			for f := 0; f < typ.NumField(); f++ {
				if field := v.Field(f); field.Kind() == reflect.String {
					if raw, _ := json.Marshal(field.String()); string(raw) != `"`+field.String()+`"` {
						plain = false
					}
				}
			}
			if plain {
				t.Fatalf("refused a value json.Marshal writes without escapes: %s", want)
			}
			continue
		}
		taken++
		if string(got[1:]) != string(want) {
			t.Fatalf("AppendJSON wrote\n%s\njson.Marshal\n%s", got[1:], want)
		}
	}
	if taken < 10000 || taken == 30000 {
		t.Fatalf("only %d of 30,000 taken", taken)
	}
}
