package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bbolt never hands pages back to the file system: a large import, or
// the many small transactions of a station's first sync, leave an event
// file with pages half full and free pages in the middle (a 50,000-person
// file was 2.26× larger than its compacted copy). Compaction writes every
// bucket into a fresh file, pages filled as packFill says, and the file
// is swapped in only when the copy is complete and synced.

// Mark names the last write committed to a file (bbolt's transaction id),
// so a caller can tell whether anything was written after a copy was
// taken.
type Mark uint64

// compactBatch is how many bytes of keys and values a transaction of the
// copy holds before it commits: the copy's memory stays flat whatever the
// file's size.
const compactBatch = 16 << 20

// CompactTo writes a compacted copy of the file, as it is at one instant,
// to dst while the store stays in use (reads and writes go on; the copy
// reads a snapshot). It returns the snapshot's mark and the copy's size.
func (s *Store) CompactTo(ctx context.Context, dst string) (Mark, int64, error) {
	mark, size, err := writeCompacted(ctx, s.db.Load(), dst)
	if err != nil {
		return 0, 0, fmt.Errorf("compact %s: %w", s.path, err)
	}
	return mark, size, nil
}

// CompactFile writes a compacted copy of the closed event file src to dst
// and returns src's mark and the copy's size.
func CompactFile(ctx context.Context, src, dst string) (Mark, int64, error) {
	db, err := openReadOnly(src)
	if err != nil {
		return 0, 0, fmt.Errorf("compact %s: %w", src, err)
	}
	defer db.Close()
	mark, size, err := writeCompacted(ctx, db, dst)
	if err != nil {
		return 0, 0, fmt.Errorf("compact %s: %w", src, err)
	}
	return mark, size, nil
}

// Mark is the open file's mark now: the automatic backup skips a tick
// when it has not moved since the last backup.
func (s *Store) Mark() Mark {
	var mark Mark
	_ = s.view(func(tx *bolt.Tx) error {
		mark = Mark(tx.ID())
		return nil
	})
	return mark
}

// MarkOf reads the mark of a closed event file.
func MarkOf(path string) (Mark, error) {
	db, err := openReadOnly(path)
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", path, err)
	}
	defer db.Close()
	var mark Mark
	err = db.View(func(tx *bolt.Tx) error {
		mark = Mark(tx.ID())
		return nil
	})
	return mark, err
}

func openReadOnly(path string) (*bolt.DB, error) {
	return bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
}

// writeCompacted copies a snapshot of src into a new file at dst, made
// under a temporary name and renamed when complete and synced, so no
// half-written file ever has dst's name. It returns the snapshot's mark.
func writeCompacted(ctx context.Context, src *bolt.DB, dst string) (Mark, int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".compact-*")
	if err != nil {
		return 0, 0, err
	}
	tmpPath := tmp.Name()
	tmp.Close()
	defer os.Remove(tmpPath) // gone after the rename; removes a failed copy
	out, err := bolt.Open(tmpPath, 0o600, &bolt.Options{NoFreelistSync: true})
	if err != nil {
		return 0, 0, err
	}
	var mark Mark
	err = src.View(func(tx *bolt.Tx) error {
		mark = Mark(tx.ID())
		return copyBuckets(ctx, tx, out)
	})
	var used int64
	if err == nil {
		err = out.View(func(tx *bolt.Tx) error { used = tx.Size(); return nil })
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, 0, err
	}
	// bbolt sizes a small file to its map, a power of two: the copy ends
	// where its pages end, and grows again when written to.
	if err := os.Truncate(tmpPath, used); err != nil {
		return 0, 0, err
	}
	if err := os.Rename(tmpPath, dst); err != nil {
		return 0, 0, err
	}
	info, err := os.Stat(dst)
	if err != nil {
		return 0, 0, err
	}
	return mark, info.Size(), nil
}

// copyBuckets copies every bucket of src, nested ones included, with their
// sequences, committing the copy every compactBatch bytes.
func copyBuckets(ctx context.Context, src *bolt.Tx, out *bolt.DB) error {
	tx, err := out.Begin(true)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }() // after a commit this is a no-op
	held := 0
	// at returns the copy's bucket at path in the current transaction.
	at := func(path [][]byte) *bolt.Bucket {
		b := tx.Bucket(path[0])
		for _, name := range path[1:] {
			b = b.Bucket(name)
		}
		b.FillPercent = packFill
		return b
	}
	var walk func(path [][]byte, b *bolt.Bucket) error
	walk = func(path [][]byte, b *bolt.Bucket) error {
		var made *bolt.Bucket
		if len(path) == 1 {
			made, err = tx.CreateBucket(path[0])
		} else {
			made, err = at(path[:len(path)-1]).CreateBucket(path[len(path)-1])
		}
		if err != nil {
			return fmt.Errorf("bucket %q: %w", path, err)
		}
		if err := made.SetSequence(b.Sequence()); err != nil {
			return err
		}
		dstB := at(path)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if v == nil { // a nested bucket
				if err := walk(append(path[:len(path):len(path)], k), b.Bucket(k)); err != nil {
					return err
				}
				dstB = at(path)
				continue
			}
			if err := dstB.Put(k, v); err != nil {
				return err
			}
			if held += len(k) + len(v); held < compactBatch {
				continue
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := tx.Commit(); err != nil {
				return err
			}
			if tx, err = out.Begin(true); err != nil {
				return err
			}
			held, dstB = 0, at(path)
		}
		return nil
	}
	err = src.ForEach(func(name []byte, b *bolt.Bucket) error {
		return walk([][]byte{name}, b)
	})
	if err != nil {
		return err
	}
	return tx.Commit()
}

// Usage is how large the file is and how many bytes its pages hold: the
// difference is what compaction would give back, less the room packFill
// leaves.
type Usage struct {
	FileBytes int64 `json:"fileBytes"`
	LiveBytes int64 `json:"liveBytes"`
}

// Usage measures the open file (a walk over its pages: 0.1 s at 200,000
// people).
func (s *Store) Usage() (Usage, error) {
	var u Usage
	err := s.view(func(tx *bolt.Tx) error {
		u.FileBytes = tx.Size()
		return tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
			st := b.Stats()
			u.LiveBytes += int64(st.LeafInuse + st.BranchInuse)
			return nil
		})
	})
	if err != nil {
		return u, fmt.Errorf("measure %s: %w", s.path, err)
	}
	if info, err := os.Stat(s.path); err == nil {
		u.FileBytes = info.Size()
	}
	return u, nil
}

// Reclaimable is about how many bytes compaction would give back.
func (u Usage) Reclaimable() int64 {
	compacted := int64(float64(u.LiveBytes)/packFill) + 64<<10
	return max(0, u.FileBytes-compacted)
}
