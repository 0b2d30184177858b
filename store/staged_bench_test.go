package store

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/fuzhi/eventdesk/model"
	bolt "go.etcd.io/bbolt"
)

// BenchmarkApplyAll200k records 200,000 registrations (20,000 with -short)
// with ApplyAll, as an import does after reading its file, and reports the
// time against a floor from the same run: bbolt alone writing exactly the
// keys and values the store wrote (every bucket, in key order, 5,000 puts
// per transaction, no fsync until the end, as the staged import writes),
// read back from the file into memory first. What lies between the two is
// the store's own work: encoding, checks, the index keys it computes, and
// the commit hooks (none here).
func BenchmarkApplyAll200k(b *testing.B) {
	n := 200_000
	if testing.Short() {
		n = 20_000
	}
	for range b.N {
		b.StopTimer()
		dir := b.TempDir()
		s, err := Open(context.Background(), filepath.Join(dir, "event.fzevent"), Options{})
		if err != nil {
			b.Fatal(err)
		}
		i := 0
		next := func() ([]Change, error) {
			var out []Change
			for ; i < n && len(out) < StageBatch; i++ {
				id := fmt.Sprintf("p-%016x", uint64(i+1)*0x9E3779B97F4A7C15) // ids in no order, as the import's are
				out = append(out, Change{Kind: KindParticipant, Entity: id, Value: model.Participant{
					ID: id, Name: fmt.Sprintf("参会人%06d", i), Org: fmt.Sprintf("山东第%d精工科技有限公司", i%4000),
					CreditCode: fmt.Sprintf("91370100MA%08d", i), Title: "技术总监", Mobile: fmt.Sprintf("139%08d", i),
					Email: fmt.Sprintf("u%d@example.cn", i), Role: "sme", Note: "需要发票，午餐素食"}})
			}
			return out, nil
		}
		runtime.GC()
		b.StartTimer()
		t0 := time.Now()
		if _, err := s.ApplyAll(context.Background(), next); err != nil {
			b.Fatal(err)
		}
		took := time.Since(t0)
		b.StopTimer()
		pairs := dumpBuckets(b, s)
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		t0 = time.Now()
		writeFloor(b, filepath.Join(dir, "floor.db"), pairs)
		floor := time.Since(t0)
		b.ReportMetric(took.Seconds(), "apply-s")
		b.ReportMetric(floor.Seconds(), "bolt-floor-s")
		b.ReportMetric(float64(took)/float64(floor), "x-floor")
		b.ReportMetric(float64(len(pairs)), "keys")
		b.StartTimer()
	}
}

// kv is one key of a bucket, by the bucket's path from the root; a nil
// value is a nested bucket.
type kv struct {
	path []string
	k, v []byte
}

func dumpBuckets(b *testing.B, s *Store) []kv {
	var out []kv
	var walk func(path []string, bk *bolt.Bucket) error
	walk = func(path []string, bk *bolt.Bucket) error {
		return bk.ForEach(func(k, v []byte) error {
			out = append(out, kv{path, append([]byte(nil), k...), append([]byte(nil), v...)})
			if v == nil {
				return walk(append(append([]string(nil), path...), string(k)), bk.Bucket(k))
			}
			return nil
		})
	}
	err := s.view(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, bk *bolt.Bucket) error {
			out = append(out, kv{nil, append([]byte(nil), name...), nil})
			return walk([]string{string(name)}, bk)
		})
	})
	if err != nil {
		b.Fatal(err)
	}
	return out
}

func writeFloor(b *testing.B, path string, pairs []kv) {
	db, err := openBolt(path, Options{Timeout: time.Second, NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	bucket := func(tx *bolt.Tx, path []string) (*bolt.Bucket, error) {
		bk, err := tx.CreateBucketIfNotExists([]byte(path[0]))
		for _, p := range path[1:] {
			if err != nil {
				return nil, err
			}
			bk, err = bk.CreateBucketIfNotExists([]byte(p))
		}
		if bk != nil {
			bk.FillPercent = 0.9
		}
		return bk, err
	}
	for lo := 0; lo < len(pairs); lo += StageBatch {
		err := db.Update(func(tx *bolt.Tx) error {
			var bk *bolt.Bucket
			var at []string // bk's path: the pairs come bucket by bucket
			for _, p := range pairs[lo:min(lo+StageBatch, len(pairs))] {
				if p.path == nil {
					if _, err := tx.CreateBucketIfNotExists(p.k); err != nil {
						return err
					}
					continue
				}
				if bk == nil || !slices.Equal(at, p.path) {
					var err error
					if bk, err = bucket(tx, p.path); err != nil {
						return err
					}
					at = p.path
				}
				var err error
				if p.v == nil {
					_, err = bk.CreateBucketIfNotExists(p.k)
				} else {
					err = bk.Put(p.k, p.v)
				}
				if err != nil {
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
