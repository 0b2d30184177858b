package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
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
		Imported  int   `json:"imported"`
		Updated   int   `json:"updated"`
		Unchanged int   `json:"unchanged"`
		Rows      int   `json:"rows"`
		Rejected  []any `json:"rejected"`
	}
	json.Unmarshal([]byte(out), &back)
	if back.Imported != 0 || len(back.Rejected) != 0 || back.Updated != 0 || back.Unchanged != back.Rows || back.Rows < 188 {
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

func TestCLICheckinAndBadges(t *testing.T) {
	dir := t.TempDir()
	ev := filepath.Join(dir, "e.fzevent")
	runCLI(t, "event", "create", "--name", "深度行·签到", "--date", "2026-05-20", "--out", ev, "--data", dir)
	if _, err := runCLI(t, "import", "participants", "--event", ev, "--file", filepath.Join("..", "..", "app", "importer", "testdata", "participants-gbk.csv")); err != nil {
		t.Fatal(err)
	}
	pdf := filepath.Join(dir, "b.pdf")
	out, err := runCLI(t, "badges", "--event", ev, "--layout", "label60x40", "--out", pdf, "--role", "university")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(pdf)
	if !strings.HasPrefix(string(raw), "%PDF") || !strings.Contains(out, "label60x40") {
		t.Fatalf("badges: %s", out)
	}
	if _, err := runCLI(t, "badges", "--event", ev, "--layout", "a5", "--out", pdf); err == nil || !strings.Contains(err.Error(), "a6") {
		t.Fatalf("bad layout: %v", err)
	}
	// Find someone, get their code, check them in twice.
	xlsx := filepath.Join(dir, "all.xlsx")
	runCLI(t, "export", "participants", "--event", ev, "--out", xlsx)
	f, _ := excelize.OpenFile(xlsx)
	rows, _ := f.GetRows("参会人")
	id := rows[1][0]
	code, err := runCLI(t, "code", "--event", ev, "--id", id)
	if err != nil {
		t.Fatal(err)
	}
	code = strings.TrimSpace(code)
	for _, want := range []string{"ok", "duplicate"} {
		out, err := runCLI(t, "checkin", "--event", ev, "--code", code, "--desk", "2")
		if err != nil {
			t.Fatal(err)
		}
		var ans struct {
			Result string `json:"result"`
		}
		json.Unmarshal([]byte(out), &ans)
		if ans.Result != want {
			t.Fatalf("checkin: want %s, got %s", want, out)
		}
	}
	swap := "Q"
	if strings.HasSuffix(code, "Q") {
		swap = "R"
	}
	out, _ = runCLI(t, "checkin", "--event", ev, "--code", code[:len(code)-1]+swap)
	if !strings.Contains(out, `"result": "forged"`) {
		t.Fatalf("tampered code: %s", out)
	}
}

// The organizer token never has to appear in the process list.
func TestPlatformTokenStaysOffTheCommandLine(t *testing.T) {
	parse := func(args ...string) (*flag.FlagSet, *string) {
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		token := fs.String("token", "FROM.ENV", "")
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		return fs, token
	}
	fs, token := parse("--token", "O1.secret")
	if err := readToken(fs, token, strings.NewReader("")); err == nil || !strings.Contains(err.Error(), "FUZHI_PLATFORM_TOKEN") {
		t.Errorf("a token on the command line: %v", err)
	}
	fs, token = parse("--token", "-")
	if err := readToken(fs, token, strings.NewReader("  O1.fromstdin \n")); err != nil || *token != "O1.fromstdin" {
		t.Errorf("from standard input: %q %v", *token, err)
	}
	fs, token = parse("--token", "-")
	if err := readToken(fs, token, strings.NewReader("")); err == nil {
		t.Error("an empty standard input gave a token")
	}
	fs, token = parse()
	if err := readToken(fs, token, strings.NewReader("")); err != nil || *token != "FROM.ENV" {
		t.Errorf("from the environment: %q %v", *token, err)
	}
}
