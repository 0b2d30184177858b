package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/fuzhi/eventdesk/model"
)

// A file cut short (a copy interrupted, a full disk) is refused with a
// message instead of killing the process with SIGBUS when bbolt maps it;
// an empty file is refused instead of being made into a new event.
func TestOpenRefusesTruncatedAndEmptyFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "event.fzevent")
	st, err := Open(context.Background(), path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	var puts []Change
	for i := range 3000 {
		id := fmt.Sprintf("P%05d", i)
		puts = append(puts, Participants.Put(id, model.Participant{ID: id, Name: "参会者" + id, Org: "某单位某研究所"}))
	}
	if _, err := st.Apply(context.Background(), puts...); err != nil {
		t.Fatal(err)
	}
	st.Close()
	whole, _ := os.ReadFile(path)
	// bbolt grows the file ahead of use; these cuts all fall inside the
	// pages in use (the 3,000 people take about 3 MB).
	for _, keep := range []int{len(whole) / 10, len(whole) / 100, 4096 * 3, 100} {
		cut := filepath.Join(dir, fmt.Sprintf("cut-%d.fzevent", keep))
		os.WriteFile(cut, whole[:keep], 0o600)
		_, err := Open(context.Background(), cut, Options{Timeout: 200 * time.Millisecond})
		if !errors.Is(err, ErrIncomplete) {
			t.Errorf("file cut to %d of %d bytes: %v, want ErrIncomplete", keep, len(whole), err)
		}
	}
	for _, keep := range []int{0, 50} {
		cut := filepath.Join(dir, fmt.Sprintf("tiny-%d.fzevent", keep))
		os.WriteFile(cut, whole[:keep], 0o600)
		if _, err := Open(context.Background(), cut, Options{Timeout: 200 * time.Millisecond}); !errors.Is(err, ErrNotEvent) {
			t.Errorf("file of %d bytes: %v, want ErrNotEvent", keep, err)
		}
		if info, _ := os.Stat(cut); info.Size() != int64(keep) {
			t.Errorf("the %d-byte file was rewritten to %d bytes", keep, info.Size())
		}
	}
	// The whole file still opens.
	st, err = Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := Participants.Count(st); n != 3000 {
		t.Errorf("%d participants after reopening", n)
	}
	st.Close()
}
