package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// StageBatch is how many changes a large ApplyAll writes per transaction.
const StageBatch = 5000

// InPlaceLimit is the most changes ApplyAll records in one transaction in
// the file itself, like Apply: fast, and at 20,000 people about 200 MB.
const InPlaceLimit = 20_000

// ApplyAll records every change next yields (a batch per call, an empty
// batch at the end) like Apply: all of them durable with their ops, or none.
//
// Why not Apply: bbolt keeps every page a transaction dirties in memory
// until it commits, then copies them again to write them; a 200,000-row
// import in one transaction needed 1.5 to 2 GB. A set larger than
// InPlaceLimit is written in batches into a copy of the file, which takes
// the file's place only once all of it is written and flushed. Until then
// the file is untouched (a crash, a refused change or a cancelled ctx
// leaves it as it was, and the copy is thrown away); this process's other
// writers wait, as they would for one long transaction; readers go on
// reading the file, and follow the swap. Memory is bounded by a batch, the
// caller's input and the changes' values, which are kept for the views'
// index and the commit hooks (a projection keeps them once it hears of
// them, so they cost no more than the caller's input had). The hooks then
// hear of the ops in a few large commits, with those values and without
// payloads (see Commit.Values).
//
// It returns how many ops were recorded.
func (s *Store) ApplyAll(ctx context.Context, next func() ([]Change, error)) (int, error) {
	var pending [][]Change
	total := 0
	for total <= InPlaceLimit {
		batch, err := next()
		if err != nil {
			return 0, err
		}
		if len(batch) == 0 {
			var all []Change
			for _, b := range pending {
				all = append(all, b...)
			}
			ops, err := s.Apply(ctx, all...)
			return len(ops), err
		}
		pending = append(pending, batch)
		total += len(batch)
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	more := func() ([]Change, error) {
		if len(pending) > 0 {
			b := pending[0]
			pending = pending[1:]
			return b, nil
		}
		return next()
	}
	s.writeMu.Lock()
	written, err := s.stage(ctx, more)
	s.writeMu.Unlock()
	if err != nil {
		return 0, fmt.Errorf("record a large set of changes: %w", err)
	}
	if err := s.announce(written); err != nil {
		if errors.Is(err, bolterrors.ErrDatabaseNotOpen) {
			return len(written), nil // closed meanwhile: the set is recorded, and nobody is left to tell
		}
		return len(written), fmt.Errorf("report the recorded changes: %w", err)
	}
	return len(written), nil
}

// stage writes the batches into a copy of the file and swaps it in; the
// caller holds writeMu. It returns where each op went, in the order of the log.
func (s *Store) stage(ctx context.Context, next func() ([]Change, error)) ([]viewKey, error) {
	copyPath := s.path + ".staging"
	_ = os.Remove(copyPath) // a copy left by a crash is of no use
	defer os.Remove(copyPath)
	if err := s.copyFile(copyPath); err != nil {
		return nil, err
	}
	cp, err := openBolt(copyPath, Options{Timeout: s.opts.Timeout, NoSync: true})
	if err != nil {
		return nil, fmt.Errorf("open the copy: %w", err)
	}
	closeCopy := func() error {
		if cp == nil {
			return nil
		}
		err := cp.Close()
		cp = nil
		return err
	}
	defer closeCopy()
	// First the log, batch by batch: its keys only grow, so each batch
	// writes a few pages at its end. An op whose view key lies beyond every
	// key its view holds (a new event's people, given ascending ids by the
	// import) goes into its view in the same batch: those keys only grow
	// too. The others wait for the views' pass below.
	edges, err := readViewEdges(cp)
	if err != nil {
		return nil, err
	}
	index := map[string][]byte{}
	var written []viewKey
	var later []int // indexes into written of the ops the views' pass applies
	for n := 0; ; n++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		changes, err := next()
		if err != nil {
			return nil, err
		}
		if len(changes) == 0 {
			break
		}
		if err := s.check(changes); err != nil {
			return nil, err
		}
		err = cp.Update(func(tx *bolt.Tx) error {
			ops, err := s.log(tx, changes)
			if err != nil {
				return err
			}
			w := viewWriter{tx: tx, idx: index}
			for i, op := range ops {
				if edges.beyond(op) {
					if err := w.applyFresh(op, changes[i].Value); err != nil {
						return fmt.Errorf("apply op %s: %w", op.ID(), err)
					}
				} else {
					later = append(later, len(written))
				}
				written = append(written, viewKey{kind: op.Kind, entity: op.Entity, seq: op.Seq, hlc: op.HLC, value: changes[i].Value})
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("batch %d: %w", n+1, err)
		}
	}
	if loggedHook != nil {
		loggedHook(len(written)-len(later), len(later))
	}
	// Then the other views, in the order of their keys: a view's pages are
	// written once each, where batches in the order of the input (random
	// ids) rewrote most of them at every batch and left the file half empty.
	sort.Slice(later, func(i, j int) bool {
		a, b := &written[later[i]], &written[later[j]]
		if a.kind != b.kind {
			return a.kind < b.kind
		}
		if a.entity != b.entity {
			return a.entity < b.entity
		}
		return a.seq < b.seq
	})
	// The dedup index's changes wait for the end of all the views, then go
	// in the index's own key order (name and mobile, unrelated to the ids the
	// views are in): written with each batch, they fell all over the index
	// and rewrote most of its pages every time.
	chunk := make([]viewKey, 0, min(StageBatch, len(later)))
	for lo := 0; lo < len(later); lo += StageBatch {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		chunk = chunk[:0]
		for _, i := range later[lo:min(lo+StageBatch, len(later))] {
			chunk = append(chunk, written[i])
		}
		err := cp.Update(func(tx *bolt.Tx) error {
			packBuckets(tx)
			log := tx.Bucket(bucketOps).Cursor()
			ops := make([]Op, len(chunk))
			values := make([]any, len(chunk))
			for i, k := range chunk {
				var err error
				if ops[i], err = s.stagedOp(k, log); err != nil {
					return err
				}
				values[i] = k.value
			}
			w := viewWriter{tx: tx, idx: index}
			return w.applyAll(ops, values)
		})
		if err != nil {
			return nil, fmt.Errorf("views of the ops from %d: %w", chunk[0].seq, err)
		}
	}
	keys := slices.Sorted(maps.Keys(index))
	for lo := 0; lo < len(keys); lo += StageBatch {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		err := cp.Update(func(tx *bolt.Tx) error {
			packBuckets(tx)
			w := viewWriter{tx: tx, idx: index}
			return w.writeIndex(keys[lo:min(lo+StageBatch, len(keys))])
		})
		if err != nil {
			// Not the key: it holds a name and a mobile, and errors are logged.
			return nil, fmt.Errorf("the index, entries %d to %d: %w", lo+1, min(lo+StageBatch, len(keys)), err)
		}
	}
	if err := cp.Sync(); err != nil {
		return nil, fmt.Errorf("flush the copy: %w", err)
	}
	if err := closeCopy(); err != nil {
		return nil, fmt.Errorf("close the copy: %w", err)
	}
	if err := s.swapIn(copyPath); err != nil {
		return nil, err
	}
	return written, nil
}

// loggedHook, when a test sets it, hears how many of a staged set's ops
// went into their views with the log and how many waited for the views'
// pass.
var loggedHook func(withLog, later int)

// viewEdges is, for each view that is written in place (not append-only),
// the largest entity its view or the clocks hold: an op for an entity
// beyond it is an append to that view, which can be written with the log
// (see stage), and has no clock or old value to look up.
type viewEdges map[string]string

// readViewEdges reads the edges of db's views.
func readViewEdges(db *bolt.DB) (viewEdges, error) {
	edges := viewEdges{}
	err := db.View(func(tx *bolt.Tx) error {
		views := tx.Bucket(bucketViews)
		if views == nil {
			return errors.New("no views")
		}
		clocks := views.Bucket(bucketClock)
		if clocks == nil {
			return errors.New("no clocks")
		}
		return views.ForEachBucket(func(name []byte) error {
			kind := string(name)
			if appendOnlyKinds[kind] || kind == string(bucketClock) {
				return nil
			}
			last, _ := views.Bucket(name).Cursor().Last()
			edges[kind] = max(string(last), lastClocked(clocks, kind))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read the views' last keys: %w", err)
	}
	return edges, nil
}

// lastClocked is the largest entity of kind that clocks hold a clock of
// ("" for none): their keys are kind/entity.
func lastClocked(clocks *bolt.Bucket, kind string) string {
	prefix := kind + "/"
	c := clocks.Cursor()
	k, _ := c.Seek([]byte(kind + "0")) // '0' follows '/': the first key after the kind's
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	if !bytes.HasPrefix(k, []byte(prefix)) {
		return ""
	}
	return string(k[len(prefix):])
}

// beyond reports whether op writes its view beyond every key the view
// holds, and if so moves the view's edge to it. Ops it does not know (an
// append-only view, an unknown kind or action) are not: they go the usual
// way, which checks them.
func (e viewEdges) beyond(op Op) bool {
	kind, action, ok := strings.Cut(op.Kind, ".")
	if !ok || (action != "put" && action != "delete") {
		return false
	}
	edge, known := e[kind]
	if !known || op.Entity <= edge {
		return false
	}
	e[kind] = op.Entity
	return true
}

// viewKey is where a staged op lands in the views, kept so the views can be
// written in key order once the whole log is written, and the Go value the
// op was encoded from (nil for a delete), for the views' index and the
// commit hooks: a projection holds those values anyway once it has heard
// of them, and reading each back from the file and decoding it cost a
// 200,000-row import an eighth of its CPU.
type viewKey struct {
	kind, entity string
	seq, hlc     uint64
	value        any
}

// stagedOp is the staged op k, for the views' pass. Its payload is
// encoded again from its value where it has one: encodeValue gives the
// bytes the log holds, and a look in the log for each op, in the views'
// order and so all over it, cost more. A delete has none; any other op is
// read back from log, a cursor on the log's bucket.
func (s *Store) stagedOp(k viewKey, log *bolt.Cursor) (Op, error) {
	op := Op{Station: s.station, Seq: k.seq, HLC: k.hlc, Kind: k.kind, Entity: k.entity}
	switch {
	case strings.HasSuffix(k.kind, ".delete"):
		return op, nil
	case k.value != nil:
		payload, err := encodeValue(k.value)
		if err != nil {
			return Op{}, fmt.Errorf("encode op %s-%d again: %w", s.station, k.seq, err)
		}
		op.Payload = payload
		return op, nil
	}
	return s.op(k, seekValue(log, opKey(s.station, k.seq)))
}

// op is the staged op k from its entry in the log, raw: its payload is
// taken from the entry as it lies, without decoding the entry (which, for
// a large import, cost more than writing it). The payload is valid for
// the transaction raw was read in.
func (s *Store) op(k viewKey, raw []byte) (Op, error) {
	op := Op{Station: s.station, Seq: k.seq, HLC: k.hlc, Kind: k.kind, Entity: k.entity}
	payload, err := payloadOf(raw)
	if err != nil {
		return Op{}, fmt.Errorf("read back op %s-%d: %w", s.station, k.seq, err)
	}
	op.Payload = payload
	return op, nil
}

// payloadOf is the payload of an op as appendOp encodes it: the last
// field, after the station, seq, hlc, kind and entity, whose strings
// cannot hold `"payload":` unescaped. A delete has none.
func payloadOf(raw []byte) (json.RawMessage, error) {
	const field = `,"payload":`
	i := bytes.Index(raw, []byte(field))
	if i < 0 {
		if bytes.HasSuffix(raw, []byte(`}`)) {
			return nil, nil
		}
		return nil, errors.New("not an op")
	}
	p := raw[i+len(field):]
	if len(p) < 2 || p[len(p)-1] != '}' {
		return nil, errors.New("not an op")
	}
	return p[:len(p)-1], nil
}

// copyFile writes the open file, as it is now, to path.
func (s *Store) copyFile(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("create the copy: %w", err)
	}
	err = s.view(func(tx *bolt.Tx) error {
		_, err := tx.WriteTo(f)
		return err
	})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("copy the event file: %w", err)
	}
	return nil
}

// swapIn closes the open file and puts the copy in its place. Readers that
// find the file closed meanwhile wait for the swap and read again. If the
// copy cannot take the file's name or does not open, the file is put back
// and opened again, unchanged.
func (s *Store) swapIn(copyPath string) error {
	done := make(chan struct{})
	s.swapMu.Lock()
	s.swapping = done
	s.swapMu.Unlock()
	defer func() {
		s.swapMu.Lock()
		s.swapping = nil
		s.swapMu.Unlock()
		close(done)
	}()
	old := s.db.Load()
	if err := old.Close(); err != nil {
		return fmt.Errorf("close the event file: %w", err)
	}
	reopen := func(cause error) error {
		db, err := openBolt(s.path, s.opts)
		if err != nil {
			return fmt.Errorf("%w; reopening the event file: %w", cause, err)
		}
		s.db.Store(db)
		return cause
	}
	before := s.path + ".before-staging"
	_ = os.Remove(before)
	if err := os.Rename(s.path, before); err != nil {
		return reopen(fmt.Errorf("set the event file aside: %w", err))
	}
	if err := os.Rename(copyPath, s.path); err != nil {
		return reopen(errors.Join(fmt.Errorf("put the copy in place: %w", err), os.Rename(before, s.path)))
	}
	syncDir(filepath.Dir(s.path))
	db, err := openBolt(s.path, s.opts)
	if err != nil {
		if rerr := os.Rename(before, s.path); rerr != nil {
			return fmt.Errorf("open the new event file: %w; the old one is %s: %w", err, before, rerr)
		}
		return reopen(fmt.Errorf("open the new event file: %w", err))
	}
	s.db.Store(db)
	_ = os.Remove(before)
	return nil
}

// syncDir makes a rename in dir durable where the system allows it (not on
// Windows, where a directory cannot be opened for it).
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// announceBatch is how many ops a hook hears of at once after a large
// ApplyAll: larger than a write batch, because some hooks do work per
// commit that grows with the event (a dashboard's totals, an index).
const announceBatch = 50_000

// announce runs the commit hooks over the staged ops (in the order they
// were written, as stage returns them), announceBatch at a time, with the
// values they were encoded from and without their payloads (see
// Commit.Values).
func (s *Store) announce(written []viewKey) error {
	for lo := 0; lo < len(written); lo += announceBatch {
		chunk := written[lo:min(lo+announceBatch, len(written))]
		ops := make([]Op, len(chunk))
		values := make([]any, len(chunk))
		for i, k := range chunk {
			ops[i] = Op{Station: s.station, Seq: k.seq, HLC: k.hlc, Kind: k.kind, Entity: k.entity}
			values[i] = k.value
			chunk[i].value = nil // heard of: the hooks keep what they need
		}
		s.committed(Commit{Ops: ops, Values: values})
	}
	return nil
}
