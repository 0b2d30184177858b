package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, &out)
	return out.String(), err
}

func TestCLIImportReportsSampleCounts(t *testing.T) {
	dir := t.TempDir()
	ev := filepath.Join(dir, "e.fzevent")
	if _, err := runCLI(t, "event", "create", "--name", "深度行·测试", "--date", "2026-05-20", "--out", ev, "--data", dir); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file             string
		imported, reject int
	}{{"participants-gbk.csv", 188, 8}, {"participants-utf8bom.csv", 0, 0}} {
		file := filepath.Join("..", "..", "app", "importer", "testdata", tc.file)
		out, err := runCLI(t, "import", "participants", "--event", ev, "--file", file)
		if err != nil {
			t.Fatal(err)
		}
		var sum struct {
			Imported int `json:"imported"`
			Updated  int `json:"updated"`
			Rejected []struct {
				Row    int    `json:"row"`
				Reason string `json:"reason"`
			} `json:"rejected"`
		}
		if err := json.Unmarshal([]byte(out), &sum); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, out)
		}
		if tc.file == "participants-gbk.csv" && (sum.Imported != tc.imported || len(sum.Rejected) != tc.reject || sum.Rejected[0].Row != 27 || sum.Rejected[0].Reason != "invalid mobile") {
			t.Fatalf("%s: %s", tc.file, out)
		}
	}
	xlsx := filepath.Join(dir, "out.xlsx")
	if _, err := runCLI(t, "export", "participants", "--event", ev, "--out", xlsx, "--unmasked"); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(xlsx); err != nil || st.Size() < 1000 {
		t.Fatalf("export: %v", err)
	}
	// The exported workbook imports back as the same people: nothing new.
	out, err := runCLI(t, "import", "participants", "--event", ev, "--file", xlsx)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Imported int   `json:"imported"`
		Updated  int   `json:"updated"`
		Rejected []any `json:"rejected"`
	}
	json.Unmarshal([]byte(out), &back)
	if back.Imported != 0 || len(back.Rejected) != 0 || back.Updated < 188 {
		t.Fatalf("re-importing the export: %s", out)
	}
}

func TestCLIErrorsAreClear(t *testing.T) {
	if _, err := runCLI(t, "import", "participants", "--file", "x.csv"); err == nil || !strings.Contains(err.Error(), "--event") {
		t.Fatalf("missing --event: %v", err)
	}
	if _, err := runCLI(t, "import", "participants", "--event", filepath.Join(t.TempDir(), "none.fzevent"), "--file", "main.go"); err == nil {
		t.Fatal("import into a missing event file succeeded")
	}
	if _, err := runCLI(t, "frobnicate"); err == nil || !strings.Contains(err.Error(), "未知命令") {
		t.Fatalf("unknown verb: %v", err)
	}
}
