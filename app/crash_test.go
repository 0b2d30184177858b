package app

import (
	"bufio"
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
)

const crashEnv = "FUZHI_CRASH_CHILD_EVENT"

// TestCrashChild is not a test on its own: TestCheckinsSurviveSIGKILL runs
// the test binary as a child in this mode. It checks people in as fast as
// it can and prints "ACK <participant>" only after Scan has returned, that
// is after the check-in was committed with fsync.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("only runs as the child of TestCheckinsSurviveSIGKILL")
	}
	wsApp := New(Options{Context: context.Background(), DataDir: filepath.Dir(path)})
	svc := &wsApp.Services
	if _, err := svc.Event.Open(path); err != nil {
		fmt.Println("ERR", err)
		os.Exit(3)
	}
	out := bufio.NewWriter(os.Stdout)
	page, _ := svc.Roster.List(ParticipantQuery{Limit: 1000})
	r := rand.New(rand.NewSource(time.Now().UnixNano()))
	for {
		p := page.Items[r.Intn(len(page.Items))]
		code, err := svc.Checkin.BadgeCode(p.ID)
		if err != nil {
			fmt.Println("ERR", err)
			os.Exit(3)
		}
		a, err := svc.Checkin.Scan(code, "crash")
		if err != nil {
			fmt.Println("ERR", err)
			os.Exit(3)
		}
		fmt.Fprintf(out, "ACK %s %s\n", p.ID, a.ScanID)
		out.Flush()
	}
}

// TestCheckinsSurviveSIGKILL kills a check-in process at random moments,
// at least 50 times; after each kill the file must open cleanly and hold
// every check-in the process acknowledged.
func TestCheckinsSurviveSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test takes about 20 s")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "crash.fzevent")
	wsApp := New(Options{Context: context.Background(), DataDir: dir})
	ws := wsApp.Workspace
	var seed []store.Change
	for i := 0; i < 500; i++ {
		id := fmt.Sprintf("PCRASH%04d", i)
		seed = append(seed, store.Participants.Put(id, model.Participant{ID: id, Name: fmt.Sprintf("测试%d", i), Mobile: fmt.Sprintf("139%08d", i)}))
	}
	if err := createEventFile(ws, path, model.Event{ID: "ECRASH", Name: "崩溃测试", StartDate: "2026-05-20"}, seed); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewSource(42))
	acked := map[string]string{} // scan id -> participant
	kills := 0
	for round := 0; round < 60; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.v=false")
		cmd.Env = append(os.Environ(), crashEnv+"="+path)
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1024)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// Let it run until it has acknowledged a few scans, then a random
		// moment more. The deadline only catches a child that hangs: a
		// loaded CI machine running the race detector next door once took
		// more than 10 s to start one.
		deadline := time.After(2 * time.Minute)
		got := 0
	wait:
		for got < 3 {
			select {
			case l, ok := <-lines:
				if !ok {
					break wait
				}
				got += record(t, l, acked)
			case <-deadline:
				break wait
			}
		}
		time.Sleep(time.Duration(r.Intn(40)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		kills++
		for l := range lines {
			record(t, l, acked)
		}
		if got == 0 {
			t.Fatalf("round %d: the child acknowledged nothing", round)
		}
		// Reopen as the desk would after the crash and look for every acknowledged scan.
		st, err := store.Open(context.Background(), path, store.Options{Timeout: 2 * time.Second})
		if err != nil {
			t.Fatalf("round %d: file does not open after SIGKILL: %v", round, err)
		}
		found := map[string]bool{}
		store.Scans.Each(st, "", func(e store.Entry, _ model.Scan) error { found[e.OpID] = true; return nil })
		st.Close()
		for id, who := range acked {
			if !found[id] {
				t.Fatalf("round %d: acknowledged check-in %s of %s is missing after SIGKILL", round, id, who)
			}
		}
	}
	if kills < 50 || len(acked) < 150 {
		t.Fatalf("only %d kills, %d acknowledged scans", kills, len(acked))
	}
	t.Logf("%d kills, %d acknowledged check-ins, all present after every reopen", kills, len(acked))
}

func record(t *testing.T, line string, acked map[string]string) int {
	f := strings.Fields(line)
	if len(f) == 3 && f[0] == "ACK" {
		acked[f[2]] = f[1]
		return 1
	}
	if strings.HasPrefix(line, "ERR") {
		t.Fatalf("child failed: %s", line)
	}
	return 0
}
