package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fuzhi/eventdesk/model"
)

// people is n participant changes, P00001…, in batches of size.
func people(n, size int) func() ([]Change, error) {
	i := 0
	return func() ([]Change, error) {
		var out []Change
		for ; i < n && len(out) < size; i++ {
			out = append(out, person(fmt.Sprintf("P%05d", i+1), fmt.Sprintf("参会人%05d", i+1), fmt.Sprintf("139%08d", i+1)))
		}
		return out, nil
	}
}

// inBatches hands ApplyAll changes StageBatch at a time, then an empty batch.
func inBatches(changes []Change) func() ([]Change, error) {
	return func() ([]Change, error) {
		k := min(StageBatch, len(changes))
		out := changes[:k]
		changes = changes[k:]
		return out, nil
	}
}

// fixedClock makes two files write the same HLCs for the same changes.
func fixedClock() func() time.Time {
	t0 := time.Date(2026, 5, 20, 9, 0, 0, 0, time.UTC)
	return func() time.Time { return t0 }
}

// committedOps counts, in order, the ops the hooks of s are told of.
func committedOps(s *Store) *[]Op {
	var seen []Op
	s.OnCommit(func(c Commit) { seen = append(seen, c.Ops...) })
	return &seen
}

// sameDump fails t unless the staged file holds exactly what the file
// written by one Apply holds (views, index, clocks), naming the first line
// that differs.
func sameDump(t *testing.T, staged, whole *Store) {
	t.Helper()
	a, _ := staged.Dump()
	b, _ := whole.Dump()
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			t.Fatalf("the staged file differs from one Apply's at line %d: %q against %q", i, a[i], b[i])
		}
	}
	if len(a) != len(b) {
		t.Fatalf("the staged file's views differ from one Apply's: %d against %d lines", len(a), len(b))
	}
}

// A set larger than a batch, written batch by batch to a copy that takes
// the file's place, leaves exactly what one transaction of Apply leaves:
// the same views, index and ops, and the hooks hear of every op in order.
func TestApplyAllEqualsOneApply(t *testing.T) {
	ctx := context.Background()
	const n = InPlaceLimit + StageBatch + 1234
	opts := Options{Station: "SSTAGE1", Now: fixedClock(), NoSync: true}
	staged := openTemp(t, opts)
	whole := openTemp(t, opts)
	if _, err := staged.Apply(ctx, person("P00000", "先到", "13700000000")); err != nil {
		t.Fatal(err)
	}
	if _, err := whole.Apply(ctx, person("P00000", "先到", "13700000000")); err != nil {
		t.Fatal(err)
	}
	heard := committedOps(staged)
	var values []any
	staged.OnCommit(func(c Commit) {
		if len(c.Values) != len(c.Ops) {
			t.Errorf("a commit of %d ops came with %d values", len(c.Ops), len(c.Values))
		}
		values = append(values, c.Values...)
	})
	got, err := staged.ApplyAll(ctx, people(n, StageBatch))
	if err != nil || got != n {
		t.Fatalf("ApplyAll recorded %d of %d: %v", got, n, err)
	}
	all, _ := people(n, n)()
	if _, err := whole.Apply(ctx, all...); err != nil {
		t.Fatal(err)
	}
	sameDump(t, staged, whole)
	var opsA, opsB []Op
	staged.Ops(func(o Op) error { opsA = append(opsA, o); return nil })
	whole.Ops(func(o Op) error { opsB = append(opsB, o); return nil })
	if len(opsA) != n+1 || !reflect.DeepEqual(opsA, opsB) {
		t.Fatalf("ops differ: %d staged, %d in one transaction", len(opsA), len(opsB))
	}
	if len(*heard) != n || (*heard)[0].Seq != 2 || (*heard)[n-1].Seq != n+1 || (*heard)[n-1].Entity != fmt.Sprintf("P%05d", n) {
		t.Fatalf("the hooks heard %d ops", len(*heard))
	}
	// Each value the hooks heard is the one the op logged (its payload).
	for i, op := range opsA[1:] {
		if i >= len(values) {
			break
		}
		if raw, _ := json.Marshal(values[i]); string(raw) != string(op.Payload) {
			t.Fatalf("op %d: the hooks heard %s, the log holds %s", op.Seq, raw, op.Payload)
		}
	}
	vv, _ := staged.VersionVector()
	if vv["SSTAGE1"] != n+1 {
		t.Fatalf("version vector %v", vv)
	}
	// The swapped-in file is the store's file: written on, closed and opened again.
	if _, err := staged.Apply(ctx, person("P99999", "后到", "13600000000")); err != nil {
		t.Fatal(err)
	}
	path := staged.Path()
	staged.Close()
	again, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if again.Station() != "SSTAGE1" {
		t.Fatalf("station after reopening: %s", again.Station())
	}
	if c, _ := Participants.Count(again); c != n+2 {
		t.Fatalf("%d participants after reopening, want %d", c, n+2)
	}
	if left, _ := filepath.Glob(path + ".*"); len(left) != 0 {
		t.Fatalf("files left beside the event: %v", left)
	}
}

// A set within InPlaceLimit is one Apply in the file itself: one commit,
// heard with its values.
func TestApplyAllOfASmallSetIsOneApply(t *testing.T) {
	s := openTemp(t, Options{NoSync: true})
	var commits []Commit
	s.OnCommit(func(c Commit) { commits = append(commits, c) })
	n, err := s.ApplyAll(context.Background(), people(InPlaceLimit, StageBatch))
	if err != nil || n != InPlaceLimit || len(commits) != 1 || len(commits[0].Values) != InPlaceLimit {
		t.Fatalf("recorded %d in %d commits: %v", n, len(commits), err)
	}
	if n, err := s.ApplyAll(context.Background(), people(0, StageBatch)); err != nil || n != 0 {
		t.Fatalf("an empty set: %d, %v", n, err)
	}
}

// Whatever stops a large set part-way (a bad batch, a refused change, a
// cancelled call) leaves the file as it was, tells the hooks nothing, and
// leaves the store working.
func TestApplyAllIsAllOrNothing(t *testing.T) {
	cases := map[string]func(s *Store, ctx context.Context, cancel func()) func() ([]Change, error){
		"the input fails in the seventh batch": func(s *Store, ctx context.Context, cancel func()) func() ([]Change, error) {
			batches, calls := people(8*StageBatch, StageBatch), 0
			return func() ([]Change, error) {
				if calls++; calls == 7 {
					return nil, errors.New("第 30001 行读不出来")
				}
				return batches()
			}
		},
		"a change cannot be encoded in the sixth batch": func(s *Store, ctx context.Context, cancel func()) func() ([]Change, error) {
			batches, calls := people(8*StageBatch, StageBatch), 0
			return func() ([]Change, error) {
				b, err := batches()
				if calls++; calls == 6 {
					b[17].Value = func() {}
				}
				return b, err
			}
		},
		"the guard refuses one change": func(s *Store, ctx context.Context, cancel func()) func() ([]Change, error) {
			s.SetGuard(func(op Op) error {
				if op.Entity == "P33333" {
					return errors.New("本机不能添加这个人")
				}
				return nil
			})
			return people(8*StageBatch, StageBatch)
		},
		"the call is cancelled after six batches": func(s *Store, ctx context.Context, cancel func()) func() ([]Change, error) {
			batches, calls := people(8*StageBatch, StageBatch), 0
			return func() ([]Change, error) {
				if calls++; calls == 7 {
					cancel()
				}
				return batches()
			}
		},
	}
	for name, input := range cases {
		t.Run(name, func(t *testing.T) {
			s := openTemp(t, Options{NoSync: true})
			if _, err := s.Apply(context.Background(), person("P00000", "先到", "13700000000")); err != nil {
				t.Fatal(err)
			}
			before, _ := s.Dump()
			heard := committedOps(s)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			n, err := s.ApplyAll(ctx, input(s, ctx, cancel))
			if err == nil || n != 0 {
				t.Fatalf("recorded %d and no error", n)
			}
			after, _ := s.Dump()
			if !reflect.DeepEqual(before, after) || len(*heard) != 0 {
				t.Fatalf("a failed set changed the file (%d → %d lines) or was heard (%d ops)", len(before), len(after), len(*heard))
			}
			if vv, _ := s.VersionVector(); vv[s.Station()] != 1 {
				t.Fatalf("version vector after the failure: %v", vv)
			}
			s.SetGuard(nil)
			if ops, err := s.Apply(context.Background(), person("P99999", "后到", "13600000000")); err != nil || ops[0].Seq != 2 {
				t.Fatalf("after the failure: %+v %v", ops, err)
			}
			if left, _ := filepath.Glob(s.Path() + ".*"); len(left) != 0 {
				t.Fatalf("files left beside the event: %v", left)
			}
		})
	}
}

// While a large set is written, the desks keep reading (and never see half
// of it), and a scan recorded meanwhile waits, then lands after it.
func TestApplyAllWhileOthersReadAndWrite(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t, Options{NoSync: true})
	if _, err := s.Apply(ctx, person("P00000", "先到", "13700000000")); err != nil {
		t.Fatal(err)
	}
	const n = InPlaceLimit + 4*StageBatch
	var stop atomic.Bool
	var reads atomic.Int64
	var wg sync.WaitGroup
	readErr := make(chan error, 2)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				c, err := Participants.Count(s)
				if err != nil || (c != 1 && c != n+1) {
					readErr <- fmt.Errorf("a reader saw %d participants: %v", c, err)
					return
				}
				if _, ok, err := Participants.Get(s, "P00000"); err != nil || !ok {
					readErr <- fmt.Errorf("a reader lost P00000: %v", err)
					return
				}
				reads.Add(1)
			}
		}()
	}
	// The scan is sent once the staged write holds the writers back.
	gate := make(chan struct{})
	batches, calls := people(n, StageBatch), 0
	input := func() ([]Change, error) {
		if calls++; calls == 7 {
			close(gate)
		}
		return batches()
	}
	scanned := make(chan []Op, 1)
	go func() {
		<-gate
		ops, err := s.Apply(ctx, Change{Kind: KindScan, Entity: "P00000", Value: model.Scan{Desk: "一号台", Method: "scan"}})
		if err != nil {
			t.Error(err)
		}
		scanned <- ops
	}()
	got, err := s.ApplyAll(ctx, input)
	if err != nil || got != n {
		t.Fatalf("recorded %d: %v", got, err)
	}
	scan := <-scanned
	stop.Store(true)
	wg.Wait()
	select {
	case err := <-readErr:
		t.Fatal(err)
	default:
	}
	if len(scan) != 1 || scan[0].Seq != n+2 {
		t.Fatalf("the scan was not recorded after the set: %+v", scan)
	}
	if reads.Load() == 0 {
		t.Fatal("no read ran while the set was written")
	}
	if _, err := os.Stat(s.Path()); err != nil {
		t.Fatal(err)
	}
}

// The payload read back from a logged op without decoding it is the payload
// that was written, whatever the strings around it hold.
func TestPayloadOfAnOpAsLogged(t *testing.T) {
	odd := `,"payload":{"x":1}}`
	for _, op := range []Op{
		{Station: "SABCDEF", Seq: 1, HLC: 7, Kind: "participant.put", Entity: "P1", Payload: []byte(`{"name":"` + `,\"payload\":` + `"}`)},
		{Station: "SABCDEF", Seq: 2, HLC: 8, Kind: "participant.put", Entity: odd, Payload: []byte(`{"note":"}"}`)},
		{Station: "S" + odd, Seq: 3, HLC: 9, Kind: "participant.delete", Entity: odd},
		{Station: "SABCDEF", Seq: 4, HLC: 10, Kind: "scan.add", Entity: "P1", Payload: []byte(`"只是一个字符串"`)},
	} {
		raw, err := json.Marshal(op)
		if err != nil {
			t.Fatal(err)
		}
		got, err := payloadOf(raw)
		if err != nil || string(got) != string(op.Payload) {
			t.Fatalf("op %d: payload %q, want %q (%v)", op.Seq, got, op.Payload, err)
		}
	}
	for _, bad := range []string{``, `{`, `[1,2]`, `{"payload":`} {
		if _, err := payloadOf([]byte(bad)); err == nil {
			t.Fatalf("%q read as an op", bad)
		}
	}
}

// Closing the store while a large set is written waits for it, and leaves
// the file closed: it opens again at once, with the whole set.
func TestCloseWaitsForALargeSet(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "event.fzevent")
	s, err := Open(ctx, path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	const n = InPlaceLimit + 2*StageBatch
	batches, calls := people(n, StageBatch), 0
	closed := make(chan error, 1)
	input := func() ([]Change, error) {
		if calls++; calls == 7 {
			go func() { closed <- s.Close() }()
		}
		return batches()
	}
	if got, err := s.ApplyAll(ctx, input); err != nil || got != n {
		t.Fatalf("recorded %d: %v", got, err)
	}
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	again, err := Open(ctx, path, Options{Timeout: time.Second})
	if err != nil {
		t.Fatalf("the file is still held: %v", err)
	}
	defer again.Close()
	if c, _ := Participants.Count(again); c != n {
		t.Fatalf("%d participants, want %d", c, n)
	}
}

// A large set that changes people already in the file (new names and
// mobiles, some of them deleted, one person put twice) leaves the same
// views and dedup index as one Apply: the index's changes, kept until
// all the views are written, take out the old keys and add the new.
func TestApplyAllOverExistingPeopleEqualsOneApply(t *testing.T) {
	ctx := context.Background()
	const n = InPlaceLimit + StageBatch + 321
	opts := Options{Station: "SSTAGE2", Now: fixedClock(), NoSync: true}
	staged := openTemp(t, opts)
	whole := openTemp(t, opts)
	first, _ := people(n, n)()
	for _, s := range []*Store{staged, whole} {
		if _, err := s.ApplyAll(ctx, people(n, StageBatch)); err != nil {
			t.Fatal(err)
		}
	}
	var second []Change
	for i, c := range first {
		p := c.Value.(model.Participant)
		switch i % 7 {
		case 0:
			second = append(second, Change{Kind: KindParticipant, Entity: p.ID, Delete: true})
		case 1:
			p.Name += "（改名）"
			second = append(second, person(p.ID, p.Name, p.Mobile))
		case 2:
			second = append(second, person(p.ID, p.Name, fmt.Sprintf("186%08d", i)))
		default:
			second = append(second, person(p.ID, p.Name, p.Mobile)) // unchanged key
		}
	}
	second = append(second, person("P00002", "又改一次", "13500000002"))
	if got, err := staged.ApplyAll(ctx, inBatches(second)); err != nil || got != len(second) {
		t.Fatalf("ApplyAll recorded %d of %d: %v", got, len(second), err)
	}
	if _, err := whole.Apply(ctx, second...); err != nil {
		t.Fatal(err)
	}
	sameDump(t, staged, whole)
	again := model.Participant{Name: "又改一次", Mobile: "13500000002"}
	if id, ok := staged.ParticipantByKey(again.DedupKey()); !ok || id != "P00002" {
		t.Fatalf("the index finds %q, %v", id, ok)
	}
}

// Ops for keys beyond everything their view holds go into the view with
// the log; the others (keys below the view's last, a second write to a
// person written earlier in the set, a delete of one, organizations in no
// order) wait for the views' pass. Together they leave exactly what one
// Apply leaves, and the index holds the last write of each person.
func TestApplyAllWithTheLogOrLaterEqualsOneApply(t *testing.T) {
	ctx := context.Background()
	opts := Options{Station: "SSTAGE3", Now: fixedClock(), NoSync: true}
	staged := openTemp(t, opts)
	whole := openTemp(t, opts)
	for _, s := range []*Store{staged, whole} {
		if _, err := s.Apply(ctx, person("P00500", "已在", "13700000500")); err != nil {
			t.Fatal(err)
		}
	}
	var set []Change
	id := func(i int) string { return fmt.Sprintf("P%05d", i) }
	again := 0 // second writes and deletes of people written earlier in the set
	for i := 1; len(set) < InPlaceLimit+StageBatch+77; i++ {
		set = append(set, person(id(i), fmt.Sprintf("参会人%05d", i), fmt.Sprintf("139%08d", i)))
		switch {
		case i%13 == 0:
			org := model.Org{ID: fmt.Sprintf("O%08x", uint32(i)*2654435761), Name: fmt.Sprintf("单位%d", i)}
			set = append(set, Orgs.Put(org.ID, org))
		case i%17 == 0 && i > 600:
			set = append(set, person(id(i-100), "改名", fmt.Sprintf("186%08d", i)))
			again++
		case i%19 == 0 && i > 600:
			set = append(set, Change{Kind: KindParticipant, Entity: id(i - 50), Delete: true})
			again++
		}
	}
	var withLog, later int
	loggedHook = func(a, b int) { withLog, later = a, b }
	defer func() { loggedHook = nil }()
	if got, err := staged.ApplyAll(ctx, inBatches(set)); err != nil || got != len(set) {
		t.Fatalf("ApplyAll recorded %d of %d: %v", got, len(set), err)
	}
	if _, err := whole.Apply(ctx, set...); err != nil {
		t.Fatal(err)
	}
	sameDump(t, staged, whole)
	// The people above P00500 went with the log; those below it, the
	// second writes, the deletes and most organizations later.
	if withLog+later != len(set) || withLog < InPlaceLimit || later < 499+again {
		t.Fatalf("%d ops went into their views with the log, %d later", withLog, later)
	}
	renamed := model.Participant{Name: "改名", Mobile: "18600000612"}
	if id, ok := staged.ParticipantByKey(renamed.DedupKey()); !ok || id != "P00512" {
		t.Fatalf("the index finds %q, %v for a person written twice", id, ok)
	}
	first := model.Participant{Name: "参会人00512", Mobile: "13900000512"}
	if _, ok := staged.ParticipantByKey(first.DedupKey()); ok {
		t.Fatal("the index still finds a person's first key")
	}
}

// A view's edge counts the entities it no longer holds but whose clocks
// stay (deleted ones): an op beyond it has neither a value nor a clock.
func TestViewEdgesCountDeletedEntities(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t, Options{NoSync: true})
	if _, err := s.Apply(ctx, person("P00003", "留下", "13700000003"), person("P00009", "删除", "13700000009"),
		Orgs.Put("O1", model.Org{ID: "O1", Name: "单位"})); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, Change{Kind: KindParticipant, Entity: "P00009", Delete: true}); err != nil {
		t.Fatal(err)
	}
	edges, err := readViewEdges(s.db.Load())
	if err != nil {
		t.Fatal(err)
	}
	if edges[KindParticipant] != "P00009" || edges[KindOrg] != "O1" {
		t.Fatalf("edges %v", edges)
	}
	if edges.beyond(Op{Kind: KindParticipant + ".put", Entity: "P00005"}) || !edges.beyond(Op{Kind: KindParticipant + ".put", Entity: "P00010"}) {
		t.Fatal("an op below the edge went beyond it, or one above did not")
	}
	if edges[KindParticipant] != "P00010" {
		t.Fatalf("the edge did not move to the op beyond it: %v", edges)
	}
}
