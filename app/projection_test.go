package app

import (
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
)

// replicaOf makes a second event file holding every op of st under its own
// station id, as a station's copy is made, and opens it in a new workspace.
func replicaOf(t *testing.T, st *store.Store) (*Services, *Workspace, *recordingEmitter) {
	t.Helper()
	svc, ws, em := newTestServices(t)
	path := filepath.Join(ws.DataDir(), "replica.fzevent")
	cp, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ops, _, err := st.OpsSince(nil, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cp.Ingest(context.Background(), ops); err != nil {
		t.Fatal(err)
	}
	cp.Close()
	if _, err := ws.OpenFile(path); err != nil {
		t.Fatal(err)
	}
	return svc, ws, em
}

// checkProjections compares the in-memory pictures with ones rebuilt from the file.
func checkProjections(t *testing.T, name string, ws *Workspace) {
	t.Helper()
	st, roster, err := ws.open()
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := loadRoster(st)
	if err != nil {
		t.Fatal(err)
	}
	roster.mu.RLock()
	same := reflect.DeepEqual(fresh.byID, roster.byID)
	roster.mu.RUnlock()
	if !same {
		t.Fatalf("%s: roster cache differs from the file (%d vs %d people)", name, roster.len(), fresh.len())
	}
	ck, err := loadCheckins(st)
	if err != nil {
		t.Fatal(err)
	}
	ws.checkins.data.RLock()
	for pid, list := range ck.scans {
		if !reflect.DeepEqual(list, ws.checkins.scans[pid]) {
			ws.checkins.data.RUnlock()
			t.Fatalf("%s: check-ins of %s differ: file %v, memory %v", name, pid, list, ws.checkins.scans[pid])
		}
	}
	sameUndo := reflect.DeepEqual(ck.undone, ws.checkins.undone) && len(ck.scans) == len(ws.checkins.scans)
	ws.checkins.data.RUnlock()
	if !sameUndo {
		t.Fatalf("%s: check-in or undo sets differ from the file", name)
	}
	ev, _, err := store.Events.Get(st, eventEntity)
	if err != nil {
		t.Fatal(err)
	}
	ws.mu.RLock()
	got := ws.event
	ws.mu.RUnlock()
	if !reflect.DeepEqual(got, ev) {
		t.Fatalf("%s: event in memory %+v, in the file %+v", name, got, ev)
	}
}

// wantEvents is the UI events a batch of ops should raise, sorted.
func wantEvents(ops []store.Op) []string {
	set := map[string]bool{}
	for _, op := range ops {
		kind, _, _ := strings.Cut(op.Kind, ".")
		if ev := uiEventOf[kind]; ev != "" {
			set[ev] = true
		}
	}
	var out []string
	for ev := range set {
		out = append(out, ev)
	}
	sort.Strings(out)
	return out
}

// take returns the UI events since the last call, sorted. Each step of
// the test is one commit, so each event must appear at most once.
func (r *recordingEmitter) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		if e != NetworkChanged {
			out = append(out, e)
		}
	}
	r.events = nil
	sort.Strings(out)
	return out
}

// One commit path: whatever mix of local writes on two replicas and
// partial, repeated, out-of-order deliveries between them, each side's
// projections (roster, check-ins, event) equal ones rebuilt from its file,
// and every step raised exactly the UI events of the ops it committed.
func TestProjectionsFollowEveryCommitLocalOrRemote(t *testing.T) {
	for seed := int64(1); seed <= 8; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewSource(seed))
			a, wsA, emA := newTestServices(t)
			createEvent(t, a)
			stA, _ := wsA.Store()
			b, wsB, emB := replicaOf(t, stA)
			stB, _ := wsB.Store()
			sides := []struct {
				svc *Services
				ws  *Workspace
				em  *recordingEmitter
				st  *store.Store
			}{{a, wsA, emA, stA}, {b, wsB, emB, stB}}
			emA.take()
			emB.take()
			for step := 0; step < 120; step++ {
				i := rng.Intn(2)
				me, other := sides[i], sides[1-i]
				before := opIDs(t, me.st)
				switch r := rng.Intn(10); {
				case r < 3: // a new person, or an edit
					people, _ := me.svc.Roster.List(ParticipantQuery{Limit: 500})
					p := model.Participant{Name: fmt.Sprintf("参会人%d", step), Org: "青岛某公司", Role: model.RoleSME, Mobile: fmt.Sprintf("138%08d", rng.Intn(1e8))}
					if len(people.Items) > 0 && rng.Intn(2) == 0 {
						p = people.Items[rng.Intn(len(people.Items))]
						p.Title = fmt.Sprintf("职务%d", step)
					}
					if _, err := me.svc.Roster.Save(p); err != nil {
						t.Fatalf("step %d save: %v", step, err)
					}
				case r < 4: // a delete
					people, _ := me.svc.Roster.List(ParticipantQuery{Limit: 500})
					if len(people.Items) == 0 {
						continue
					}
					if err := me.svc.Roster.Delete(people.Items[rng.Intn(len(people.Items))].ID); err != nil {
						t.Fatalf("step %d delete: %v", step, err)
					}
				case r < 6: // a check-in at this side's desk
					people, _ := me.svc.Roster.List(ParticipantQuery{Limit: 500})
					if len(people.Items) == 0 {
						continue
					}
					if _, err := me.svc.Checkin.CheckIn(people.Items[rng.Intn(len(people.Items))].ID, fmt.Sprint(i+1)); err != nil {
						t.Fatalf("step %d check-in: %v", step, err)
					}
				case r < 7: // undo this desk's last
					if _, err := me.svc.Checkin.UndoLast(fmt.Sprint(i+1), ""); err != nil && !strings.Contains(err.Error(), "没有可撤销") {
						t.Fatalf("step %d undo: %v", step, err)
					}
				case r < 8: // the event renamed
					ev, _ := me.svc.Event.Current()
					in := EventInput{Name: fmt.Sprintf("深度行·第%d版", step), StartDate: ev.Event.StartDate, City: ev.Event.City, Formats: ev.Event.Formats}
					if _, err := me.svc.Event.Update(in); err != nil {
						t.Fatalf("step %d rename: %v", step, err)
					}
				default: // a delivery from the other side: a random part, maybe again, maybe out of order
					vv, _ := me.st.VersionVector()
					ops, _, _ := other.st.OpsSince(vv, 1<<20)
					if len(ops) == 0 {
						continue
					}
					part := ops[rng.Intn(len(ops)):]
					if rng.Intn(3) == 0 {
						rng.Shuffle(len(part), func(x, y int) { part[x], part[y] = part[y], part[x] })
					}
					if _, err := me.st.Ingest(context.Background(), part); err != nil {
						t.Fatalf("step %d ingest: %v", step, err)
					}
				}
				// The ops this step added to the log, whatever the vectors say.
				var ops []store.Op
				if err := me.st.Ops(func(op store.Op) error {
					if !before[op.ID()] {
						ops = append(ops, op)
					}
					return nil
				}); err != nil {
					t.Fatal(err)
				}
				got, want := me.em.take(), wantEvents(ops)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("step %d on side %d: events %v, want %v for %d ops", step, i, got, want, len(ops))
				}
				checkProjections(t, fmt.Sprintf("step %d side %d", step, i), me.ws)
			}
		})
	}
}

func opIDs(t *testing.T, st *store.Store) map[string]bool {
	t.Helper()
	ids := map[string]bool{}
	if err := st.Ops(func(op store.Op) error { ids[op.ID()] = true; return nil }); err != nil {
		t.Fatal(err)
	}
	return ids
}
