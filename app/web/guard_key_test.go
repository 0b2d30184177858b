package web

import (
	"os"
	"path/filepath"
	"testing"
)

// A restart of fuzhi serve on the same data folder keeps the key, so the
// desks' open pages keep working; the key file is the user's alone.
func TestTheKeySurvivesARestartAndIsPrivate(t *testing.T) {
	dir := t.TempDir()
	a, err := LoadGuard(dir, "8787", false, "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := LoadGuard(dir, "8787", false, "")
	if err != nil || b.Key() != a.Key() || len(a.Key()) != 48 {
		t.Fatalf("after a restart: %q vs %q (%v)", b.Key(), a.Key(), err)
	}
	info, _ := os.Stat(filepath.Join(dir, KeyFile))
	if info.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v", info.Mode().Perm())
	}
	// A damaged key file is replaced by a new key, never used as one.
	os.WriteFile(filepath.Join(dir, KeyFile), []byte("short"), 0o600)
	c, err := LoadGuard(dir, "8787", false, "")
	if err != nil || c.Key() == "short" || len(c.Key()) != 48 || c.Key() == a.Key() {
		t.Fatalf("with a damaged file: %q %v", c.Key(), err)
	}
}
