package main

import (
	"bufio"
	"context"
	"fmt"
	"math/rand"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fuzhi/eventdesk/store"
)

// proc is one running fuzhi process whose "ACK <id>" lines are collected.
type proc struct {
	cmd  *exec.Cmd
	done chan struct{}
}

func startProc(t *testing.T, bin string, acks *sync.Map, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(bin, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, done: make(chan struct{})}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if id, ok := strings.CutPrefix(sc.Text(), "ACK "); ok && acks != nil {
				acks.Store(id, true)
			}
		}
		cmd.Wait()
		close(p.done)
	}()
	return p
}

func (p *proc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

func freePort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestVenueProcessesSurviveKillsAndAgree runs a hub and three stations as
// real processes on loopback. Stations check people in (the same people at
// several desks) while they and the hub are SIGKILLed and restarted; when
// the network is left alone all four files hold identical views and every
// check-in a station acknowledged is in all of them.
func TestVenueProcessesSurviveKillsAndAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "fuzhi")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	demo, err := exec.Command(bin, "demo", "--data", filepath.Join(dir, "hub")).Output()
	if err != nil {
		t.Fatal(err)
	}
	hubFile := strings.TrimSpace(string(demo))
	addr := freePort(t)
	codes := filepath.Join(dir, "codes.txt")
	hubArgs := []string{"hub", "--event", hubFile, "--listen", addr, "--codes", "3", "--codes-out", codes}
	hub := startProc(t, bin, nil, hubArgs...)
	defer func() { hub.kill() }()
	var links []string
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if raw, err := os.ReadFile(codes); err == nil {
			links = strings.Fields(string(raw))
			break
		}
	}
	if len(links) != 3 {
		t.Fatal("the hub wrote no pairing codes")
	}
	files := make([]string, 3)
	for i := range files {
		out, err := exec.Command(bin, "station", "join", "--pair", links[i], "--name", fmt.Sprintf("签到台%d", i+2), "--data", filepath.Join(dir, fmt.Sprint("s", i))).Output()
		if err != nil {
			t.Fatalf("join %d: %v", i, err)
		}
		files[i] = strings.TrimSpace(string(out))
	}
	var acks sync.Map
	r := rand.New(rand.NewSource(7))
	run := func(i int, seed int64) *proc {
		return startProc(t, bin, &acks, "station", "run", "--event", files[i], "--desk", fmt.Sprintf("签到台%d", i+2),
			"--checkins", "100000", "--every", "3ms", "--seed", fmt.Sprint(seed))
	}
	stations := make([]*proc, 3)
	for i := range stations {
		stations[i] = run(i, int64(i))
	}
	kills := 0
	for round := 0; round < 12; round++ {
		time.Sleep(time.Duration(200+r.Intn(400)) * time.Millisecond)
		if round%4 == 3 { // the hub dies: every connection is cut
			hub.kill()
			time.Sleep(100 * time.Millisecond)
			hub = startProc(t, bin, nil, hubArgs...)
		} else {
			i := r.Intn(3)
			stations[i].kill()
			stations[i] = run(i, int64(100+round))
		}
		kills++
	}
	for _, s := range stations {
		s.kill()
	}
	// Leave the network alone: each station syncs until nothing is waiting, twice round.
	for pass := 0; pass < 2; pass++ {
		for i := range files {
			out, err := exec.Command(bin, "station", "run", "--event", files[i], "--until-synced").CombinedOutput()
			if err != nil || !strings.Contains(string(out), "SYNCED") {
				t.Fatalf("station %d did not sync: %v\n%s", i, err, out)
			}
		}
	}
	hub.cmd.Process.Signal(syscall.SIGTERM)
	<-hub.done
	var dumps [][]string
	var hubOps map[string]bool
	for _, f := range append([]string{hubFile}, files...) {
		s, err := store.Open(context.Background(), f, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		d, _ := s.Dump()
		dumps = append(dumps, d)
		if hubOps == nil {
			hubOps = map[string]bool{}
			s.Ops(func(op store.Op) error { hubOps[op.ID()] = true; return nil })
		}
		s.Close()
	}
	for i := 1; i < 4; i++ {
		if !slices.Equal(dumps[0], dumps[i]) {
			t.Fatalf("station %d disagrees with the hub after %d kills", i, kills)
		}
	}
	n := 0
	acks.Range(func(k, _ any) bool {
		n++
		if !hubOps[k.(string)] {
			t.Errorf("acknowledged check-in %s is missing", k)
		}
		return true
	})
	if n < 100 {
		t.Fatalf("only %d check-ins were acknowledged", n)
	}
	t.Logf("%d kills (%d of the hub), %d acknowledged check-ins, %d views entries identical on 4 machines", kills, 3, n, len(dumps[0]))
}
