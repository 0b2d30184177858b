package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/fuzhi/eventdesk/app"
)

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	broker := NewBroker()
	wsApp := app.New(app.Options{Context: context.Background(), DataDir: t.TempDir(), Emitter: broker})
	ws := wsApp.Workspace
	t.Cleanup(func() { ws.CloseEvent() })
	ui := fstest.MapFS{"index.html": {Data: []byte("<title>赋智会务台</title>")}}
	srv := httptest.NewServer(Handler(ui, broker, wsApp.All()...))
	t.Cleanup(srv.Close)
	return srv
}

func call(t *testing.T, srv *httptest.Server, path string, args ...any) (int, map[string]any) {
	t.Helper()
	body, _ := json.Marshal(args)
	resp, err := http.Post(srv.URL+"/api/"+path, "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestImportOverHTTPLikeTheWindow(t *testing.T) {
	srv := newServer(t)
	code, out := call(t, srv, "RosterService/List", map[string]any{})
	if code != http.StatusUnprocessableEntity || !strings.Contains(out["error"].(string), "尚未打开活动") {
		t.Fatalf("list without event: %d %v", code, out)
	}
	code, out = call(t, srv, "EventService/Create", map[string]any{"name": "深度行·济南站", "startDate": "2026-05-20"})
	if code != 200 || out["event"].(map[string]any)["name"] != "深度行·济南站" {
		t.Fatalf("create: %d %v", code, out)
	}
	raw, err := os.ReadFile(filepath.Join("..", "importer", "testdata", "participants-gbk.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// []byte travels as base64, as Wails sends it.
	code, out = call(t, srv, "RosterService/Import", map[string]any{"fileName": "gbk.csv", "data": base64.StdEncoding.EncodeToString(raw)})
	if code != 200 || out["imported"].(float64) != 188 || len(out["rejected"].([]any)) != 8 {
		t.Fatalf("import: %d %v", code, out)
	}
	code, out = call(t, srv, "RosterService/List", map[string]any{"text": "", "limit": 5})
	if code != 200 || out["total"].(float64) != 188 || len(out["items"].([]any)) != 5 {
		t.Fatalf("list: %d total %v", code, out["total"])
	}
}

func TestBadCallsGetClearRefusals(t *testing.T) {
	srv := newServer(t)
	for _, tc := range []struct {
		path, body string
		status     int
	}{
		{"Nope/Nothing", "[]", 404},
		{"RosterService/Get", "[1,2]", 400},
		{"RosterService/Get", "{not json", 400},
		{"RosterService/Get", "[42]", 400},
	} {
		resp, err := http.Post(srv.URL+"/api/"+tc.path, "application/json", strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		var out errorBody
		json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if resp.StatusCode != tc.status || out.Error == "" {
			t.Errorf("%s %s: %d %q", tc.path, tc.body, resp.StatusCode, out.Error)
		}
	}
	resp, _ := http.Get(srv.URL + "/api/EventService/Current")
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET on API: %d", resp.StatusCode)
	}
}

func TestServesUIAndHealth(t *testing.T) {
	srv := newServer(t)
	for path, want := range map[string]string{"/": "赋智会务台", "/healthz": "ok"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 200)
		n, _ := resp.Body.Read(buf)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(buf[:n]), want) {
			t.Errorf("%s: %d %q", path, resp.StatusCode, buf[:n])
		}
	}
}
