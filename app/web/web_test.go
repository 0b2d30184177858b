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

type testServer struct {
	*httptest.Server
	guard *Guard
}

func newServer(t *testing.T) *testServer {
	t.Helper()
	broker := NewBroker()
	wsApp := app.New(app.Options{Context: context.Background(), DataDir: t.TempDir(), Emitter: broker})
	ws := wsApp.Workspace
	t.Cleanup(func() { ws.CloseEvent() })
	ui := fstest.MapFS{"index.html": {Data: []byte("<title>赋智会务台</title>")}}
	guard := NewGuard("test", false, "")
	srv := httptest.NewServer(Handler(ui, broker, guard, wsApp.All()...))
	t.Cleanup(srv.Close)
	return &testServer{srv, guard}
}

// call is the app's own page calling: the launch key's cookie, JSON.
func call(t *testing.T, srv *testServer, path string, args ...any) (int, map[string]any) {
	t.Helper()
	body, _ := json.Marshal(args)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/"+path, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(&http.Cookie{Name: "fuzhi_test", Value: srv.guard.Key()})
	resp, err := http.DefaultClient.Do(req)
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
		resp := send(t, srv, http.MethodPost, "/api/"+tc.path, tc.body, "application/json", ownPage)
		var out errorBody
		json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if resp.StatusCode != tc.status || out.Error == "" {
			t.Errorf("%s %s: %d %q", tc.path, tc.body, resp.StatusCode, out.Error)
		}
	}
	resp := send(t, srv, http.MethodGet, "/api/EventService/Current", "", "", ownPage)
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

// ownPage is what the app's own page sends: the launch key's cookie.
func ownPage(r *http.Request, g *Guard) {
	r.AddCookie(&http.Cookie{Name: "fuzhi_test", Value: g.Key()})
}

func send(t *testing.T, srv *testServer, method, path, body, contentType string, with ...func(*http.Request, *Guard)) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for _, f := range with {
		f(req, srv.guard)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// Every way another page or program could reach the API without being the
// app's own page is refused, and none of them changes the event.
func TestOnlyTheAppsOwnPageCanCallTheAPI(t *testing.T) {
	srv := newServer(t)
	if code, _ := call(t, srv, "EventService/OpenDemo"); code != 200 {
		t.Fatal("demo")
	}
	_, before := call(t, srv, "EventService/Current")
	save := `[{"name":"入侵者","org":"某网页"}]`
	header := func(k, v string) func(*http.Request, *Guard) {
		return func(r *http.Request, _ *Guard) { r.Header.Set(k, v) }
	}
	host := func(h string) func(*http.Request, *Guard) { return func(r *http.Request, _ *Guard) { r.Host = h } }
	for _, tc := range []struct {
		name        string
		path        string
		contentType string
		with        []func(*http.Request, *Guard)
		status      int
	}{
		{"no key", "/api/RosterService/Save", "application/json", nil, 401},
		{"a wrong key", "/api/RosterService/Save", "application/json", []func(*http.Request, *Guard){func(r *http.Request, _ *Guard) { r.AddCookie(&http.Cookie{Name: "fuzhi_test", Value: "guess"}) }}, 401},
		{"another site's page", "/api/RosterService/Save", "application/json", []func(*http.Request, *Guard){ownPage, header("Origin", "http://evil.example")}, 403},
		{"another port on this machine", "/api/RosterService/Save", "application/json", []func(*http.Request, *Guard){ownPage, header("Origin", "http://127.0.0.1:9")}, 403},
		{"a file:// page", "/api/RosterService/Save", "application/json", []func(*http.Request, *Guard){ownPage, header("Origin", "null")}, 403},
		{"a cross-site fetch", "/api/RosterService/Save", "application/json", []func(*http.Request, *Guard){ownPage, header("Sec-Fetch-Site", "cross-site")}, 403},
		{"a simple form post (no preflight)", "/api/RosterService/Save", "text/plain", []func(*http.Request, *Guard){ownPage}, 415},
		{"a form encoding", "/api/RosterService/Save", "application/x-www-form-urlencoded", []func(*http.Request, *Guard){ownPage}, 415},
		{"a rebinding DNS name", "/api/RosterService/Save", "application/json", []func(*http.Request, *Guard){ownPage, host("evil.example:8787")}, 421},
		{"the event stream without the key", "/api/events", "", nil, 401},
		{"compaction without the key", "/api/EventService/Compact", "application/json", nil, 401},
		{"compaction from another site's page", "/api/EventService/Compact", "application/json", []func(*http.Request, *Guard){ownPage, header("Origin", "http://evil.example")}, 403},
		// A page that could point the automatic backup at a folder it reads
		// would walk away with the whole event every five minutes.
		{"backups pointed elsewhere without the key", "/api/BackupService/Configure", "application/json", nil, 401},
		{"backups pointed elsewhere from another site's page", "/api/BackupService/Configure", "application/json", []func(*http.Request, *Guard){ownPage, header("Origin", "http://evil.example")}, 403},
		{"a restore without the key", "/api/BackupService/Restore", "application/json", nil, 401},
		{"the UI under a rebinding name", "/", "", []func(*http.Request, *Guard){host("evil.example")}, 421},
	} {
		method := http.MethodPost
		if tc.path == "/api/events" || tc.path == "/" {
			method = http.MethodGet
		}
		resp := send(t, srv, method, tc.path, save, tc.contentType, tc.with...)
		var out errorBody
		json.NewDecoder(resp.Body).Decode(&out)
		if resp.StatusCode != tc.status || out.Error == "" {
			t.Errorf("%s: %d %q, want %d with a message", tc.name, resp.StatusCode, out.Error, tc.status)
		}
	}
	_, after := call(t, srv, "EventService/Current")
	if before["participants"] != after["participants"] {
		t.Fatalf("a refused call changed the roster: %v → %v", before["participants"], after["participants"])
	}
	if _, settings := call(t, srv, "BackupService/Settings"); settings["folder"] != "" {
		t.Fatalf("a refused call set the backup folder: %v", settings)
	}
	// The app's own page, same origin, works.
	if resp := send(t, srv, http.MethodPost, "/api/RosterService/Save", save, "application/json; charset=utf-8", ownPage, header("Origin", srv.URL), header("Sec-Fetch-Site", "same-origin")); resp.StatusCode != 200 {
		t.Fatalf("own page: %d", resp.StatusCode)
	}
}

func TestTheLaunchLinkHandsOverTheKeyOnce(t *testing.T) {
	srv := newServer(t)
	if resp := send(t, srv, http.MethodGet, "/?k=wrong", "", ""); len(resp.Cookies()) != 0 {
		t.Fatal("a wrong key got a cookie")
	}
	resp := send(t, srv, http.MethodGet, "/?k="+srv.guard.Key(), "", "")
	cs := resp.Cookies()
	if len(cs) != 1 || cs[0].Value != srv.guard.Key() || !cs[0].HttpOnly || cs[0].SameSite != http.SameSiteStrictMode {
		t.Fatalf("cookie: %+v", cs)
	}
	if resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatal("the launch link could leak through a Referer")
	}
	if other := NewGuard("test", false, ""); other.Key() == srv.guard.Key() {
		t.Fatal("two launches share a key")
	}
}

func TestPublicModeAsksForThePassword(t *testing.T) {
	broker := NewBroker()
	a := app.New(app.Options{Context: context.Background(), DataDir: t.TempDir(), Emitter: broker})
	t.Cleanup(func() { a.Workspace.CloseEvent() })
	guard := NewGuard("test", true, "correct horse")
	hs := httptest.NewServer(Handler(fstest.MapFS{"index.html": {Data: []byte("x")}}, broker, guard, a.All()...))
	t.Cleanup(hs.Close)
	srv := &testServer{hs, guard}
	basic := func(pw string) func(*http.Request, *Guard) {
		return func(r *http.Request, _ *Guard) { r.SetBasicAuth("", pw) }
	}
	for pw, want := range map[string]int{"": 401, "wrong": 401, "correct horse": 200} {
		with := []func(*http.Request, *Guard){ownPage}
		if pw != "" {
			with = append(with, basic(pw))
		}
		resp := send(t, srv, http.MethodPost, "/api/EventService/Current", "[]", "application/json", append(with, func(r *http.Request, _ *Guard) { r.Host = "192.168.1.20:8787" })...)
		if resp.StatusCode != want {
			t.Errorf("password %q: %d, want %d", pw, resp.StatusCode, want)
		}
	}
	if !IsLoopback("127.0.0.1:8787") || !IsLoopback("localhost:1") || !IsLoopback("[::1]:8") || IsLoopback(":8787") || IsLoopback("0.0.0.0:1") || IsLoopback("192.168.1.2:1") {
		t.Fatal("IsLoopback")
	}
}

// A refusal travels with its code and parameters, so a page in English can
// say it in English; the Chinese sentence stays in "error".
func TestARefusalCarriesItsCodeAndParameters(t *testing.T) {
	srv := newServer(t)
	status, out := call(t, srv, "EventService/Create", map[string]any{"name": "测试", "startDate": "2026-13-40"})
	if status != http.StatusUnprocessableEntity || out["code"] != "event.startInvalid" {
		t.Fatalf("%d %v", status, out)
	}
	if params, _ := out["params"].(map[string]any); params["value"] != "2026-13-40" || !strings.Contains(out["error"].(string), "2026-13-40") {
		t.Fatalf("parameters or sentence lost: %v", out)
	}
	status, out = call(t, srv, "Nope/Nothing")
	if status != http.StatusNotFound || out["code"] != nil || out["error"] == "" {
		t.Fatalf("a sentence without a code goes as its text alone: %d %v", status, out)
	}
}
