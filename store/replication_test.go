package store

import (
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"slices"
	"testing"
)

// syncOnce sends from a to b what b lacks, at most limit ops, delivered in
// a shuffled order when shuffle is set (a relay that reorders; Ingest must
// not skip the gap it sees).
func syncOnce(t testing.TB, r *rand.Rand, a, b *Store, limit int, shuffle bool) {
	t.Helper()
	vv, err := b.VersionVector()
	if err != nil {
		t.Fatal(err)
	}
	ops, _, err := a.OpsSince(vv, limit)
	if err != nil {
		t.Fatal(err)
	}
	if shuffle {
		r.Shuffle(len(ops), func(i, j int) { ops[i], ops[j] = ops[j], ops[i] })
		// and deliver in two halves: the first half may have gaps
		half := len(ops) / 2
		if _, err := b.Ingest(context.Background(), ops[:half]); err != nil {
			t.Fatal(err)
		}
		ops = ops[half:]
	}
	if _, err := b.Ingest(context.Background(), ops); err != nil {
		t.Fatal(err)
	}
}

func converge(t testing.TB, r *rand.Rand, reps []*Store) {
	t.Helper()
	for round := 0; round < 20; round++ {
		for i := range reps {
			for j := range reps {
				if i != j {
					syncOnce(t, r, reps[i], reps[j], 1<<30, false)
				}
			}
		}
		vv0, _ := reps[0].VersionVector()
		same := true
		for _, s := range reps[1:] {
			vv, _ := s.VersionVector()
			if fmt.Sprint(vv) != fmt.Sprint(vv0) {
				same = false
			}
		}
		if same {
			return
		}
	}
	t.Fatal("replicas did not converge")
}

func randomChange(r *rand.Rand) Change {
	person := fmt.Sprintf("P%02d", r.Intn(6))
	switch r.Intn(6) {
	case 0, 1: // the same few people scanned at several desks
		return Change{Kind: KindScan, Entity: person, Value: map[string]any{"desk": r.Intn(4), "at": r.Int()}}
	case 2:
		return Change{Kind: KindOutcome, Entity: fmt.Sprintf("M%d", r.Intn(4)), Value: map[string]any{"result": []string{"possible", "agreement", "no_interest"}[r.Intn(3)], "amount": r.Intn(500)}}
	case 3:
		return Change{Kind: KindLead, Entity: fmt.Sprintf("X%d|%s", r.Intn(3), person), Value: map[string]any{"rating": 1 + r.Intn(5), "note": r.Intn(100)}}
	case 4:
		if r.Intn(3) == 0 {
			return Change{Kind: KindParticipant, Entity: person, Delete: true}
		}
		return Change{Kind: KindParticipant, Entity: person, Value: map[string]any{"id": person, "name": fmt.Sprint("名", r.Intn(9)), "mobile": fmt.Sprintf("1380000%04d", r.Intn(3))}}
	default:
		return Change{Kind: KindScanUndo, Entity: person, Value: map[string]any{"scan": fmt.Sprint(r.Intn(50))}}
	}
}

// TestReplicasAgreeWhateverThePartitionsAndOrder is the venue network's
// property: four replicas make random changes (the same people checked in at
// several desks, outcome edits, leads, edits and deletes of people) while
// random pairs exchange partial, reordered batches; after the network heals
// all four hold identical views, equal to the views rebuilt from the union
// of every op, and every acknowledged change is present everywhere.
func TestReplicasAgreeWhateverThePartitionsAndOrder(t *testing.T) {
	schedules := 1000
	if testing.Short() {
		schedules = 100
	}
	ctx := context.Background()
	for n := 0; n < schedules; n++ {
		r := rand.New(rand.NewSource(int64(n)))
		dir := t.TempDir()
		reps := make([]*Store, 4)
		for i := range reps {
			s, err := Open(ctx, filepath.Join(dir, fmt.Sprintf("r%d.fzevent", i)), Options{NoSync: true})
			if err != nil {
				t.Fatal(err)
			}
			reps[i] = s
		}
		var acked []string
		steps := 10 + r.Intn(30)
		for step := 0; step < steps; step++ {
			if r.Intn(3) == 0 { // a partial exchange between two replicas
				a, b := r.Intn(4), r.Intn(4)
				if a != b {
					syncOnce(t, r, reps[a], reps[b], 1+r.Intn(6), r.Intn(2) == 0)
				}
				continue
			}
			i := r.Intn(4)
			ops, err := reps[i].Apply(ctx, randomChange(r))
			if err != nil {
				t.Fatal(err)
			}
			for _, op := range ops {
				acked = append(acked, op.ID())
			}
		}
		converge(t, r, reps)
		want, _ := reps[0].Dump()
		for i, s := range reps[1:] {
			got, _ := s.Dump()
			if !slices.Equal(got, want) {
				t.Fatalf("schedule %d: replica %d differs from replica 0:\n%s", n, i+1, diffLines(want, got))
			}
		}
		// The union of ops, replayed from nothing, gives the same views.
		union, _, _ := reps[2].OpsSince(nil, 1<<30)
		fresh, err := Open(ctx, filepath.Join(dir, "union.fzevent"), Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		r.Shuffle(len(union), func(i, j int) { union[i], union[j] = union[j], union[i] })
		if _, err := fresh.Ingest(ctx, union); err != nil {
			t.Fatal(err)
		}
		if got, _ := fresh.Dump(); !slices.Equal(got, want) {
			t.Fatalf("schedule %d: views differ from the views rebuilt from the union of ops", n)
		}
		have := map[string]bool{}
		for _, op := range union {
			have[op.ID()] = true
		}
		for _, id := range acked {
			if !have[id] {
				t.Fatalf("schedule %d: acknowledged op %s lost", n, id)
			}
		}
		fresh.Close()
		for _, s := range reps {
			s.Close()
		}
	}
}

func diffLines(a, b []string) string {
	out := ""
	for _, x := range a {
		if !slices.Contains(b, x) {
			out += "- " + x + "\n"
		}
	}
	for _, x := range b {
		if !slices.Contains(a, x) {
			out += "+ " + x + "\n"
		}
	}
	return out
}
