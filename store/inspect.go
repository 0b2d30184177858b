package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// FileSummary is what an event file holds, read without opening it for
// writing: enough to choose among backups on a USB stick ("the one from
// 10:25 with 1,840 check-ins") without changing any of them.
type FileSummary struct {
	Path    string         `json:"path"`
	Size    int64          `json:"size"`
	Schema  int            `json:"schema"`
	Station string         `json:"station"`
	Ops     uint64         `json:"ops"`    // every op held, from every station
	Counts  map[string]int `json:"counts"` // entries per view kind
	// LastChange is the wall time of the newest op's clock, RFC 3339 in
	// UTC (so it also sorts as text); "" for a file with none.
	LastChange string `json:"lastChange"`
}

// Inspect reads an event file's summary read-only. The file may be open
// elsewhere for reading; a file held for writing (the live event) waits
// up to a second and fails, like any second opener.
func Inspect(path string) (FileSummary, error) {
	s, err := OpenReadOnly(path)
	if err != nil {
		return FileSummary{}, err
	}
	defer s.Close()
	return s.Summary()
}

// OpenReadOnly opens an event file without writing to it: no migration,
// no station id, no clock. Every Apply fails. A file from a newer version
// is refused, one from an older version is read as it is.
func OpenReadOnly(path string) (*Store, error) {
	if err := checkComplete(path); err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open event file %s: %w", path, err)
	}
	db, err := openReadOnly(path)
	if err != nil {
		if errors.Is(err, ErrNotEvent) {
			return nil, err
		}
		return nil, fmt.Errorf("%w：%s（%v）", ErrNotEvent, path, err)
	}
	s := &Store{path: path}
	s.db.Store(db)
	err = db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil || tx.Bucket(bucketOps) == nil || tx.Bucket(bucketVV) == nil || tx.Bucket(bucketViews) == nil {
			return fmt.Errorf("%w：%s", ErrNotEvent, path)
		}
		if v := readSchemaVersion(tx); v > SchemaVersion() {
			return fmt.Errorf("%w: 文件版本 %d，本程序支持到 %d，请升级赋智会务台", ErrTooNew, v, SchemaVersion())
		}
		s.station = string(meta.Get(keyStation))
		return nil
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Summary is what the file holds now (Inspect's answer for an open store).
func (s *Store) Summary() (FileSummary, error) {
	sum := FileSummary{Path: s.path, Station: s.station, Counts: map[string]int{}}
	if info, err := os.Stat(s.path); err == nil {
		sum.Size = info.Size()
	}
	err := s.view(func(tx *bolt.Tx) error {
		sum.Schema = readSchemaVersion(tx)
		if err := tx.Bucket(bucketVV).ForEach(func(_, v []byte) error {
			if len(v) == 8 {
				sum.Ops += binary.BigEndian.Uint64(v)
			}
			return nil
		}); err != nil {
			return err
		}
		if v := tx.Bucket(bucketMeta).Get(keyHLC); len(v) == 8 {
			if h := binary.BigEndian.Uint64(v); h != 0 {
				sum.LastChange = HLCTime(h).UTC().Format(time.RFC3339)
			}
		}
		views := tx.Bucket(bucketViews)
		for _, kind := range viewKinds {
			if b := views.Bucket([]byte(kind)); b != nil {
				sum.Counts[kind] = b.Stats().KeyN
			}
		}
		return nil
	})
	if err != nil {
		return FileSummary{}, fmt.Errorf("read %s: %w", s.path, err)
	}
	return sum, nil
}

// RestoreCopy writes a copy of the event file src (a backup) to dst and
// gives the copy a station id of its own, so the laptop that restores it
// is a new replica. The laptop the backup came from may have written ops
// after the backup under its own id, and some may have reached other desks;
// had the copy kept that id, its next ops would reuse those sequence
// numbers and the two would be mistaken for one. With a new id, everything
// the old laptop wrote still syncs in as another station's ops. dropLocal
// names machine-local settings that belonged to the old laptop's place in
// the venue (its link to a hub, a hub listener to resume) and must not
// come back to life on another machine. src is only read. dst must not
// exist.
func RestoreCopy(ctx context.Context, src, dst string, dropLocal ...string) (FileSummary, error) {
	if _, err := os.Stat(dst); err == nil {
		return FileSummary{}, fmt.Errorf("restore %s: %s already exists", src, dst)
	}
	if _, _, err := CompactFile(ctx, src, dst); err != nil {
		return FileSummary{}, fmt.Errorf("restore %s: %w", src, err)
	}
	db, err := bolt.Open(dst, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		os.Remove(dst)
		return FileSummary{}, fmt.Errorf("restore %s: %w", src, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		if local := tx.Bucket(bucketLocal); local != nil {
			for _, k := range dropLocal {
				if err := local.Delete([]byte(k)); err != nil {
					return err
				}
			}
		}
		return tx.Bucket(bucketMeta).Put(keyStation, []byte(newStationID()))
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
		return FileSummary{}, fmt.Errorf("restore %s: new station id: %w", src, err)
	}
	abs, _ := filepath.Abs(dst)
	return Inspect(abs)
}
