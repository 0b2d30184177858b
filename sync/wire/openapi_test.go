package wire

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/fuzhi/eventdesk/store"
)

func loadSpec(t *testing.T) map[string]any {
	raw, err := os.ReadFile(filepath.Join("..", "..", "docs", "platform-openapi.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spec map[string]any
	if err := json.Unmarshal(raw, &spec); err != nil {
		t.Fatalf("the protocol document is not valid JSON: %v", err)
	}
	return spec
}

func jsonFields(v any) []string {
	var out []string
	tp := reflect.TypeOf(v)
	for i := 0; i < tp.NumField(); i++ {
		name, _, _ := strings.Cut(tp.Field(i).Tag.Get("json"), ",")
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

func schemaFields(spec map[string]any, name string) []string {
	s := spec["components"].(map[string]any)["schemas"].(map[string]any)[name].(map[string]any)
	var out []string
	for k := range s["properties"].(map[string]any) {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// The written protocol and the code agree: the same message fields, the
// same uploaded kinds and payload fields, the same limits.
func TestOpenAPIDocumentMatchesTheCode(t *testing.T) {
	spec := loadSpec(t)
	if got, want := schemaFields(spec, "Batch"), jsonFields(Batch{}); !slices.Equal(got, want) {
		t.Fatalf("Batch: document %v, code %v", got, want)
	}
	if got, want := schemaFields(spec, "Op"), jsonFields(store.Op{}); !slices.Equal(got, want) {
		t.Fatalf("Op: document %v, code %v", got, want)
	}
	if got, want := schemaFields(spec, "Ack"), jsonFields(Ack{}); !slices.Equal(got, want) {
		t.Fatalf("Ack: document %v, code %v", got, want)
	}
	fields := spec["x-fields"].(map[string]any)
	for kind, want := range allowedFields {
		var doc []string
		for _, f := range fields[kind].([]any) {
			name, _, _ := strings.Cut(f.(string), " ")
			if !slices.Contains(consentFields, name) {
				doc = append(doc, name)
			}
		}
		if !slices.Equal(doc, want) {
			t.Fatalf("fields of %s: document %v, code %v", kind, doc, want)
		}
	}
	if len(fields) != len(allowedFields) {
		t.Fatalf("document lists %d kinds, code uploads %d", len(fields), len(allowedFields))
	}
	op := spec["components"].(map[string]any)["schemas"].(map[string]any)["Op"].(map[string]any)["properties"].(map[string]any)
	for _, k := range op["kind"].(map[string]any)["enum"].([]any) {
		if err := CheckOp(store.Op{Station: "S1", Seq: 1, Kind: k.(string), Entity: "x", Payload: json.RawMessage(`{}`)}); err != nil {
			t.Fatalf("documented kind %s refused by the code: %v", k, err)
		}
	}
	batch := spec["components"].(map[string]any)["schemas"].(map[string]any)["Batch"].(map[string]any)["properties"].(map[string]any)
	if int(batch["ops"].(map[string]any)["maxItems"].(float64)) != MaxBatchOps {
		t.Fatal("documented batch limit differs from MaxBatchOps")
	}
	paths := spec["paths"].(map[string]any)
	for _, p := range []string{"/v1/ingest", "/v1/events/{event}/checkpoint", "/v1/packages", "/v1/catalog", "/v1/stats"} {
		if paths[p] == nil {
			t.Fatalf("path %s not documented", p)
		}
	}
}
