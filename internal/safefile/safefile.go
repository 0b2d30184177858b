// Package safefile writes a file so that it is either there whole or not
// changed at all: a full disk or a pulled USB stick must not leave half a
// badge PDF behind while the event believes the badges are on paper.
// (google/renameio does the same but does not support Windows, where the
// organizers' laptops are.)
package safefile

import (
	"fmt"
	"os"
	"path/filepath"
)

// Write puts data at path with perm: into a temporary file beside it,
// flushed to disk, then renamed over path.
func Write(path string, data []byte, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Chmod(perm); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	// The rename itself is durable once the folder is synced (not possible,
	// nor needed, on Windows).
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}
