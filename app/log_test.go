package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/fuzhi/eventdesk/sync/station"
)

// lockedBuffer is a log sink goroutines can share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func loggedServices(t *testing.T, sink *lockedBuffer) (*Services, *Workspace) {
	t.Helper()
	a := New(Options{Context: context.Background(), DataDir: t.TempDir(), Logger: slog.New(slog.NewJSONHandler(sink, nil))})
	t.Cleanup(func() { a.Workspace.CloseEvent() })
	return &a.Services, a.Workspace
}

// The log says what the machines did (event opened, hub up and down,
// pairing, a station losing and finding the hub) and holds no name,
// mobile, pairing code, token or key.
func TestLogsSayWhatHappenedWithoutPersonalData(t *testing.T) {
	var hubLog, stationLog lockedBuffer
	hub, hubWS := loggedServices(t, &hubLog)
	if _, err := hub.Event.OpenPractice(); err != nil {
		t.Fatal(err)
	}
	if _, err := hub.Network.StartHub("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	code, err := hub.Network.NewPairingCode("station", "")
	if err != nil {
		t.Fatal(err)
	}
	st, _ := loggedServices(t, &stationLog)
	if _, err := st.Network.Join(code.Link, "签到台2"); err != nil {
		t.Fatal(err)
	}
	people, _ := hub.Roster.List(ParticipantQuery{Limit: 100000})
	badge, _ := hub.Checkin.BadgeCode(people.Items[0].ID)
	if _, err := st.Checkin.Scan(badge, "签到台2"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Network.SyncNow(); err != nil {
		t.Fatal(err)
	}
	if err := hub.Network.StopHub(); err != nil {
		t.Fatal(err)
	}
	st.Network.SyncNow() // the hub is gone: logged once as unreachable

	for _, line := range strings.Split(strings.TrimSpace(hubLog.String()+stationLog.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("not a JSON log line: %q", line)
		}
	}
	for _, want := range []string{`"event opened"`, `"hub started"`, `"pairing code made"`, `"hub stopped"`} {
		if !strings.Contains(hubLog.String(), want) {
			t.Errorf("hub log lacks %s:\n%s", want, hubLog.String())
		}
	}
	for _, want := range []string{`"event opened"`, `"hub reachable"`, `"hub unreachable"`} {
		if !strings.Contains(stationLog.String(), want) {
			t.Errorf("station log lacks %s:\n%s", want, stationLog.String())
		}
	}
	secrets := []string{code.Code, badge, base64.StdEncoding.EncodeToString(hubWS.key)}
	if stw, err := st.Network.ws.Store(); err == nil {
		if cfg, ok := station.ConfigOf(stw); ok {
			secrets = append(secrets, cfg.Token)
		}
	}
	for _, p := range people.Items {
		secrets = append(secrets, p.Name, p.Mobile)
	}
	all := hubLog.String() + stationLog.String()
	for _, s := range secrets {
		if s != "" && strings.Contains(all, s) {
			t.Fatalf("the log holds %q (a name, mobile, code, token or key)", s)
		}
	}
}
