package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestInspectReadsABackupWithoutChangingIt(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t, Options{})
	for _, id := range []string{"P1", "P2", "P3"} {
		if _, err := s.Apply(ctx, person(id, "参会人"+id, "")); err != nil {
			t.Fatal(err)
		}
	}
	s.Apply(ctx, Change{Kind: KindScan, Entity: "P1", Value: map[string]any{"desk": 1}})
	backup := filepath.Join(t.TempDir(), "备份 1.fzevent")
	if _, err := s.BackupFile(backup); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(backup)
	sum, err := Inspect(backup)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Ops != 4 || sum.Counts[KindParticipant] != 3 || sum.Counts[KindScan] != 1 || sum.Station != s.Station() || sum.Schema != SchemaVersion() {
		t.Fatalf("summary %+v", sum)
	}
	last, _ := time.Parse(time.RFC3339, sum.LastChange)
	if since := time.Since(last); since < -time.Second || since > time.Minute {
		t.Fatalf("last change %v is not the last op's time", sum.LastChange)
	}
	after, _ := os.ReadFile(backup)
	if string(before) != string(after) {
		t.Fatal("inspecting a backup changed it")
	}
	ro, err := OpenReadOnly(backup)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if _, err := ro.Apply(ctx, person("P9", "不该写入", "")); err == nil {
		t.Fatal("a read-only store took a write")
	}
}

func TestInspectRefusesWhatIsNotAnEventFile(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "照片.fzevent")
	os.WriteFile(junk, []byte("JFIF not an event"), 0o600)
	if _, err := Inspect(junk); !errors.Is(err, ErrNotEvent) {
		t.Fatalf("a photo named .fzevent: %v", err)
	}
	if _, err := Inspect(filepath.Join(dir, "missing.fzevent")); err == nil {
		t.Fatal("a missing file inspected")
	}
}

// The laptop a backup came from may go on writing under its station id; the
// restored copy must never issue an op id the original may have issued.
func TestRestoredCopyIsANewReplicaAndConverges(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	hub, err := Open(ctx, filepath.Join(dir, "hub.fzevent"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer hub.Close()
	hub.Apply(ctx, person("P1", "张三", ""))
	backup := filepath.Join(dir, "backup.fzevent")
	if _, err := hub.BackupFile(backup); err != nil {
		t.Fatal(err)
	}
	// After the backup the old hub writes once more (a desk received it).
	hub.Apply(ctx, person("P2", "李四", ""))

	restoredPath := filepath.Join(dir, "restored.fzevent")
	sum, err := RestoreCopy(ctx, backup, restoredPath)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Station == hub.Station() || sum.Station == "" || sum.Ops != 1 {
		t.Fatalf("restored copy %+v shares the hub's id %s", sum, hub.Station())
	}
	if _, err := RestoreCopy(ctx, backup, restoredPath); err == nil {
		t.Fatal("a restore overwrote an existing file")
	}
	restored, err := Open(ctx, restoredPath, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	restored.Apply(ctx, person("P3", "王五", ""))
	// Both ways: every op of each reaches the other, none is taken for another.
	for _, pair := range [][2]*Store{{hub, restored}, {restored, hub}} {
		vv, _ := pair[1].VersionVector()
		ops, _, err := pair[0].OpsSince(vv, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pair[1].Ingest(ctx, ops); err != nil {
			t.Fatal(err)
		}
	}
	a, _ := hub.Dump()
	b, _ := restored.Dump()
	if d := diffLines(a, b); d != "" {
		t.Fatalf("hub and restored copy differ:\n%s", d)
	}
	if n, _ := restored.count(KindParticipant); n != 3 {
		t.Fatalf("restored copy holds %d people, want 3", n)
	}
	if raw, _ := os.ReadFile(backup); len(raw) == 0 {
		t.Fatal("the backup was consumed")
	}
}
