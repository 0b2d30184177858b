package app

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// The diagnostics zip names the build and the file's health and holds the
// logs, and nothing in it is anyone's name, phone or e-mail: every person of
// the event is looked for in every file of the zip.
func TestDiagnosticsCarryHealthAndNoPersonalData(t *testing.T) {
	svc, ws, _ := newTestServices(t)
	createEvent(t, svc)
	if _, err := svc.Roster.Import(ImportRequest{FileName: "报名.csv", Data: sample(t, "participants-gbk.csv")}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Backup.Configure(BackupSettings{Folder: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	// A log line that should never have been written, but was.
	logs := filepath.Join(ws.DataDir(), "logs")
	os.MkdirAll(logs, 0o700)
	home, _ := os.UserHomeDir()
	leak := `{"msg":"import row","mobile":"13812345678","email":"wang.fang@example.cn","id":"370102199001011234","file":"` + filepath.Join(home, "Documents", "报名.xlsx") + `"}` + "\n"
	os.WriteFile(filepath.Join(logs, "fuzhi.log"), []byte(`{"msg":"event opened","event":"E1"}`+"\n"+leak), 0o600)

	raw, err := svc.Event.Diagnostics()
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	var all strings.Builder
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		files[f.Name] = string(b)
		all.Write(b)
	}
	for _, want := range []string{"health.json", "README.txt", "logs/fuzhi.log"} {
		if _, ok := files[want]; !ok {
			t.Fatalf("the zip lacks %s: %v", want, zr.File)
		}
	}
	var health struct {
		Build struct{ Version string } `json:"build"`
		Event struct {
			Summary struct {
				Ops    uint64         `json:"ops"`
				Counts map[string]int `json:"counts"`
			} `json:"summary"`
		} `json:"event"`
		Backup struct{ State string } `json:"backup"`
		Logs   []string               `json:"logs"`
	}
	if err := json.Unmarshal([]byte(files["health.json"]), &health); err != nil {
		t.Fatal(err)
	}
	info, _ := svc.Event.Current()
	if health.Build.Version == "" || health.Event.Summary.Counts["participant"] != info.Participants || health.Event.Summary.Ops == 0 ||
		health.Backup.State != "ok" || len(health.Logs) != 1 {
		t.Fatalf("health: %s", files["health.json"])
	}
	text := all.String()
	for _, secret := range []string{"13812345678", "wang.fang@example.cn", "370102199001011234", home + string(filepath.Separator)} {
		if strings.Contains(text, secret) {
			t.Errorf("the zip holds %q", secret)
		}
	}
	page, _ := svc.Roster.List(ParticipantQuery{Limit: 1000})
	if len(page.Items) < 100 {
		t.Fatalf("only %d people to look for", len(page.Items))
	}
	for _, p := range page.Items {
		for _, v := range []string{p.Name, p.Mobile, p.Email} {
			if utf8.RuneCountInString(v) >= 2 && strings.Contains(text, v) {
				t.Errorf("the zip holds %q of %s", v, p.ID)
			}
		}
	}
}

func TestDiagnosticsWithoutAnEvent(t *testing.T) {
	svc, _, _ := newTestServices(t)
	raw, err := svc.Event.Diagnostics()
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil || len(zr.File) < 2 {
		t.Fatalf("zip without an event: %v %v", zr, err)
	}
}
