package station

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fuzhi/eventdesk/sync/wire"
)

// hostileHub answers pairing with the given event id and then fails the
// exchange (or serves nothing), as a laptop pretending to be a hub could.
func hostileHub(t *testing.T, event string, exchange http.HandlerFunc) (pairing string) {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/sync/pair", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(wire.PairResponse{Token: event + ".id.secret", Event: event, Name: "x", Replica: "S-test"})
	})
	mux.HandleFunc("/sync/exchange", exchange)
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	fp := wire.Fingerprint(srv.Certificate().Raw)
	return fmt.Sprintf("%s ABCD-EFGH-IJKLM %s", strings.TrimPrefix(srv.URL, "https://"), fp)
}

func entries(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, p)
		}
		return nil
	})
	return names
}

func TestAHubCannotMakeAStationWriteOutsideItsFolder(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "data")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, event := range []string{"../../escaped", "..", "a/b", `a\b`, "", strings.Repeat("E", 65), "E1\x00"} {
		pairing := hostileHub(t, event, func(w http.ResponseWriter, r *http.Request) {
			t.Errorf("event %q: the station went on to the exchange", event)
		})
		_, err := Join(context.Background(), dir, pairing, "desk")
		if err == nil || !strings.Contains(err.Error(), "活动编号不合法") {
			t.Errorf("event id %q: %v, want a refusal", event, err)
		}
	}
	if files := entries(t, root); len(files) != 0 {
		t.Errorf("files written: %v", files)
	}
}

// While the event is being copied (when a kill would cut the join off),
// no file under the data folder looks like an event; a failed copy leaves
// nothing at all.
func TestAJoinCutOffLeavesNoEventFile(t *testing.T) {
	dir := t.TempDir()
	pairing := hostileHub(t, "E1", func(w http.ResponseWriter, r *http.Request) {
		for _, f := range entries(t, dir) {
			if strings.HasSuffix(f, ".fzevent") {
				t.Errorf("during the copy %s already looks like an event", f)
			}
		}
		http.Error(w, `{"error":"gone"}`, http.StatusInternalServerError)
	})
	if _, err := Join(context.Background(), dir, pairing, "desk"); err == nil {
		t.Fatal("a join whose copy failed succeeded")
	}
	if files := entries(t, dir); len(files) != 0 {
		t.Errorf("a failed join left %v", files)
	}
}
