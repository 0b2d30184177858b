package store

import (
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/fuzhi/eventdesk/model"
)

// everything lists every bucket, nested bucket, sequence, key and value of
// a closed bbolt file, in order.
func everything(t *testing.T, path string) []string {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out []string
	var walk func(prefix string, b *bolt.Bucket)
	walk = func(prefix string, b *bolt.Bucket) {
		out = append(out, fmt.Sprintf("%s seq=%d", prefix, b.Sequence()))
		_ = b.ForEach(func(k, v []byte) error {
			if v == nil {
				walk(prefix+"/"+string(k), b.Bucket(k))
				return nil
			}
			out = append(out, fmt.Sprintf("%s/%x=%x", prefix, k, v))
			return nil
		})
	}
	err = db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			walk(string(name), b)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// usedBytes is how far a closed file's pages reach.
func usedBytes(t *testing.T, path string) int64 {
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int64
	_ = db.View(func(tx *bolt.Tx) error { n = tx.Size(); return nil })
	return n
}

func sameLines(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestCompactionKeepsEveryByteAndShrinksTheFile: an event with 6,000
// people written in many small transactions, half of them then deleted
// and the rest edited, is copied while in use. The copy holds exactly
// what the file holds (every bucket, nested bucket, sequence, key and
// value), opens as an event, and is at least a third smaller (6.7 MB of
// pages became 3.8 MB when this was written).
func TestCompactionKeepsEveryByteAndShrinksTheFile(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t, Options{NoSync: true})
	path, dir := st.Path(), filepath.Dir(st.Path())
	// Ids in random order, as newID makes them: pages split and stay
	// half full.
	order := rand.New(rand.NewSource(1)).Perm(6000)
	for i := 0; i < 6000; i += 50 {
		var batch []Change
		for _, j := range order[i : i+50] {
			id := fmt.Sprintf("P%05d", j)
			batch = append(batch, Participants.Put(id, model.Participant{ID: id, Name: fmt.Sprintf("参会人%d", j), Org: "济南精工科技有限公司", Mobile: fmt.Sprintf("139%08d", j)}))
		}
		if _, err := st.Apply(ctx, batch...); err != nil {
			t.Fatal(err)
		}
	}
	for j := 0; j < 6000; j += 2 {
		id := fmt.Sprintf("P%05d", j)
		if _, err := st.Apply(ctx, Participants.Delete(id), Participants.Put(fmt.Sprintf("P%05d", j+1), model.Participant{ID: fmt.Sprintf("P%05d", j+1), Name: "改名", Org: "青岛"})); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.PutLocal("config", map[string]string{"k": "v"}); err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(dir, "copy.fzevent")
	mark, size, err := st.CompactTo(ctx, copyPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if now, err := MarkOf(path); err != nil || now != mark {
		t.Fatalf("nothing was written after the copy, yet the mark moved: %d → %d (%v)", mark, now, err)
	}
	if want, got := everything(t, path), everything(t, copyPath); !sameLines(want, got) {
		t.Fatalf("the copy differs: %d lines in the file, %d in the copy", len(want), len(got))
	}
	// Small files are as large as bbolt's map (a power of two); what the
	// pages reach is the measure.
	if used, usedCopy := usedBytes(t, path), usedBytes(t, copyPath); usedCopy*3 > used*2 {
		t.Fatalf("the copy uses %d bytes, the file %d: not reclaimed", usedCopy, used)
	} else {
		t.Logf("pages in use: file %d KB, copy %d KB; copy file %d KB", used>>10, usedCopy>>10, size>>10)
	}

	again, err := Open(ctx, copyPath, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if n, _ := Participants.Count(again); n != 3000 {
		t.Fatalf("the copy opens with %d people, want 3000", n)
	}
	if _, err := again.Apply(ctx, Participants.Put("P99999", model.Participant{ID: "P99999", Name: "新"})); err != nil {
		t.Fatalf("the copy does not take a write: %v", err)
	}
}

// TestAWriteAfterTheCopyMovesTheMark: a caller compacting while the event
// is in use can tell that a write came after its copy.
func TestAWriteAfterTheCopyMovesTheMark(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t, Options{NoSync: true})
	path, dir := st.Path(), filepath.Dir(st.Path())
	if _, err := st.Apply(ctx, Participants.Put("P1", model.Participant{ID: "P1", Name: "甲"})); err != nil {
		t.Fatal(err)
	}
	mark, _, err := st.CompactTo(ctx, filepath.Join(dir, "copy.fzevent"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Apply(ctx, Participants.Put("P2", model.Participant{ID: "P2", Name: "乙"})); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if now, _ := MarkOf(path); now == mark {
		t.Fatal("a write after the copy left the mark where it was")
	}
	// A file compacted closed is the same file.
	mark2, _, err := CompactFile(ctx, path, filepath.Join(dir, "closed.fzevent"))
	if err != nil {
		t.Fatal(err)
	}
	if now, _ := MarkOf(path); now != mark2 {
		t.Fatalf("mark of the closed copy %d, of the file %d", mark2, now)
	}
	if !sameLines(everything(t, path), everything(t, filepath.Join(dir, "closed.fzevent"))) {
		t.Fatal("the closed file's copy differs")
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".compact-*"))
	if len(leftovers) != 0 {
		t.Fatalf("temporary files left: %v", leftovers)
	}
}
