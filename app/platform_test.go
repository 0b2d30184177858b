package app

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/platform"
	"github.com/fuzhi/eventdesk/sync/platform/server"
	"github.com/fuzhi/eventdesk/sync/wire"
)

// freshDB makes an empty, migrated database on the test PostgreSQL
// (scripts/pg-test.sh starts one; FUZHI_TEST_PG points at it).
func freshDB(t testing.TB) *pgxpool.Pool {
	t.Helper()
	db, err := server.Open(context.Background(), emptyDB(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}

// emptyDB makes a database of its own for the test and returns its URL.
func emptyDB(t testing.TB) string {
	t.Helper()
	admin := os.Getenv("FUZHI_TEST_PG")
	if admin == "" {
		if os.Getenv("CI_REQUIRE_PG") != "" {
			t.Fatal("FUZHI_TEST_PG is not set: run scripts/pg-test.sh")
		}
		t.Skip("FUZHI_TEST_PG not set (scripts/test.sh sets it)")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("fz_%d", time.Now().UnixNano())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	t.Cleanup(func() {
		if c, err := pgx.Connect(ctx, admin); err == nil {
			c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			c.Close(ctx)
		}
	})
	return strings.Replace(admin, "/fuzhi_test", "/"+name, 1)
}

// A platform that stored events before they were kept per organizer (and
// before packages had keys of their own) keeps every op, checkpoint and
// token through the migration.
func TestPlatformMigrationKeepsEarlierEventsAndTokens(t *testing.T) {
	ctx := context.Background()
	url := emptyDB(t)
	old, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	secret := "OLDSECRETOLDSECRET"
	sum := sha256.Sum256([]byte(secret))
	steps := []string{`CREATE TABLE schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`}
	for _, m := range server.Migrations[:2] {
		steps = append(steps, m.SQL, fmt.Sprintf(`INSERT INTO schema_migrations (version, name) VALUES (%d, '%s')`, m.Version, m.Name))
	}
	steps = append(steps,
		`INSERT INTO organizers (id, name, key_digest) VALUES ('OOLD', '老组织方', '`+hex.EncodeToString(sum[:])+`')`,
		`INSERT INTO events (id, organizer) VALUES ('E1', 'OOLD')`,
		`INSERT INTO ops (event_id, station, seq, hlc, kind, entity, payload) VALUES ('E1','S1',1,1,'meeting.put','M1','{"id":"M1"}'), ('E1','S1',2,2,'meeting.put','M2','{"id":"M2"}')`,
		`INSERT INTO checkpoints (event_id, station, seq) VALUES ('E1','S1',2)`)
	for _, q := range steps {
		if _, err := old.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	old.Close()
	db, err := server.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n := len(storedOps(t, db, "OOLD/E1")); n != 2 {
		t.Errorf("%d ops of the old event after the migration, want 2", n)
	}
	org, err := server.Authenticate(ctx, db, "OOLD."+secret)
	if err != nil {
		t.Fatalf("the old token after the migration: %v", err)
	}
	if cp, err := server.Checkpoint(ctx, db, org, "E1"); err != nil || cp["S1"] != 2 {
		t.Errorf("old checkpoint: %v %v", cp, err)
	}
	again, _ := server.OrganizerByID(ctx, db, "OOLD")
	if !bytes.Equal(again.PackageKey, platform.VerifyingKey(secret)) {
		t.Error("the package key was not derived when the old token was used")
	}
}

// platformServer runs the reference server on addr ("" = a free port).
type platformServer struct {
	srv  *http.Server
	addr string
}

func startPlatform(t testing.TB, db *pgxpool.Pool, addr string) *platformServer {
	t.Helper()
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ { // a just-closed port may linger for a moment
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	p := &platformServer{srv: &http.Server{Handler: (&server.Server{DB: db}).Handler()}, addr: ln.Addr().String()}
	go p.srv.Serve(ln)
	return p
}

func (p *platformServer) kill() { p.srv.Close() }

// storedOps are the platform's rows for an event, as ops.
// platformEvent is the platform's name for svc's event: the organizer of
// its token, then the event id.
func platformEvent(t testing.TB, svc *Services) string {
	t.Helper()
	_, cfg, err := svc.Platform.config()
	if err != nil {
		t.Fatal(err)
	}
	org, _, _ := strings.Cut(cfg.Token, ".")
	return org + "/" + svc.Match.ws.eventID()
}

func storedOps(t testing.TB, db *pgxpool.Pool, event string) map[string]store.Op {
	rows, err := db.Query(context.Background(), `SELECT station, seq, hlc, kind, entity, payload FROM ops WHERE event_id=$1`, event)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]store.Op{}
	for rows.Next() {
		var op store.Op
		var seq, hlc int64
		var payload []byte
		if err := rows.Scan(&op.Station, &seq, &hlc, &op.Kind, &op.Entity, &payload); err != nil {
			t.Fatal(err)
		}
		op.Seq, op.HLC, op.Payload = uint64(seq), uint64(hlc), payload
		if _, dup := out[op.ID()]; dup {
			t.Fatalf("op %s stored twice", op.ID())
		}
		out[op.ID()] = op
	}
	return out
}

// sameAsSent checks the rows are exactly the projected ops of the event.
func sameAsSent(t testing.TB, svc *Services, db *pgxpool.Pool) int {
	t.Helper()
	st, _ := svc.Match.ws.Store()
	all, _, _ := st.OpsSince(nil, 1<<30)
	got := storedOps(t, db, platformEvent(t, svc))
	n := 0
	for _, op := range all {
		p, ok := wire.Project(op)
		if !ok {
			if _, there := got[op.ID()]; there {
				t.Fatalf("%s (%s) should not have left the machine", op.ID(), op.Kind)
			}
			continue
		}
		n++
		row, there := got[op.ID()]
		if !there {
			t.Fatalf("op %s (%s) missing on the platform", op.ID(), op.Kind)
		}
		var a, b any
		json.Unmarshal(p.Payload, &a)
		json.Unmarshal(row.Payload, &b)
		if row.Kind != p.Kind || row.HLC != p.HLC || fmt.Sprint(a) != fmt.Sprint(b) {
			t.Fatalf("op %s differs on the platform", op.ID())
		}
	}
	if len(got) != n {
		t.Fatalf("platform holds %d ops, %d were sent", len(got), n)
	}
	// The ops table has no key to events (migration 4): the ingest must
	// register an event before it writes any op of it.
	var orphans int
	if err := db.QueryRow(context.Background(), `SELECT count(*) FROM ops o WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = o.event_id)`).Scan(&orphans); err != nil || orphans > 0 {
		t.Fatalf("%d ops without their event on the platform (%v)", orphans, err)
	}
	return n
}

// faultyTransport misbehaves on purpose: cuts before sending, loses the
// answer after the platform committed, or sends every request twice.
type faultyTransport struct {
	calls     atomic.Int64
	cutBefore func(n int64) bool
	loseAfter func(n int64) bool
	twice     bool
	onCall    func(n int64)
}

func (f *faultyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	n := f.calls.Add(1)
	if f.onCall != nil {
		f.onCall(n)
	}
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
	}
	send := func() (*http.Response, error) {
		c := r.Clone(r.Context())
		c.Body = io.NopCloser(bytes.NewReader(body))
		return http.DefaultTransport.RoundTrip(c)
	}
	if f.cutBefore != nil && f.cutBefore(n) {
		return nil, errors.New("connection reset by peer (test)")
	}
	if f.twice && r.Method == http.MethodPost {
		if resp, err := send(); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	resp, err := send()
	if err == nil && f.loseAfter != nil && f.loseAfter(n) {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return nil, errors.New("connection dropped while reading the answer (test)")
	}
	return resp, err
}

func uploader(t testing.TB, db *pgxpool.Pool, p *platformServer) *Services {
	t.Helper()
	svc := heldDay(t)
	token, err := server.CreateOrganizer(context.Background(), db, "山东省工业和信息化厅", "山东省")
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Platform.SetConfig(PlatformConfig{URL: "http://" + p.addr, Token: token}); err != nil {
		t.Fatal(err)
	}
	svc.Platform.BatchSize = 300
	return svc
}

// platformAndUploader is a fresh platform database with the reference
// server in front of it (stopped when the test ends), and a held day
// configured to upload there.
func platformAndUploader(t *testing.T) (*pgxpool.Pool, *Services) {
	t.Helper()
	db := freshDB(t)
	p := startPlatform(t, db, "")
	t.Cleanup(p.kill)
	return db, uploader(t, db, p)
}

func TestUploadStoresEveryOpOnceWhateverGoesWrong(t *testing.T) {
	t.Run("plain", func(t *testing.T) {
		db, svc := platformAndUploader(t)
		res, err := svc.Platform.Upload()
		if err != nil || res.Batches < 3 {
			t.Fatalf("%+v %v", res, err)
		}
		n := sameAsSent(t, svc, db)
		// Nothing new to send: a second upload sends nothing.
		again, err := svc.Platform.Upload()
		if err != nil || again.Sent != 0 {
			t.Fatalf("second upload: %+v %v", again, err)
		}
		if res.Accepted != n {
			t.Fatalf("accepted %d of %d", res.Accepted, n)
		}
	})
	t.Run("platform killed mid-upload and restarted", func(t *testing.T) {
		db := freshDB(t)
		p := startPlatform(t, db, "")
		svc := uploader(t, db, p)
		ft := &faultyTransport{}
		ft.onCall = func(n int64) {
			if n == 4 {
				p.kill()
			}
		}
		svc.Platform.Client = &http.Client{Transport: ft}
		if _, err := svc.Platform.Upload(); err == nil {
			t.Fatal("upload to a dead platform reported success")
		}
		partial := len(storedOps(t, db, platformEvent(t, svc)))
		p = startPlatform(t, db, p.addr)
		defer p.kill()
		ft.onCall = nil
		res, err := svc.Platform.Upload()
		if err != nil {
			t.Fatal(err)
		}
		n := sameAsSent(t, svc, db)
		if partial == 0 || partial >= n || res.Sent >= n {
			t.Fatalf("did not resume from the checkpoint: %d stored before, %d sent after, %d in all", partial, res.Sent, n)
		}
	})
	t.Run("connection dropped mid-batch, before and after the commit", func(t *testing.T) {
		db, svc := platformAndUploader(t)
		ft := &faultyTransport{cutBefore: func(n int64) bool { return n%5 == 2 }, loseAfter: func(n int64) bool { return n%5 == 4 }}
		svc.Platform.Client = &http.Client{Transport: ft}
		res, err := svc.Platform.Upload()
		if err != nil {
			t.Fatal(err)
		}
		sameAsSent(t, svc, db)
		if res.Duplicates == 0 {
			t.Fatal("a batch whose answer was lost should have come back as duplicates")
		}
	})
	t.Run("every batch sent twice", func(t *testing.T) {
		db, svc := platformAndUploader(t)
		svc.Platform.Client = &http.Client{Transport: &faultyTransport{twice: true}}
		if _, err := svc.Platform.Upload(); err != nil {
			t.Fatal(err)
		}
		sameAsSent(t, svc, db)
	})
	t.Run("two copies of the event upload at once", func(t *testing.T) {
		// The hub and a laptop holding a backup of its file, both told to
		// upload: the platform takes their batches in turn.
		db, svc := platformAndUploader(t)
		st, _ := svc.Match.ws.Store()
		copyPath := filepath.Join(t.TempDir(), "copy.fzevent")
		if _, err := st.BackupFile(copyPath); err != nil {
			t.Fatal(err)
		}
		other, _, _ := newTestServices(t)
		if _, err := other.Event.Open(copyPath); err != nil {
			t.Fatal(err)
		}
		_, cfg, _ := svc.Platform.config()
		if err := other.Platform.SetConfig(*cfg); err != nil {
			t.Fatal(err)
		}
		other.Platform.BatchSize = 170
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, s := range []*Services{svc, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.Platform.Upload()
			}()
		}
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatalf("uploads: %v / %v", errs[0], errs[1])
		}
		sameAsSent(t, svc, db)
	})
	t.Run("ops stored above the checkpoint by an older server", func(t *testing.T) {
		db, svc := platformAndUploader(t)
		first, err := svc.Platform.Upload()
		if err != nil {
			t.Fatal(err)
		}
		// The older server kept no checkpoint this one can trust.
		if _, err := db.Exec(context.Background(), `DELETE FROM checkpoints WHERE event_id=$1`, platformEvent(t, svc)); err != nil {
			t.Fatal(err)
		}
		again, err := svc.Platform.Upload()
		if err != nil {
			t.Fatal(err)
		}
		if again.Accepted != 0 || again.Duplicates != first.Accepted {
			t.Fatalf("re-sent after the checkpoint was lost: %+v (first %+v)", again, first)
		}
		sameAsSent(t, svc, db)
	})
	t.Run("client clock skewed by hours", func(t *testing.T) {
		db, svc := platformAndUploader(t)
		// A station whose clock ran five hours ahead synced its outcome edits in.
		st, _ := svc.Match.ws.Store()
		ms, _ := svc.Match.Meetings()
		future := uint64(time.Now().Add(5*time.Hour).UnixMilli()) << 16
		var skewed []store.Op
		for i, m := range ms[:3] {
			payload, _ := json.Marshal(map[string]any{"meeting": m.ID, "result": "agreement", "signed": true, "amount": 100, "mode": "license"})
			skewed = append(skewed, store.Op{Station: "SFUTURE", Seq: uint64(i + 1), HLC: future + uint64(i), Kind: "outcome.put", Entity: m.ID, Payload: payload})
		}
		if _, err := st.Ingest(context.Background(), skewed); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Platform.Upload(); err != nil {
			t.Fatal(err)
		}
		sameAsSent(t, svc, db)
		// The platform's figures follow the same last-writer rule as the hub.
		sum, _ := svc.Summary.Summary()
		stats, err := server.NationalStats(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		if stats.Totals.Signed != sum.Signed || stats.Totals.Amount != sum.Amount || stats.Totals.Held != sum.Held {
			t.Fatalf("platform %+v vs hub signed %d amount %v held %d", stats.Totals, sum.Signed, sum.Amount, sum.Held)
		}
	})
}

func post(t testing.TB, url, token, schema string, body []byte) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("X-Fuzhi-Schema", schema)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

func TestPlatformRefusesBadRequestsAndStoresNothing(t *testing.T) {
	db := freshDB(t)
	p := startPlatform(t, db, "")
	defer p.kill()
	token, _ := server.CreateOrganizer(context.Background(), db, "测试", "山东省")
	url := "http://" + p.addr + "/v1/ingest"
	good := `{"event":"E1","ops":[{"station":"S1","seq":1,"hlc":1,"kind":"meeting.put","entity":"M1","payload":{"id":"M1"}}],"upto":{"S1":1}}`
	cases := []struct {
		name, token, schema, body string
		status                    int
		says                      string
	}{
		{"no token", "", "1", good, 401, "令牌无效"},
		{"made-up token", "OXXXX.secret", "1", good, 401, "令牌无效"},
		{"schema the platform does not accept", token, "99", good, 412, "协议版本"},
		{"not JSON", token, "1", `{"event":`, 400, "未保存任何数据"},
		{"badge key in the batch", token, "1", strings.Replace(good, "meeting.put", "secret.put", 1), 400, "不接收此类数据"},
		{"every bad op named", token, "1", `{"event":"E1","ops":[{"station":"S1","seq":1,"hlc":1,"kind":"meeting.put","entity":"M1","payload":{}},{"station":"S1","seq":2,"hlc":1,"kind":"secret.put","entity":"k","payload":{}},{"station":"S1","seq":3,"hlc":1,"kind":"outcome.put","entity":"","payload":{}}],"upto":{"S1":3}}`, 400, `"第 3 条 S1-3","reason":"缺少对象编号"`},
		{"op beyond the declared checkpoint", token, "1", strings.Replace(good, `"upto":{"S1":1}`, `"upto":{}`, 1), 400, "检查点"},
	}
	var big bytes.Buffer
	big.WriteString(`{"event":"E1","upto":{"S1":20000},"ops":[`)
	for i := 1; i <= wire.MaxBatchOps+1; i++ {
		if i > 1 {
			big.WriteByte(',')
		}
		fmt.Fprintf(&big, `{"station":"S1","seq":%d,"hlc":1,"kind":"meeting.put","entity":"M","payload":{}}`, i)
	}
	big.WriteString(`]}`)
	cases = append(cases, struct {
		name, token, schema, body string
		status                    int
		says                      string
	}{"too many ops", token, "1", big.String(), 413, "过大"})
	huge := `{"event":"E1","ops":[],"upto":{},"pad":"` + strings.Repeat("x", wire.MaxBatchBytes) + `"}`
	cases = append(cases, struct {
		name, token, schema, body string
		status                    int
		says                      string
	}{"oversized body", token, "1", huge, 413, ""})
	for _, c := range cases {
		status, body := post(t, url, c.token, c.schema, []byte(c.body))
		if status != c.status || !strings.Contains(body, c.says) {
			t.Errorf("%s: %d %s", c.name, status, clipText(body))
		}
	}
	var n int
	db.QueryRow(context.Background(), `SELECT count(*) FROM ops`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d ops stored from refused requests", n)
	}
	if status, _ := post(t, url, token, "1", []byte(good)); status != 200 {
		t.Fatalf("the good batch was refused: %d", status)
	}
}

// Event ids are printed in every badge, so anyone can send them: another
// organizer sending A's id (first, or after A) writes to an event of its
// own and neither blocks, reads nor changes A's.
func TestNoOrganizerCanBlockReadOrPolluteAnothersEvent(t *testing.T) {
	db := freshDB(t)
	p := startPlatform(t, db, "")
	defer p.kill()
	ctx := context.Background()
	a := uploader(t, db, p)
	squatter, _ := server.CreateOrganizer(ctx, db, "冒用者", "江苏省")
	event := a.Match.ws.eventID()
	forged := fmt.Sprintf(`{"event":%q,"ops":[{"station":"S1","seq":1,"hlc":1,"kind":"outcome.put","entity":"M-forged","payload":{"meeting":"M-forged","result":"signed","amount":99999}}],"upto":{"S1":1}}`, event)
	// The squatter sends first, as soon as it read the id off a badge.
	if status, body := post(t, "http://"+p.addr+"/v1/ingest", squatter, "1", []byte(forged)); status != 200 {
		t.Fatalf("the squatter's batch: %d %s", status, body)
	}
	res, err := a.Platform.Upload()
	if err != nil {
		t.Fatalf("the owner was locked out of its own event: %v", err)
	}
	n := sameAsSent(t, a, db)
	if res.Accepted != n {
		t.Errorf("owner's upload accepted %d of %d", res.Accepted, n)
	}
	if _, forgedThere := storedOps(t, db, platformEvent(t, a))["S1-1"]; forgedThere {
		t.Error("the squatter's op is in the owner's event")
	}
	// The squatter cannot read the owner's progress.
	req, _ := http.NewRequest(http.MethodGet, "http://"+p.addr+"/v1/events/"+event+"/checkpoint", nil)
	req.Header.Set("Authorization", "Bearer "+squatter)
	req.Header.Set("X-Fuzhi-Schema", "1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(bytes.TrimSpace(body)) != `{"checkpoint":{"S1":1}}` {
		t.Errorf("the squatter's checkpoint for the id: %d %s, want only its own", resp.StatusCode, body)
	}
	// Sent after the owner, the squatter still changes nothing of A's.
	before := len(storedOps(t, db, platformEvent(t, a)))
	if status, _ := post(t, "http://"+p.addr+"/v1/ingest", squatter, "1", []byte(strings.NewReplacer(`"seq":1`, `"seq":2`, `"S1":1`, `"S1":2`).Replace(forged))); status != 200 {
		t.Fatal("second squat refused")
	}
	if after := len(storedOps(t, db, platformEvent(t, a))); after != before {
		t.Errorf("the owner's event went from %d to %d ops", before, after)
	}
}

func clipText(s string) string {
	if len(s) > 200 {
		return s[:200]
	}
	return s
}

func TestDataPackageImportsOnceAndRefusesTampering(t *testing.T) {
	db := freshDB(t)
	p := startPlatform(t, db, "")
	defer p.kill()
	svc := uploader(t, db, p)
	zip, err := svc.Platform.ExportPackage()
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + p.addr + "/v1/packages"
	bad := append([]byte(nil), zip...)
	bad[len(bad)/2] ^= 1
	if status, body := post(t, url, "", "1", bad); status != 400 || !strings.Contains(body, "校验失败") {
		t.Fatalf("tampered package: %d %s", status, clipText(body))
	}
	if n := len(storedOps(t, db, platformEvent(t, svc))); n != 0 {
		t.Fatalf("a tampered package stored %d ops", n)
	}
	for i := 0; i < 2; i++ {
		if status, body := post(t, url, "", "1", zip); status != 200 {
			t.Fatalf("import %d: %d %s", i+1, status, clipText(body))
		}
	}
	n := sameAsSent(t, svc, db)
	// An upload after the package finds everything there already.
	res, err := svc.Platform.Upload()
	if err != nil || res.Accepted != 0 {
		t.Fatalf("upload after the package: %+v %v (of %d)", res, err, n)
	}
}

func TestNextEventPullsTheRegionsCatalogsFromThePlatform(t *testing.T) {
	db := freshDB(t)
	p := startPlatform(t, db, "")
	defer p.kill()
	first := uploader(t, db, p)
	if _, err := first.Platform.Upload(); err != nil {
		t.Fatal(err)
	}
	next, _, _ := newTestServices(t)
	if _, err := next.Event.Create(EventInput{Name: "深度行·烟台站", StartDate: "2026-09-01", Province: "山东省", City: "烟台市", Chains: []string{"新材料"}}); err != nil {
		t.Fatal(err)
	}
	token, _ := server.CreateOrganizer(context.Background(), db, "烟台市工信局", "山东省")
	next.Platform.SetConfig(PlatformConfig{URL: "http://" + p.addr, Token: token})
	got, err := next.Platform.PullCatalog()
	if err != nil {
		t.Fatal(err)
	}
	as, _ := next.Catalog.Achievements()
	ds, _ := next.Catalog.Demands()
	if got["achievements"] == 0 || len(as) != got["achievements"] || len(ds) != got["demands"] {
		t.Fatalf("pulled %v, stored %d achievements and %d demands", got, len(as), len(ds))
	}
	for _, a := range as {
		if a.Chain != "新材料" || a.OwnerID != "" {
			t.Fatalf("pulled an achievement outside the event's chains or with another event's presenter: %+v", a)
		}
	}
	// Pulling again updates instead of duplicating.
	next.Platform.PullCatalog()
	if again, _ := next.Catalog.Achievements(); len(again) != len(as) {
		t.Fatalf("second pull: %d achievements, first %d", len(again), len(as))
	}
}

// Consent is what the person says at the time of the upload: someone who
// withdrew it has no contacts on the platform, neither from the op that
// withdrew it nor from earlier ops, whether uploaded before or not, and
// not in a data package either.
func TestWithdrawnConsentTakesContactsOffThePlatform(t *testing.T) {
	db, svc := platformAndUploader(t)
	people, _ := svc.Roster.List(ParticipantQuery{Role: "sme", Limit: 2})
	early, late := people.Items[0], people.Items[1]
	for _, who := range []*model.Participant{&early, &late} {
		who.Consent, who.Mobile, who.Email = true, "1390000"+who.ID[len(who.ID)-4:], strings.ToLower(who.ID)+"@example.cn"
		if _, err := svc.Roster.Save(*who); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.Platform.Upload(); err != nil {
		t.Fatal(err)
	}
	contacts := func(id string) (n int) {
		t.Helper()
		for _, op := range storedOps(t, db, platformEvent(t, svc)) {
			if op.Entity == id && (bytes.Contains(op.Payload, []byte(`"mobile"`)) || bytes.Contains(op.Payload, []byte(`"email"`))) {
				n++
			}
		}
		return n
	}
	if contacts(early.ID) == 0 {
		t.Fatal("a consenting participant's contacts did not reach the platform (the test would prove nothing)")
	}
	// early withdraws after the first upload; late withdraws before its
	// consenting op was ever uploaded... by a new organizer's package.
	for _, who := range []model.Participant{early, late} {
		who.Consent = false
		if _, err := svc.Roster.Save(who); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.Platform.Upload(); err != nil {
		t.Fatal(err)
	}
	if n := contacts(early.ID); n != 0 {
		t.Errorf("%d ops on the platform still carry the contacts of someone who withdrew consent", n)
	}
	pkg, err := svc.Platform.ExportPackage()
	if err != nil {
		t.Fatal(err)
	}
	zr, _ := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	for _, f := range zr.File {
		rc, _ := f.Open()
		raw, _ := io.ReadAll(rc)
		rc.Close()
		for _, who := range []model.Participant{early, late} {
			if bytes.Contains(raw, []byte(who.Mobile)) || bytes.Contains(raw, []byte(who.Email)) {
				t.Errorf("the data package's %s carries the contacts of %s, who withdrew consent", f.Name, who.ID)
			}
		}
	}
}
