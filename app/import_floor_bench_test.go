package app

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/fuzhi/eventdesk/store"
)

// storageFloor is the CPU (median of three) that the least an import into
// an op-logged bbolt file can do takes for data: read the CSV, encode each
// row with encoding/json once, put it in a log under its sequence number
// and in a view under an id that grows with it (the same transaction, a
// batch at a time), then put one dedup-index entry per row in the index's
// key order, and flush. No checking, no clocks, no organizations, no
// roster or list index, no memory ceiling: what is left of the import's
// CPU above it is the app's own work. It tells how far the ratio
// to Python reading the file into dicts can fall while the rows are also
// made durable.
func storageFloor(b *testing.B, data []byte) (time.Duration, bool) {
	var runs []time.Duration
	for range 3 {
		cpu0, ok := processCPU()
		if !ok {
			return 0, false
		}
		writeStorageFloor(b, data)
		cpu1, _ := processCPU()
		runs = append(runs, cpu1-cpu0)
	}
	slices.Sort(runs)
	return runs[1], true
}

// floorRow is a registration as the storage floor stores it.
type floorRow struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Org        string `json:"org"`
	CreditCode string `json:"creditCode,omitempty"`
	Title      string `json:"title,omitempty"`
	Mobile     string `json:"mobile,omitempty"`
	Email      string `json:"email,omitempty"`
	Role       string `json:"role,omitempty"`
	Chain      string `json:"chain,omitempty"`
	Note       string `json:"note,omitempty"`
}

func writeStorageFloor(b *testing.B, data []byte) {
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil || len(rows) < 2 {
		b.Fatalf("the floor read %d rows: %v", len(rows), err)
	}
	rows = rows[1:]
	db, err := bolt.Open(filepath.Join(b.TempDir(), "floor.db"), 0o600,
		&bolt.Options{NoSync: true, NoFreelistSync: true, InitialMmapSize: 256 << 20})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	type entry struct{ key, id string }
	index := make([]entry, 0, len(rows))
	for lo := 0; lo < len(rows); lo += store.StageBatch {
		err := db.Update(func(tx *bolt.Tx) error {
			log, err := tx.CreateBucketIfNotExists([]byte("ops"))
			if err != nil {
				return err
			}
			view, err := tx.CreateBucketIfNotExists([]byte("participant"))
			if err != nil {
				return err
			}
			log.FillPercent, view.FillPercent = 0.9, 0.9
			for i := lo; i < min(lo+store.StageBatch, len(rows)); i++ {
				r := rows[i]
				row := floorRow{ID: fmt.Sprintf("P%08d", i), Name: r[1], Org: r[2], CreditCode: r[3], Title: r[4],
					Mobile: r[5], Email: r[6], Role: r[7], Chain: r[8], Note: r[9]}
				payload, err := json.Marshal(row)
				if err != nil {
					return err
				}
				if err := log.Put(binary.BigEndian.AppendUint64(nil, uint64(i+1)), payload); err != nil {
					return err
				}
				if err := view.Put([]byte(row.ID), payload); err != nil {
					return err
				}
				index = append(index, entry{row.Name + "|" + row.Mobile + "\x00" + row.ID, row.ID})
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	slices.SortFunc(index, func(a, b entry) int { return strings.Compare(a.key, b.key) })
	for lo := 0; lo < len(index); lo += store.StageBatch {
		err := db.Update(func(tx *bolt.Tx) error {
			idx, err := tx.CreateBucketIfNotExists([]byte("idx"))
			if err != nil {
				return err
			}
			idx.FillPercent = 0.9
			for _, e := range index[lo:min(lo+store.StageBatch, len(index))] {
				if err := idx.Put([]byte(e.key), []byte(e.id)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if err := db.Sync(); err != nil {
		b.Fatal(err)
	}
}
