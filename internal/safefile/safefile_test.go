package safefile

import (
	"os"
	"path/filepath"
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
	if string(got) != "second" || info.Mode().Perm() != 0o600 {
		t.Errorf("content %q mode %v", got, info.Mode().Perm())
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
