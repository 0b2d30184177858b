// Package soak runs a morning at the doors with real processes: a hub and
// three stations, each its own `fuzhi serve`, the stations connected to
// the hub through TCP relays this test can cut, two dashboards refreshing
// on the hub, and badges scanned at a steady rate spread over the stations.
// One station is cut off from the hub for a while and comes back. At the
// end every scan a desk was told succeeded must be on every machine, and
// the desks' answers must have stayed fast throughout.
//
// It needs the built binary (FUZHI_BIN); sizes come from the environment,
// defaulting to the small run CI makes (p99 under 150 ms there). The
// issue's full soak:
//
//	FUZHI_BIN=$PWD/bin/fuzhi FUZHI_SOAK_PEOPLE=200000 FUZHI_SOAK_SCANS=20000 \
//	FUZHI_SOAK_RATE=20 FUZHI_SOAK_CUT=2m FUZHI_SOAK_P99_MS=10 \
//	go test ./internal/soak -run Soak -v -timeout 90m
package soak

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// machine is one running `fuzhi serve`.
type machine struct {
	name string
	url  string
	key  string
	port int
	cmd  *exec.Cmd
	http *http.Client
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// serve starts `fuzhi serve` and waits for its launch key.
func serve(t *testing.T, bin, name, data string, args ...string) *machine {
	t.Helper()
	port := freePort(t)
	cmd := exec.Command(bin, append([]string{"serve", "--addr", fmt.Sprintf("127.0.0.1:%d", port), "--data", data}, args...)...)
	var log syncBuffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	m := &machine{name: name, url: fmt.Sprintf("http://127.0.0.1:%d", port), port: port, cmd: cmd,
		http: &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}}
	keyRe := regexp.MustCompile(`\?k=([0-9a-f]+)`)
	deadline := time.Now().Add(3 * time.Minute) // opening 200,000 people takes a while
	for time.Now().Before(deadline) {
		if k := keyRe.FindStringSubmatch(log.String()); k != nil {
			if resp, err := http.Get(m.url + "/healthz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					m.key = k[1]
					return m
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s did not start:\n%s", name, log.String())
	return nil
}

// call calls a service the way the UI does and decodes the answer.
func (m *machine) call(out any, path string, args ...any) error {
	if args == nil {
		args = []any{}
	}
	body, _ := json.Marshal(args)
	req, _ := http.NewRequest(http.MethodPost, m.url+"/api/"+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(&http.Cookie{Name: fmt.Sprintf("fuzhi_%d", m.port), Value: m.key})
	resp, err := m.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %d %s", m.name, path, resp.StatusCode, raw)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}

func (m *machine) must(t *testing.T, out any, path string, args ...any) {
	t.Helper()
	if err := m.call(out, path, args...); err != nil {
		t.Fatal(err)
	}
}

// arrived is how many people the machine has checked in.
func (m *machine) arrived() (int, error) {
	var d struct {
		Arrived int `json:"arrived"`
	}
	err := m.call(&d, "CheckinService/Dashboard")
	return d.Arrived, err
}

// relay forwards TCP connections to target until cut; cut closes every
// open connection and refuses new ones until mend.
type relay struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  map[net.Conn]bool
}

func newRelay(t *testing.T, target string) *relay {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &relay{ln: ln, target: target, conns: map[net.Conn]bool{}}
	t.Cleanup(func() { ln.Close() })
	go r.serve()
	return r
}

func (r *relay) addr() string { return r.ln.Addr().String() }

func (r *relay) serve() {
	for {
		in, err := r.ln.Accept()
		if err != nil {
			return
		}
		r.mu.Lock()
		if r.down {
			r.mu.Unlock()
			in.Close()
			continue
		}
		out, err := net.Dial("tcp", r.target)
		if err != nil {
			r.mu.Unlock()
			in.Close()
			continue
		}
		r.conns[in], r.conns[out] = true, true
		r.mu.Unlock()
		pipe := func(a, b net.Conn) {
			_, _ = io.Copy(a, b)
			a.Close()
			b.Close()
			r.mu.Lock()
			delete(r.conns, a)
			delete(r.conns, b)
			r.mu.Unlock()
		}
		go pipe(in, out)
		go pipe(out, in)
	}
}

func (r *relay) cut() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.down = true
	for c := range r.conns {
		c.Close()
	}
}

func (r *relay) mend() {
	r.mu.Lock()
	r.down = false
	r.mu.Unlock()
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func pct(d []time.Duration, p float64) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s) == 0 {
		return 0
	}
	return s[int(float64(len(s)-1)*p)]
}

// peakRSS is the most memory the process has held, from /proc.
func peakRSS(pid int) string {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:"))
		}
	}
	return "unknown"
}

// makeEvent creates an event of people registrations the way an organizer
// does from the command line, in dir/hub/name.
func makeEvent(t *testing.T, bin, dir, name string, people, orgs int) string {
	t.Helper()
	event := filepath.Join(dir, "hub", name+".fzevent")
	os.MkdirAll(filepath.Dir(event), 0o755)
	run := func(args ...string) {
		t.Helper()
		if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
			t.Fatalf("fuzhi %v: %v\n%s", args, err, out)
		}
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"姓名", "单位名称", "手机号", "参会类型"})
	for i := 1; i <= people; i++ {
		w.Write([]string{fmt.Sprintf("参会人%06d", i), fmt.Sprintf("山东第%d精工科技有限公司", i%orgs), fmt.Sprintf("139%08d", i), "中小企业"})
	}
	w.Flush()
	csvPath := filepath.Join(dir, "报名表.csv")
	os.WriteFile(csvPath, buf.Bytes(), 0o600)
	run("event", "create", "--name", name, "--date", "2026-05-20", "--out", event)
	run("import", "participants", "--event", event, "--file", csvPath)
	return event
}

// converge waits until every machine has checked in want people and says
// how long that took; a machine still short after limit fails the test.
func converge(t *testing.T, machines []*machine, want int, limit time.Duration) time.Duration {
	t.Helper()
	t0 := time.Now()
	for _, m := range machines {
		for {
			n, err := m.arrived()
			if err == nil && n == want {
				break
			}
			if time.Since(t0) > limit {
				t.Fatalf("%s has %d of the %d acknowledged scans %v after the last (%v)", m.name, n, want, limit, err)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	return time.Since(t0)
}

// badgeCodes are the first n people's badge codes, as printed before the day.
func badgeCodes(t *testing.T, hub *machine, n int) []string {
	t.Helper()
	var ids []string
	for off := 0; len(ids) < n; off += 1000 {
		var p struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		hub.must(t, &p, "RosterService/List", map[string]any{"offset": off, "limit": 1000})
		for _, it := range p.Items {
			ids = append(ids, it.ID)
		}
	}
	codes := make([]string, n)
	for i := range codes {
		hub.must(t, &codes[i], "CheckinService/BadgeCode", ids[i])
	}
	return codes
}

func TestSoakAMorningAtTheDoors(t *testing.T) {
	bin := os.Getenv("FUZHI_BIN")
	if bin == "" {
		t.Skip("FUZHI_BIN is not set: build bin/fuzhi and point FUZHI_BIN at it")
	}
	people := envInt("FUZHI_SOAK_PEOPLE", 5000)
	scans := min(envInt("FUZHI_SOAK_SCANS", 600), people)
	rate := envInt("FUZHI_SOAK_RATE", 40)
	cutFor := envDuration("FUZHI_SOAK_CUT", 5*time.Second)
	// CI's small run guards that nothing is lost and that no desk waits
	// on anything gross (a lock held for a recount): its 600 answers on a
	// busy machine have shown a p99 of 12–21 ms. The 10 ms is for
	// the full run (FUZHI_SOAK_P99_MS=10).
	p99Want := time.Duration(envInt("FUZHI_SOAK_P99_MS", 150)) * time.Millisecond
	dir := t.TempDir()

	// The event, made and filled the way an organizer does from the
	// command line.
	t0 := time.Now()
	event := makeEvent(t, bin, dir, "深度行·压测", people, 4000)
	t.Logf("event of %d people made in %v", people, time.Since(t0).Round(time.Millisecond))

	hub := serve(t, bin, "hub", filepath.Join(dir, "hub"), "--event", event)
	hubPort := freePort(t)
	var st struct {
		Address     string `json:"address"`
		Fingerprint string `json:"fingerprint"`
	}
	hub.must(t, &st, "NetworkService/StartHub", fmt.Sprintf("127.0.0.1:%d", hubPort))

	// Three stations, each through a relay this test can cut.
	var stations []*machine
	var relays []*relay
	for i := 1; i <= 3; i++ {
		r := newRelay(t, fmt.Sprintf("127.0.0.1:%d", hubPort))
		var code struct {
			Link string `json:"link"`
		}
		hub.must(t, &code, "NetworkService/NewPairingCode", "station", "")
		u, err := url.Parse(code.Link)
		if err != nil {
			t.Fatal(err)
		}
		pairing := fmt.Sprintf("%s %s %s", r.addr(), u.Query().Get("code"), u.Query().Get("fp"))
		data := filepath.Join(dir, fmt.Sprintf("station%d", i))
		os.MkdirAll(data, 0o755)
		m := serve(t, bin, fmt.Sprintf("station%d", i), data)
		t1 := time.Now()
		m.must(t, nil, "NetworkService/Join", pairing, fmt.Sprintf("签到台%d", i))
		t.Logf("station %d joined (copied %d people) in %v", i, people, time.Since(t1).Round(time.Millisecond))
		stations, relays = append(stations, m), append(relays, r)
	}

	// The badges of the people who will come.
	codes := badgeCodes(t, hub, scans)

	// Two dashboards on the hub, every second.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var dashMu sync.Mutex
	var dash []time.Duration
	for d := 0; d < 2; d++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tick := time.NewTicker(time.Second)
			defer tick.Stop()
			for {
				select {
				case <-stop:
					return
				case <-tick.C:
				}
				t0 := time.Now()
				if _, err := hub.arrived(); err != nil {
					t.Errorf("dashboard: %v", err)
				}
				dashMu.Lock()
				dash = append(dash, time.Since(t0))
				dashMu.Unlock()
			}
		}()
	}

	// The doors: one scan every 1/rate s, round the three stations. The
	// first station is cut off from the hub a quarter of the way in.
	var lat, floor []time.Duration
	var latMu sync.Mutex
	var acked atomic.Int64
	// The floor, at the same moments: what a check-in cannot beat on this
	// machine under this load (the same station's /healthz round trip, then
	// one fsync'd bbolt write). The 10 ms is absolute; this says how much of
	// a miss is the machine's.
	floorDB, err := bolt.Open(filepath.Join(dir, "floor.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer floorDB.Close()
	interval := time.Second / time.Duration(rate)
	cutAt, mendAt := time.Duration(scans/4)*interval, time.Duration(scans/4)*interval+cutFor
	start := time.Now()
	cut, mended := false, false
	var scanWG sync.WaitGroup
	for i, code := range codes {
		due := start.Add(time.Duration(i) * interval)
		time.Sleep(time.Until(due))
		if since := time.Since(start); !cut && since >= cutAt {
			relays[0].cut()
			cut = true
			t.Logf("station 1 cut off at %v", since.Round(time.Millisecond))
		} else if cut && !mended && since >= mendAt {
			relays[0].mend()
			mended = true
			t.Logf("station 1 back at %v", since.Round(time.Millisecond))
		}
		m := stations[i%3]
		scanWG.Add(1)
		go func() {
			defer scanWG.Done()
			var a struct {
				Result string `json:"result"`
			}
			t0 := time.Now()
			err := m.call(&a, "CheckinService/Scan", code, m.name)
			d := time.Since(t0)
			if err != nil || a.Result != "ok" {
				t.Errorf("scan %d at %s: %v %+v", i, m.name, err, a)
				return
			}
			acked.Add(1)
			latMu.Lock()
			lat = append(lat, d)
			latMu.Unlock()
		}()
		if i%4 != 0 {
			continue // the floor's probes, a quarter as many, add little load of their own
		}
		scanWG.Add(1)
		go func() {
			defer scanWG.Done()
			t0 := time.Now()
			resp, err := m.http.Get(m.url + "/healthz")
			if err != nil {
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			err = floorDB.Update(func(tx *bolt.Tx) error {
				b, err := tx.CreateBucketIfNotExists([]byte("floor"))
				if err != nil {
					return err
				}
				return b.Put([]byte(strconv.Itoa(i)), []byte("x"))
			})
			if err != nil {
				return
			}
			d := time.Since(t0)
			latMu.Lock()
			floor = append(floor, d)
			latMu.Unlock()
		}()
	}
	scanWG.Wait()
	if !mended {
		time.Sleep(time.Until(start.Add(mendAt)))
		relays[0].mend()
	}
	scanned := time.Since(start)

	// Every acknowledged scan on every machine.
	want := int(acked.Load())
	converged := converge(t, append([]*machine{hub}, stations...), want, 5*time.Minute)
	close(stop)
	wg.Wait()

	p50, p99, worst := pct(lat, 0.5), pct(lat, 0.99), pct(lat, 1)
	t.Logf("%d people, %d scans at %d/s over 3 stations in %v, station 1 cut for %v", people, want, rate, scanned.Round(time.Millisecond), cutFor)
	t.Logf("check-in answer at the desk: p50 %v, p99 %v, worst %v (want p99 < %v)", p50, p99, worst, p99Want)
	if len(floor) > 0 {
		t.Logf("floor at the same moments (/healthz + one fsync'd bbolt write): p50 %v, p99 %v over %d; check-in p99 ÷ floor p99 = %.2f",
			pct(floor, 0.5), pct(floor, 0.99), len(floor), float64(p99)/float64(pct(floor, 0.99)))
	}
	t.Logf("hub dashboard: p50 %v, p99 %v over %d refreshes", pct(dash, 0.5), pct(dash, 0.99), len(dash))
	t.Logf("every machine had every scan %v after the last one", converged.Round(time.Millisecond))
	t.Logf("peak memory: hub %s; stations %s, %s, %s", peakRSS(hub.cmd.Process.Pid),
		peakRSS(stations[0].cmd.Process.Pid), peakRSS(stations[1].cmd.Process.Pid), peakRSS(stations[2].cmd.Process.Pid))
	if want != scans {
		t.Fatalf("%d of %d scans acknowledged", want, scans)
	}
	if p99 >= p99Want {
		t.Fatalf("check-in p99 %v, want < %v", p99, p99Want)
	}
}

// The hub laptop dies for good (its process killed) in the middle of a
// morning of scans at three desks. The organizer promotes desk 1 in its
// screens' API; desks 2 and 3 find it on their own, without pairing again,
// while the doors keep going; every scan any desk acknowledged is on every
// surviving machine at the end.
func TestSoakTheHubLaptopDiesMidMorning(t *testing.T) {
	bin := os.Getenv("FUZHI_BIN")
	if bin == "" {
		t.Skip("FUZHI_BIN is not set: build bin/fuzhi and point FUZHI_BIN at it")
	}
	people := envInt("FUZHI_SOAK_PEOPLE", 2000)
	scans := min(envInt("FUZHI_SOAK_SCANS", 300), people)
	rate := envInt("FUZHI_SOAK_RATE", 30)
	dir := t.TempDir()
	event := makeEvent(t, bin, dir, "深度行·接替", people, 400)
	hub := serve(t, bin, "hub", filepath.Join(dir, "hub"), "--event", event)
	hubPort := freePort(t)
	hub.must(t, nil, "NetworkService/StartHub", fmt.Sprintf("127.0.0.1:%d", hubPort))
	var desks []*machine
	for i := 1; i <= 3; i++ {
		var code struct {
			Link string `json:"link"`
		}
		hub.must(t, &code, "NetworkService/NewPairingCode", "station", "")
		data := filepath.Join(dir, fmt.Sprintf("station%d", i))
		os.MkdirAll(data, 0o755)
		m := serve(t, bin, fmt.Sprintf("station%d", i), data)
		m.must(t, nil, "NetworkService/Join", code.Link, fmt.Sprintf("签到台%d", i))
		desks = append(desks, m)
	}
	codes := badgeCodes(t, hub, scans)
	// Every desk holds the hub's succession list naming all three before the
	// doors open (each desk offers itself on its first exchanges).
	deadline := time.Now().Add(time.Minute)
	for _, m := range desks {
		for {
			var st struct {
				Successors int `json:"successors"`
			}
			if err := m.call(&st, "NetworkService/Status"); err == nil && st.Successors == 3 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s never received a succession list naming the three desks", m.name)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}

	var acked atomic.Int64
	var failed atomic.Int64
	interval := time.Second / time.Duration(rate)
	dieAt := scans * 2 / 5
	start := time.Now()
	var wg sync.WaitGroup
	for i, code := range codes {
		time.Sleep(time.Until(start.Add(time.Duration(i) * interval)))
		if i == dieAt {
			_ = hub.cmd.Process.Kill() // for good: never started again
			_ = hub.cmd.Wait()
			t.Logf("hub killed after %d scans (%v)", i, time.Since(start).Round(time.Millisecond))
			t0 := time.Now()
			desks[0].must(t, nil, "NetworkService/Promote", "")
			t.Logf("desk 1 took over as hub in %v", time.Since(t0).Round(time.Millisecond))
		}
		m := desks[i%3]
		wg.Add(1)
		go func() {
			defer wg.Done()
			var a struct {
				Result string `json:"result"`
			}
			if err := m.call(&a, "CheckinService/Scan", code, m.name); err != nil || a.Result != "ok" {
				failed.Add(1)
				t.Errorf("scan %d at %s: %v %+v", i, m.name, err, a)
				return
			}
			acked.Add(1)
		}()
	}
	wg.Wait()
	want := int(acked.Load())
	converged := converge(t, desks, want, 3*time.Minute)
	t.Logf("%d scans acknowledged at 3 desks; every surviving machine had all of them %v after the last", want, converged.Round(time.Millisecond))
	for _, m := range desks[1:] {
		var st struct {
			Role   string `json:"role"`
			Online bool   `json:"online"`
		}
		m.must(t, &st, "NetworkService/Status")
		if st.Role != "station" || !st.Online {
			t.Fatalf("%s after the takeover: %+v", m.name, st)
		}
	}
	if want != scans || failed.Load() != 0 {
		t.Fatalf("%d of %d scans acknowledged", want, scans)
	}
}
