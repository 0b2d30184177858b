package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/fuzhi/eventdesk/model"
)

func openTemp(t *testing.T, opts Options) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "event.fzevent"), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func person(id, name, mobile string) Change {
	return Change{Kind: KindParticipant, Entity: id, Value: model.Participant{ID: id, Name: name, Mobile: mobile, Org: "青岛大学"}}
}

func TestApplyWritesOpAndViewTogether(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t, Options{})
	ops, err := s.Apply(ctx, person("P1", "张三", "13800000001"), person("P2", "李四", "13800000002"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != 2 || ops[0].Seq != 1 || ops[1].Seq != 2 || ops[1].HLC <= ops[0].HLC {
		t.Fatalf("ops not sequenced: %+v", ops)
	}
	var p model.Participant
	if ok, err := s.get(KindParticipant, "P2", &p); err != nil || !ok || p.Name != "李四" {
		t.Fatalf("view missing P2: %v %v %+v", ok, err, p)
	}
	if id, ok := s.ParticipantByKey(p.DedupKey()); !ok || id != "P2" {
		t.Fatalf("dedup index: %q %v", id, ok)
	}
	if _, err := s.Apply(ctx, Change{Kind: KindParticipant, Entity: "P2", Delete: true}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.get(KindParticipant, "P2", &p); ok {
		t.Fatal("deleted participant still in view")
	}
	if _, ok := s.ParticipantByKey(p.DedupKey()); ok {
		t.Fatal("deleted participant still in dedup index")
	}
	n := 0
	_ = s.Ops(func(Op) error { n++; return nil })
	if n != 3 {
		t.Fatalf("op log has %d ops, want 3", n)
	}
	vv, _ := s.VersionVector()
	if vv[s.Station()] != 3 {
		t.Fatalf("version vector %v", vv)
	}
}

func TestSeqAndClockSurviveReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "e.fzevent")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	first, _ := s.Apply(ctx, person("P1", "张三", ""))
	station := s.Station()
	s.Close()
	// The laptop clock jumped back an hour: new ops must still sort after old ones.
	s, err = Open(ctx, path, Options{Now: func() time.Time { return time.Now().Add(-time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	second, _ := s.Apply(ctx, person("P1", "张三丰", ""))
	if s.Station() != station || second[0].Seq != 2 || second[0].HLC <= first[0].HLC {
		t.Fatalf("after reopen: station %s->%s, op %+v after %+v", station, s.Station(), second[0], first[0])
	}
	var p model.Participant
	s.get(KindParticipant, "P1", &p)
	if p.Name != "张三丰" {
		t.Fatalf("later write lost to earlier one: %q", p.Name)
	}
}

func TestViewsRebuildIdenticallyFromOps(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t, Options{})
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 500; i++ {
		id := []string{"P1", "P2", "P3", "P4", "P5"}[r.Intn(5)]
		var c Change
		switch r.Intn(4) {
		case 0:
			c = Change{Kind: KindParticipant, Entity: id, Delete: true}
		case 1:
			c = Change{Kind: KindOrg, Entity: "O" + id, Value: model.Org{ID: "O" + id, Name: "单位" + id}}
		default:
			c = person(id, "人"+id, "1380000000"+id[1:])
		}
		if _, err := s.Apply(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	before, err := s.Dump()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	after, _ := s.Dump()
	if len(before) == 0 || !reflect.DeepEqual(before, after) {
		t.Fatalf("views differ after rebuild:\nbefore %v\nafter  %v", before, after)
	}
}

func TestIngestIsOrderIndependentAndIdempotent(t *testing.T) {
	ctx := context.Background()
	a, b := openTemp(t, Options{}), openTemp(t, Options{})
	var all []Op
	// Each write happens after the writer has seen the previous one (as
	// replication makes it), so 丁 is causally last and must win everywhere.
	for i, src := range []*Store{a, b, a, b} {
		ops, err := src.Apply(ctx, person("P1", []string{"甲", "乙", "丙", "丁"}[i], ""), person("P9", "固定", ""))
		if err != nil {
			t.Fatal(err)
		}
		for _, op := range ops {
			a.Clock().Observe(op.HLC)
			b.Clock().Observe(op.HLC)
		}
		all = append(all, ops...)
	}
	c1, c2 := openTemp(t, Options{}), openTemp(t, Options{})
	if _, err := c1.Ingest(ctx, all); err != nil {
		t.Fatal(err)
	}
	rev := make([]Op, len(all))
	for i, op := range all {
		rev[len(all)-1-i] = op
	}
	if _, err := c2.Ingest(ctx, rev); err != nil {
		t.Fatal(err)
	}
	if n, _ := c2.Ingest(ctx, all); n != 0 {
		t.Fatalf("re-delivered ops were stored again: %d", n)
	}
	d1, _ := c1.Dump()
	d2, _ := c2.Dump()
	if !reflect.DeepEqual(d1, d2) {
		t.Fatalf("replicas disagree:\n%v\n%v", d1, d2)
	}
	var p model.Participant
	c1.get(KindParticipant, "P1", &p)
	if p.Name != "丁" {
		t.Fatalf("last writer should win, got %q", p.Name)
	}
}

func TestMigrationTwoBackfillsDedupIndex(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.fzevent")
	s, err := Open(ctx, path, Options{MigrateTo: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, person("P1", "王五", "13900000000")); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.ParticipantByKey("m|王五|13900000000"); ok {
		t.Fatal("schema 1 has no index, yet a key was found")
	}
	s.Close()
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if id, ok := s.ParticipantByKey("m|王五|13900000000"); !ok || id != "P1" {
		t.Fatalf("migration 2 did not backfill the index: %q %v", id, ok)
	}
	var v int
	s.view(func(tx *bolt.Tx) error { v = readSchemaVersion(tx); return nil })
	if v != SchemaVersion() {
		t.Fatalf("schema version %d, want %d", v, SchemaVersion())
	}
}

func TestMigrationOneCreatesEveryBucket(t *testing.T) {
	// Every bucket of schema 1, and only those: a released migration does
	// not grow when a later version adds a view.
	s := openTemp(t, Options{MigrateTo: 1})
	s.view(func(tx *bolt.Tx) error {
		for _, k := range v1Views {
			if viewBucket(tx, k) == nil {
				t.Errorf("views/%s missing", k)
			}
		}
		for _, k := range append(append(append([]string{}, v3Views...), v4Views...), v5Views...) {
			if viewBucket(tx, k) != nil {
				t.Errorf("views/%s exists at schema 1", k)
			}
		}
		if readSchemaVersion(tx) != 1 {
			t.Errorf("schema version %d", readSchemaVersion(tx))
		}
		return nil
	})
	full := openTemp(t, Options{})
	full.view(func(tx *bolt.Tx) error {
		for _, k := range viewKinds {
			if viewBucket(tx, k) == nil {
				t.Errorf("views/%s missing after every migration", k)
			}
		}
		return nil
	})
}

// A view kind added to the code without a migration that creates its
// bucket would exist in new files only.
func TestEveryViewKindHasAMigration(t *testing.T) {
	frozen := map[string]bool{}
	for _, list := range [][]string{v1Views, v3Views, v4Views, v5Views, v6Views} {
		for _, k := range list {
			frozen[k] = true
		}
	}
	for _, k := range viewKinds {
		if !frozen[k] {
			t.Errorf("view kind %q has no migration", k)
		}
	}
}

// store/doc.go draws the bucket tree for people; it must name the current
// schema version and every bucket a new file has.
func TestDocDrawsTheSchema(t *testing.T) {
	raw, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	if want := fmt.Sprintf("(schema version %d)", SchemaVersion()); !strings.Contains(doc, want) {
		t.Errorf("store/doc.go does not say %q", want)
	}
	s := openTemp(t, Options{})
	s.view(func(tx *bolt.Tx) error {
		var walk func(prefix string, b *bolt.Bucket)
		walk = func(prefix string, b *bolt.Bucket) {
			b.ForEachBucket(func(name []byte) error {
				if !strings.Contains(doc, " "+string(name)+"/") {
					t.Errorf("store/doc.go does not draw bucket %s%s/", prefix, name)
				}
				walk(prefix+string(name)+"/", b.Bucket(name))
				return nil
			})
		}
		tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			if !strings.Contains(doc, "//\t"+string(name)+"/") {
				t.Errorf("store/doc.go does not draw top-level bucket %s/", name)
			}
			walk(string(name)+"/", b)
			return nil
		})
		return nil
	})
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "new.fzevent")
	s, _ := Open(ctx, path, Options{})
	s.update(func(tx *bolt.Tx) error { return writeSchemaVersion(tx, 99) })
	s.Close()
	_, err := Open(ctx, path, Options{})
	if !errors.Is(err, ErrTooNew) || !strings.Contains(err.Error(), "请升级") {
		t.Fatalf("want ErrTooNew with advice, got %v", err)
	}
}

func TestOpenTimesOutWhenAnotherHolderHasTheFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "busy.fzevent")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = Open(ctx, path, Options{Timeout: 200 * time.Millisecond})
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "另一个窗口") {
		t.Fatalf("want ErrLocked, got %v", err)
	}
}

func TestOpenRejectsForeignFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.fzevent")
	os.WriteFile(path, []byte(strings.Repeat("这不是数据库", 2000)), 0o600)
	_, err := Open(context.Background(), path, Options{Timeout: 200 * time.Millisecond})
	if !errors.Is(err, ErrNotEvent) {
		t.Fatalf("want ErrNotEvent, got %v", err)
	}
}

func TestHotBackupOpensWithSameContent(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t, Options{})
	for i := 0; i < 50; i++ {
		s.Apply(ctx, person("P"+string(rune('A'+i%26))+string(rune('0'+i/26)), "参会人", ""))
	}
	dst := filepath.Join(t.TempDir(), "backup.fzevent")
	if _, err := s.BackupFile(dst); err != nil {
		t.Fatal(err)
	}
	s.Apply(ctx, person("PX", "备份之后", "")) // still writable after backup
	b, err := Open(ctx, dst, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	n, _ := b.count(KindParticipant)
	if n != 50 {
		t.Fatalf("backup holds %d participants, want 50", n)
	}
}

func TestMigrationThreeAddsCheckinViews(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v2.fzevent")
	s, err := Open(ctx, path, Options{MigrateTo: 2})
	if err != nil {
		t.Fatal(err)
	}
	s.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketViews).DeleteBucket([]byte(KindScan)) })
	s.Close()
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Apply(ctx, Change{Kind: KindScan, Entity: "P1", Value: map[string]string{"desk": "1"}}); err != nil {
		t.Fatalf("scan after migration 3: %v", err)
	}
}

func TestScansAppendAndReplicateInAnyOrder(t *testing.T) {
	ctx := context.Background()
	desk1, desk2 := openTemp(t, Options{}), openTemp(t, Options{})
	var all []Op
	for i, d := range []*Store{desk1, desk2, desk1} {
		ops, err := d.Apply(ctx, Change{Kind: KindScan, Entity: "P1", Value: map[string]int{"n": i}})
		if err != nil {
			t.Fatal(err)
		}
		if ops[0].Kind != "scan.add" {
			t.Fatalf("kind %s", ops[0].Kind)
		}
		// The desks see each other's ops (as replication makes them), so
		// the scans have a real order in time.
		desk1.Clock().Observe(ops[0].HLC)
		desk2.Clock().Observe(ops[0].HLC)
		all = append(all, ops...)
	}
	hub1, hub2 := openTemp(t, Options{}), openTemp(t, Options{})
	hub1.Ingest(ctx, all)
	hub2.Ingest(ctx, []Op{all[2], all[0], all[1]})
	var ids1, ids2 []string
	hub1.forEachEntry(KindScan, "P1", func(e Entry) error { ids1 = append(ids1, e.OpID); return nil })
	hub2.forEachEntry(KindScan, "P1", func(e Entry) error { ids2 = append(ids2, e.OpID); return nil })
	if len(ids1) != 3 || !reflect.DeepEqual(ids1, ids2) {
		t.Fatalf("scans differ: %v vs %v", ids1, ids2)
	}
	if ids1[0] != all[0].ID() {
		t.Fatalf("entries not in time order: %v", ids1)
	}
	var none int
	hub1.forEachEntry(KindScan, "P2", func(Entry) error { none++; return nil })
	if none != 0 {
		t.Fatal("prefix scan leaked another participant's scans")
	}
}

func TestMigrationFourAddsMatchmakingViews(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v3.fzevent")
	s, err := Open(ctx, path, Options{MigrateTo: 3})
	if err != nil {
		t.Fatal(err)
	}
	s.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketViews).DeleteBucket([]byte(KindMeeting)) })
	s.Close()
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Apply(ctx, Change{Kind: KindMeeting, Entity: "M1", Value: map[string]string{"slot": "S01"}}); err != nil {
		t.Fatalf("meeting after migration 4: %v", err)
	}
}

func TestMigrationFiveKeepsEveryHolderOfADedupKey(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v4.fzevent")
	s, err := Open(ctx, path, Options{MigrateTo: 4})
	if err != nil {
		t.Fatal(err)
	}
	p := map[string]string{"name": "张三", "mobile": "13800000000"}
	if _, err := s.Apply(ctx, Change{Kind: KindParticipant, Entity: "P2", Value: p}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	key := "m|张三|13800000000"
	if id, ok := s.ParticipantByKey(key); !ok || id != "P2" {
		t.Fatalf("after migration 5 the index lost P2: %q", id)
	}
	// A second holder of the key (added at another desk) and a delete of the
	// first: the index follows the view instead of forgetting P1.
	s.Apply(ctx, Change{Kind: KindParticipant, Entity: "P1", Value: p})
	if id, _ := s.ParticipantByKey(key); id != "P1" {
		t.Fatalf("smallest id should answer, got %q", id)
	}
	s.Apply(ctx, Change{Kind: KindParticipant, Entity: "P1", Delete: true})
	if id, _ := s.ParticipantByKey(key); id != "P2" {
		t.Fatalf("after deleting P1 the key should point at P2, got %q", id)
	}
	if _, err := s.Apply(ctx, Change{Kind: KindLead, Entity: "X1|P2", Value: map[string]int{"rating": 5}}); err != nil {
		t.Fatalf("lead view after migration 5: %v", err)
	}
	if err := s.PutLocal("hub/x", 1); err != nil {
		t.Fatal(err)
	}
}

// TestLargeWritesFillTheirPages: an import's log and views are written
// with pages 90 % full, not bbolt's default half, in the log and in the
// nested view buckets alike.
func TestLargeWritesFillTheirPages(t *testing.T) {
	s := openTemp(t, Options{})
	var changes []Change
	for i := range 5000 {
		changes = append(changes, person(fmt.Sprintf("P%05d", i), "参会人", fmt.Sprintf("139%08d", i)))
	}
	if _, err := s.Apply(context.Background(), changes...); err != nil {
		t.Fatal(err)
	}
	err := s.view(func(tx *bolt.Tx) error {
		for name, b := range map[string]*bolt.Bucket{"ops": tx.Bucket(bucketOps), "views/participant": viewBucket(tx, KindParticipant)} {
			st := b.Stats()
			if fill := float64(st.LeafInuse) / float64(st.LeafAlloc); fill < 0.8 {
				t.Errorf("%s: leaf pages %.0f %% full", name, 100*fill)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
