package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An organizer's laptop keeps events under paths like
// C:\Users\王 芳\Documents\赋智 会务\: the file is created, written, closed,
// backed up beside itself and opened again there. scripts/wine-test.sh runs
// this as a Windows program with every temporary folder under such a path,
// and sets FUZHI_WANT_TEMP_UNDER to prove it did.
func TestEventFileUnderAPathWithChineseAndSpaces(t *testing.T) {
	if want := os.Getenv("FUZHI_WANT_TEMP_UNDER"); want != "" && !strings.Contains(os.TempDir(), want) {
		t.Fatalf("temporary folder %q is not under %q: the run does not test what it says", os.TempDir(), want)
	}
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "王 芳", "赋智 会务")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "青岛 深度行 2026.fzevent")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("creating %s: %v", path, err)
	}
	if _, err := s.Apply(ctx, person("P1", "王芳", "13800000001")); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "备份 1.fzevent")
	if _, err := s.BackupFile(backup); err != nil {
		t.Fatalf("backup beside it: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, backup} {
		r, err := Open(ctx, p, Options{})
		if err != nil {
			t.Fatalf("reopening %s: %v", p, err)
		}
		n, _ := r.count(KindParticipant)
		r.Close()
		if n != 1 {
			t.Fatalf("%s holds %d participants, want 1", p, n)
		}
	}
	names, err := os.ReadDir(dir)
	if err != nil || len(names) != 2 {
		t.Fatalf("the folder holds %v (%v), want the event and its backup", names, err)
	}
}
