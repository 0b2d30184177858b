package jsonshape

import (
	"encoding/json"
	"math/rand"
	"testing"
)

// TestAppendStringIsJSONMarshalOrNothing: a string AppendString takes is
// written exactly as json.Marshal writes it; one it refuses is one
// json.Marshal would change (an escape, a replaced byte).
func TestAppendStringIsJSONMarshalOrNothing(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	alphabet := []string{"a", "签", "🙂", `"`, `\`, "\t", "\x00", "\x7f", "<", ">", "&", "\u2028", "\u2029", "\xff", "\xe4\xb8", "e\u0301", " "}
	taken := 0
	for i := 0; i < 50000; i++ {
		s := ""
		for n := r.Intn(6); n > 0; n-- {
			s += alphabet[r.Intn(len(alphabet))]
		}
		want, _ := json.Marshal(s)
		got, ok := AppendString([]byte("x"), s)
		plain := string(want) == `"`+s+`"`
		if ok != plain {
			t.Fatalf("%q: AppendString took it: %v; json.Marshal writes it as it is: %v (%s)", s, ok, plain, want)
		}
		if ok {
			taken++
			if string(got) != "x"+string(want) {
				t.Fatalf("%q: wrote %s, json.Marshal %s", s, got, want)
			}
		} else if string(got) != "x" {
			t.Fatalf("%q: refused but appended %q", s, got)
		}
	}
	if taken < 1000 {
		t.Fatalf("only %d strings taken", taken)
	}
}
