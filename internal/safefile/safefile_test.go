package safefile

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestWriteReplacesWholeOrNotAtAll(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "胸卡.pdf")
	if err := Write(path, []byte("first"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, []byte("second"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	info, _ := os.Stat(path)
	// Windows keeps no Unix permissions: a file is read-only or not, and
	// Go reports 0666 or 0444 whatever was asked.
	wantPerm := os.FileMode(0o600)
	if runtime.GOOS == "windows" {
		wantPerm = 0o666
	}
	if string(got) != "second" || info.Mode().Perm() != wantPerm {
		t.Errorf("content %q mode %v, want %v", got, info.Mode().Perm(), wantPerm)
	}
	// A write that cannot finish (the folder is gone) leaves nothing behind.
	if err := Write(filepath.Join(dir, "missing", "x.pdf"), []byte("x"), 0o600); err == nil {
		t.Error("a write into a missing folder succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries, want only the file", len(entries))
	}
}
