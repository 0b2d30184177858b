package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/fuzhi/eventdesk/model"
)

var (
	// ErrLocked means another window or process has the event file open.
	ErrLocked = errors.New("活动文件正被另一个窗口或程序使用")
	// ErrTooNew means the file was written by a newer version of the program.
	ErrTooNew = errors.New("活动文件来自更新版本的赋智会务台")
	// ErrNotEvent means the file is not a Fuzhi event file.
	ErrNotEvent = errors.New("不是赋智会务台的活动文件")
)

// Options tune Open; the zero value is what the app uses.
type Options struct {
	// Timeout is how long to wait for another process to release the file.
	Timeout time.Duration
	// Now replaces the wall clock in tests.
	Now func() time.Time
	// MigrateTo stops migrations at this version (tests of old schemas); 0 = latest.
	MigrateTo int
	// NoSync skips fsync, for benchmarks and throwaway demo data only.
	NoSync bool
	// Station names a new file's replica (a hub assigns its stations'
	// replica ids, so a station token can write only under its own); an
	// existing file keeps the id it has.
	Station string
}

// Store is one open event file.
type Store struct {
	// db is the open file. It changes only when a large staged Apply puts
	// its copy in the file's place (ApplyStaged); every access goes through
	// view and update, which follow the swap.
	db      atomic.Pointer[bolt.DB]
	opts    Options
	path    string
	station string
	clock   *HLC

	// writeMu serializes this process's writes, so a staged Apply can keep
	// every other writer waiting while it writes its copy and swaps it in.
	writeMu sync.Mutex
	// swapping is closed when a swap in progress ends; nil when none is.
	swapMu   sync.Mutex
	swapping chan struct{}

	hooksMu sync.RWMutex
	hooks   []func(Commit)
	guard   func(Op) error // SetGuard; under hooksMu
}

// Commit is what one committed transaction wrote. Every change to an event
// file, made here (Apply) or received from another machine (Ingest), is
// reported through the same hooks, so the in-memory projections and the UI
// events have one path to follow, not one per origin.
type Commit struct {
	// Ops are the ops the transaction added to the log, in order; for an
	// ingest only the ones this file did not have yet.
	Ops []Op
	// Values holds, for a local Apply or ApplyAll, the Go value of each
	// change (nil for a delete), so a projection need not decode what its
	// caller just encoded. It is nil for ingested ops, whose op may have
	// lost to a newer write: a projection reads those views back from the
	// store. The ops of a large ApplyAll (written to a copy of the file,
	// see ApplyAll) come without their payloads, which Values holds: reading
	// 200,000 of them back from the file cost a second.
	Values []any
	// Remote says the ops came from another machine.
	Remote bool
}

// OnCommit registers fn to run after every transaction that added ops, once
// it is durable, in the goroutine that made the change and before Apply or
// Ingest returns. Hooks must not call Apply or Ingest themselves.
func (s *Store) OnCommit(fn func(Commit)) {
	s.hooksMu.Lock()
	defer s.hooksMu.Unlock()
	s.hooks = append(s.hooks, fn)
}

// SetGuard makes Apply check every local change before writing any of it;
// a refusal writes nothing. A station's file is guarded with the hub's own
// rules for desks (sync/hub), so a change the hub would refuse is refused
// at the desk with the reason, instead of sitting in the log and blocking
// every later exchange.
func (s *Store) SetGuard(fn func(Op) error) {
	s.hooksMu.Lock()
	defer s.hooksMu.Unlock()
	s.guard = fn
}

// check runs the guard over the ops changes would become.
func (s *Store) check(changes []Change) error {
	s.hooksMu.RLock()
	guard := s.guard
	s.hooksMu.RUnlock()
	if guard == nil {
		return nil
	}
	for i, c := range changes {
		op := Op{Station: s.station, HLC: s.clock.Last(), Kind: opKind(c), Entity: c.Entity}
		if !c.Delete {
			payload, err := encodeValue(c.Value)
			if err != nil {
				return fmt.Errorf("change %d (%s %s): encode: %w", i, c.Kind, c.Entity, err)
			}
			op.Payload = payload
		}
		if err := guard(op); err != nil {
			return err
		}
	}
	return nil
}

// opKind is the op kind a change is written as.
func opKind(c Change) string {
	switch {
	case c.Delete:
		return c.Kind + ".delete"
	case appendOnlyKinds[c.Kind]:
		return c.Kind + ".add"
	}
	return c.Kind + ".put"
}

func (s *Store) committed(c Commit) {
	if len(c.Ops) == 0 {
		return
	}
	s.hooksMu.RLock()
	hooks := s.hooks
	s.hooksMu.RUnlock()
	for _, fn := range hooks {
		fn(c)
	}
}

// Op is one change in the log. Its id (Station, Seq) is unique across all
// stations of an event and doubles as the idempotency key for sync.
type Op struct {
	Station string          `json:"station"`
	Seq     uint64          `json:"seq"`
	HLC     uint64          `json:"hlc"`
	Kind    string          `json:"kind"` // "<view>.put" or "<view>.delete"
	Entity  string          `json:"entity"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// ID is the op's globally unique id.
func (o Op) ID() string { return fmt.Sprintf("%s-%d", o.Station, o.Seq) }

// Change is what a service asks the store to record.
type Change struct {
	Kind   string // a view kind, e.g. KindParticipant
	Entity string
	Delete bool
	Value  any // marshalled to JSON as the payload; ignored for Delete
}

// allocStep is how much an event file grows beyond what a commit needs.
const allocStep = 512 << 10

// Open opens (or creates) an event file, waiting up to opts.Timeout for a
// lock held by another process, and migrates it to the current schema.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if opts.Timeout == 0 {
		opts.Timeout = 3 * time.Second
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create folder for %s: %w", path, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkComplete(path); err != nil {
		return nil, err
	}
	db, err := openBolt(path, opts)
	if err != nil {
		return nil, err
	}
	target := opts.MigrateTo
	if target == 0 {
		target = SchemaVersion()
	}
	if err := migrate(db, target); err != nil {
		db.Close()
		return nil, fmt.Errorf("open event file %s: %w", path, err)
	}
	s := &Store{opts: opts, path: path}
	s.db.Store(db)
	err = db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		st := meta.Get(keyStation)
		if st == nil {
			st = []byte(opts.Station)
			if len(st) == 0 {
				st = []byte(newStationID())
			}
			if err := meta.Put(keyStation, st); err != nil {
				return err
			}
		}
		s.station = string(st)
		var last uint64
		if v := meta.Get(keyHLC); len(v) == 8 {
			last = binary.BigEndian.Uint64(v)
		}
		s.clock = NewHLC(last, opts.Now)
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open event file %s: read station: %w", path, err)
	}
	return s, nil
}

// openBolt opens the bbolt file under an event file with the options every
// open of it uses.
func openBolt(path string, opts Options) (*bolt.DB, error) {
	bopts := &bolt.Options{Timeout: opts.Timeout, NoSync: opts.NoSync, NoFreelistSync: true}
	if runtime.GOOS != "windows" {
		// Each time bbolt grows its map it copies every dirty node: a large
		// import remapped six times and spent a quarter of its time there.
		// On Windows the file itself is grown to the map size, so not there.
		bopts.InitialMmapSize = 256 << 20
	}
	db, err := bolt.Open(path, 0o600, bopts)
	if err != nil {
		if errors.Is(err, bolterrors.ErrTimeout) {
			return nil, fmt.Errorf("%w（%s）：请先关闭另一个窗口，或选择该文件的副本", ErrLocked, path)
		}
		if errors.Is(err, bolterrors.ErrInvalid) || errors.Is(err, bolterrors.ErrVersionMismatch) || errors.Is(err, bolterrors.ErrChecksum) {
			return nil, fmt.Errorf("%w：%s", ErrNotEvent, path)
		}
		return nil, fmt.Errorf("open event file %s: %w", path, err)
	}
	// bbolt grows the file by AllocSize (16 MB) whenever its map is larger
	// than that, and the 256 MB map above always is: a new, empty event
	// took 16.8 MB. A large import commits once and grows once to what it
	// needs, so small steps cost only the scans an extra truncate per few
	// dozen commits.
	db.AllocSize = allocStep
	return db, nil
}

// view runs a read transaction on the open file, following a swap that
// closed the file it found.
func (s *Store) view(fn func(*bolt.Tx) error) error {
	for {
		db := s.db.Load()
		err := db.View(fn)
		if errors.Is(err, bolterrors.ErrDatabaseNotOpen) && s.waitSwap(db) {
			continue
		}
		return err
	}
}

// update runs a write transaction on the open file, after any staged
// Apply in progress.
func (s *Store) update(fn func(*bolt.Tx) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.db.Load().Update(fn)
}

// waitSwap waits for a swap in progress and reports whether the file
// changed from db, so a call that found its file closed by the swap can
// run again on the new one.
func (s *Store) waitSwap(db *bolt.DB) bool {
	s.swapMu.Lock()
	ch := s.swapping
	s.swapMu.Unlock()
	if ch != nil {
		<-ch
	}
	return s.db.Load() != db
}

// NewStationID makes a replica id as a new file would take one (a hub uses
// it to assign its stations theirs).
func NewStationID() string { return newStationID() }

// newStationID names this copy of the file; short and alphanumeric because
// it travels inside op ids and badge scans.
func newStationID() string {
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err)) // the OS has no entropy: nothing sensible to do
	}
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = alphabet[int(c)%len(alphabet)]
	}
	return "S" + string(out)
}

// Close releases the file, after any write in progress: closing in the
// middle of a large ApplyAll would otherwise leave its swapped-in file open.
func (s *Store) Close() error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.db.Load().Close()
}

// Path is the event file on disk.
func (s *Store) Path() string { return s.path }

// Station is the id this file writes its ops under.
func (s *Store) Station() string { return s.station }

// Clock is the store's hybrid logical clock.
func (s *Store) Clock() *HLC { return s.clock }

// Apply records changes as ops and updates the views, all in one
// transaction: either every change is durable with its op, or none is.
func (s *Store) Apply(ctx context.Context, changes ...Change) ([]Op, error) {
	if len(changes) == 0 {
		return nil, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := s.check(changes); err != nil {
		return nil, err
	}
	var ops []Op
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		ops, err = s.record(tx, changes)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("record %d change(s): %w", len(changes), err)
	}
	values := make([]any, len(changes))
	for i, c := range changes {
		if !c.Delete {
			values[i] = c.Value
		}
	}
	s.committed(Commit{Ops: ops, Values: values})
	return ops, nil
}

// record writes changes as this station's next ops in tx and brings the
// views up to date.
func (s *Store) record(tx *bolt.Tx, changes []Change) ([]Op, error) {
	ops, err := s.log(tx, changes)
	if err != nil {
		return nil, err
	}
	values := make([]any, len(changes))
	for i, c := range changes {
		values[i] = c.Value
	}
	return ops, applyOps(tx, ops, values)
}

// log writes changes as this station's next ops in tx, without the views.
func (s *Store) log(tx *bolt.Tx, changes []Change) ([]Op, error) {
	packBuckets(tx)
	vv := tx.Bucket(bucketVV)
	var seq uint64
	if v := vv.Get([]byte(s.station)); len(v) == 8 {
		seq = binary.BigEndian.Uint64(v)
	}
	ops := make([]Op, 0, len(changes))
	for i, c := range changes {
		seq++
		op := Op{Station: s.station, Seq: seq, HLC: s.clock.Next(), Kind: opKind(c), Entity: c.Entity}
		if !c.Delete {
			payload, err := encodeValue(c.Value)
			if err != nil {
				return nil, fmt.Errorf("change %d (%s %s): encode: %w", i, c.Kind, c.Entity, err)
			}
			op.Payload = payload
		}
		if err := appendOp(tx, op, true); err != nil {
			return nil, fmt.Errorf("change %d (%s %s): %w", i, c.Kind, c.Entity, err)
		}
		ops = append(ops, op)
	}
	if err := vv.Put([]byte(s.station), u64(seq)); err != nil {
		return nil, err
	}
	return ops, tx.Bucket(bucketMeta).Put(keyHLC, u64(s.clock.Last()))
}

// Ingest stores ops from another station that this file lacks; ops it
// already has are skipped, so delivering the same batch twice is harmless.
// The version vector only advances over an unbroken run of seqs, so a
// batch that arrives with a gap (a cut connection, a reordering relay) is
// asked for again from the gap instead of being skipped for good.
// It returns how many were new.
func (s *Store) Ingest(ctx context.Context, ops []Op) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var fresh []Op
	err := s.update(func(tx *bolt.Tx) error {
		packBuckets(tx)
		opsB := tx.Bucket(bucketOps)
		touched := map[string]bool{}
		for _, op := range ops {
			if op.Station == "" || op.Seq == 0 || strings.ContainsRune(op.Station, '|') {
				return fmt.Errorf("ingest op %s: missing or bad station/seq", op.ID())
			}
			if opsB.Get(opKey(op.Station, op.Seq)) != nil {
				continue
			}
			if err := appendOp(tx, op, false); err != nil {
				return fmt.Errorf("ingest op %s: %w", op.ID(), err)
			}
			fresh = append(fresh, op)
			touched[op.Station] = true
			s.clock.Observe(op.HLC)
		}
		vv := tx.Bucket(bucketVV)
		for st := range touched {
			var seq uint64
			if v := vv.Get([]byte(st)); len(v) == 8 {
				seq = binary.BigEndian.Uint64(v)
			}
			next := seq
			for opsB.Get(opKey(st, next+1)) != nil {
				next++
			}
			if next != seq {
				if err := vv.Put([]byte(st), u64(next)); err != nil {
					return err
				}
			}
		}
		if err := applyOps(tx, fresh, nil); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keyHLC, u64(s.clock.Last()))
	})
	if err != nil {
		return 0, err
	}
	s.committed(Commit{Ops: fresh, Remote: true})
	return len(fresh), nil
}

// OpsSince returns the ops this file holds beyond vv (the other side's
// version vector), oldest first per station, at most limit of them; more
// says whether some were left for the next call.
func (s *Store) OpsSince(vv map[string]uint64, limit int) ([]Op, bool, error) {
	var out []Op
	more := false
	err := s.view(func(tx *bolt.Tx) error {
		mine := tx.Bucket(bucketVV)
		c := tx.Bucket(bucketOps).Cursor()
		return mine.ForEach(func(st, v []byte) error {
			if more {
				return nil
			}
			have := binary.BigEndian.Uint64(v)
			from := vv[string(st)]
			if from >= have {
				return nil
			}
			prefix := append(append([]byte(nil), st...), '|')
			for k, raw := c.Seek(opKey(string(st), from+1)); k != nil && bytes.HasPrefix(k, prefix); k, raw = c.Next() {
				if binary.BigEndian.Uint64(k[len(prefix):]) > have {
					break
				}
				if len(out) >= limit {
					more = true
					return nil
				}
				var op Op
				if err := DecodeOp(raw, &op); err != nil {
					return fmt.Errorf("decode op %s: %w", k, err)
				}
				out = append(out, op)
			}
			return nil
		})
	})
	return out, more, err
}

// Missing counts the ops this file holds that a replica at vv lacks.
func (s *Store) Missing(vv map[string]uint64) (int, error) {
	mine, err := s.VersionVector()
	return Behind(mine, vv), err
}

// Behind counts the ops a replica at other lacks from one at have.
func Behind(have, other map[string]uint64) int {
	n := 0
	for st, seq := range have {
		if seq > other[st] {
			n += int(seq - other[st])
		}
	}
	return n
}

// PutLocal keeps a machine-local setting; it is never an op and never syncs.
func (s *Store) PutLocal(key string, value any) error {
	raw, err := json.Marshal(value)
	if err != nil {
		return fmt.Errorf("encode local %s: %w", key, err)
	}
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketLocal)
		if err != nil {
			return err
		}
		return b.Put([]byte(key), raw)
	})
}

// UpdateLocal reads a machine-local setting into rec, lets change edit it
// and writes it back, all in one transaction: two writers of the same
// record (a revocation and a "last seen" mark) cannot undo each other.
// change gets whether the setting existed and returns whether to write.
func (s *Store) UpdateLocal(key string, rec any, change func(found bool) bool) error {
	err := s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketLocal)
		if err != nil {
			return err
		}
		raw := b.Get([]byte(key))
		if raw != nil {
			if err := json.Unmarshal(raw, rec); err != nil {
				return err
			}
		}
		if !change(raw != nil) {
			return nil
		}
		out, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		return b.Put([]byte(key), out)
	})
	if err != nil {
		return fmt.Errorf("update local %s: %w", key, err)
	}
	return nil
}

// DeleteLocal removes a machine-local setting (a station promoted to hub
// forgets the hub it followed).
func (s *Store) DeleteLocal(key string) error {
	err := s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketLocal)
		if err != nil {
			return err
		}
		return b.Delete([]byte(key))
	})
	if err != nil {
		return fmt.Errorf("delete local %s: %w", key, err)
	}
	return nil
}

// GetLocal reads a machine-local setting; false when unset.
func (s *Store) GetLocal(key string, out any) (bool, error) {
	found := false
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketLocal)
		if b == nil {
			return nil
		}
		raw := b.Get([]byte(key))
		if raw == nil {
			return nil
		}
		found = true
		return json.Unmarshal(raw, out)
	})
	if err != nil {
		return false, fmt.Errorf("read local %s: %w", key, err)
	}
	return found, nil
}

// ForEachLocal walks the machine-local settings whose key starts with prefix.
func (s *Store) ForEachLocal(prefix string, fn func(key string, raw []byte) error) error {
	return s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketLocal)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Seek([]byte(prefix)); k != nil && bytes.HasPrefix(k, []byte(prefix)); k, v = c.Next() {
			if err := fn(string(k), v); err != nil {
				return err
			}
		}
		return nil
	})
}

// packFill is how full bbolt fills the pages it writes. Its default, half,
// suits keys inserted in random order; ours mostly arrive in order (the
// log by sequence, an import's views all at once), and half-empty pages
// made a 200,000-person import hold twice the pages in memory until it
// committed, and the file twice as large.
const packFill = 0.9

// packBuckets sets packFill on every bucket a write transaction may touch
// (bbolt keeps the setting per bucket per transaction). Only views and idx
// hold buckets; the others hold records, and walking their keys to look
// for nested buckets cost every check-in a pass over the whole log.
func packBuckets(tx *bolt.Tx) {
	_ = tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
		b.FillPercent = packFill
		return nil
	})
	for _, parent := range [][]byte{bucketViews, bucketIdx} {
		b := tx.Bucket(parent)
		if b == nil {
			continue
		}
		_ = b.ForEachBucket(func(k []byte) error {
			b.Bucket(k).FillPercent = packFill
			return nil
		})
	}
}

func opKey(station string, seq uint64) []byte {
	k := make([]byte, 0, len(station)+9)
	k = append(k, station...)
	k = append(k, '|')
	return binary.BigEndian.AppendUint64(k, seq)
}

// appendOp writes op to the log. An op from another station is encoded by
// encoding/json, which compacts its payload as the log keeps it; this
// station's own (local) already has json.Marshal's payload (see encodeOp).
func appendOp(tx *bolt.Tx, op Op, local bool) error {
	var raw []byte
	var err error
	if local {
		raw, err = encodeOp(op)
	} else {
		raw, err = json.Marshal(op)
	}
	if err != nil {
		return fmt.Errorf("encode op: %w", err)
	}
	if err := tx.Bucket(bucketOps).Put(opKey(op.Station, op.Seq), raw); err != nil {
		return fmt.Errorf("append op: %w", err)
	}
	return nil
}

// stamp orders writes: HLC first, station id to break ties, so every replica
// picks the same winner whatever order the ops arrive in.
type stamp struct {
	HLC     uint64 `json:"h"`
	Station string `json:"s"`
	Seq     uint64 `json:"q"`
	Deleted bool   `json:"d,omitempty"`
}

func (a stamp) after(b stamp) bool {
	if a.HLC != b.HLC {
		return a.HLC > b.HLC
	}
	if a.Station != b.Station {
		return a.Station > b.Station
	}
	return a.Seq > b.Seq
}

// applyOps brings the views up to date with ops. Views are last-writer-wins
// per entity, so the order ops are applied in does not change the result;
// applying them sorted by key (and the dedup index in one sorted flush)
// matters because bbolt only splits nodes at commit: random-order inserts
// into one large transaction cost O(n²) memmove (15 s for a 50,000-row
// import, against well under a second sorted). values, when not nil, holds
// the Go value each op's payload was encoded from (Commit.Values), so the
// dedup index is computed without decoding the payload again.
func applyOps(tx *bolt.Tx, ops []Op, values []any) error {
	w := viewWriter{tx: tx, idx: make(map[string][]byte, len(ops))}
	if err := w.applyAll(ops, values); err != nil {
		return err
	}
	return w.flush()
}

// applyAll applies ops sorted by key, leaving the index's changes pending
// in w.idx.
func (w *viewWriter) applyAll(ops []Op, values []any) error {
	order := make([]int, len(ops))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := &ops[order[a]], &ops[order[b]]
		if x.Kind != y.Kind {
			return x.Kind < y.Kind
		}
		return x.Entity < y.Entity
	})
	for _, i := range order {
		var value any
		if values != nil {
			value = values[i]
		}
		if err := w.apply(ops[i], value); err != nil {
			return fmt.Errorf("apply op %s: %w", ops[i].ID(), err)
		}
	}
	return nil
}

// viewWriter applies ops to the views, buffering dedup-index changes.
type viewWriter struct {
	tx      *bolt.Tx
	idx     map[string][]byte // pending index entries; nil value = delete
	cursors map[*bolt.Bucket]*bolt.Cursor
}

// get is b.Get(key) through one cursor per bucket: Bucket.Get makes a new
// cursor each time (every op looks up its clock and its view's old value);
// reusing them halved what the cursors of a 50,000-row import allocated,
// 6 % of all it allocated.
func (w *viewWriter) get(b *bolt.Bucket, key []byte) []byte {
	c := w.cursors[b]
	if c == nil {
		if w.cursors == nil {
			w.cursors = map[*bolt.Bucket]*bolt.Cursor{}
		}
		c = b.Cursor()
		w.cursors[b] = c
	}
	return seekValue(c, key)
}

// seekValue is what Bucket.Get returns for key, through c: Seek starts from
// the bucket's root, so a Put since the cursor's last use does not matter.
func seekValue(c *bolt.Cursor, key []byte) []byte {
	k, v := c.Seek(key)
	if v == nil || !bytes.Equal(k, key) {
		return nil // absent, or a nested bucket (as Get)
	}
	return v
}

func (w *viewWriter) apply(op Op, value any) error { return w.write(op, value, false) }

// applyFresh is apply for an op whose entity neither its view nor the
// clocks have ever held (see viewEdges): there is nothing to look up.
func (w *viewWriter) applyFresh(op Op, value any) error { return w.write(op, value, true) }

func (w *viewWriter) write(op Op, value any, fresh bool) error {
	kind, action, ok := strings.Cut(op.Kind, ".")
	views := w.tx.Bucket(bucketViews)
	view := views.Bucket([]byte(kind))
	if view == nil {
		return fmt.Errorf("unknown view %q in op kind %q", kind, op.Kind)
	}
	if appendOnlyKinds[kind] {
		if !ok || action != "add" {
			return fmt.Errorf("unknown op kind %q", op.Kind)
		}
		return view.Put(AppendKey(op), op.Payload)
	}
	if !ok || (action != "put" && action != "delete") {
		return fmt.Errorf("unknown op kind %q", op.Kind)
	}
	clocks := views.Bucket(bucketClock)
	ck := []byte(kind + "/" + op.Entity)
	st := stamp{HLC: op.HLC, Station: op.Station, Seq: op.Seq, Deleted: action == "delete"}
	var prev []byte
	if !fresh {
		prev = w.get(clocks, ck)
	}
	if prev != nil {
		var old stamp
		if err := json.Unmarshal(prev, &old); err != nil {
			return fmt.Errorf("read clock of %s: %w", ck, err)
		}
		if !st.after(old) {
			return nil // an earlier write arriving late loses
		}
	}
	rawStamp := encodeStamp(st)
	if err := clocks.Put(ck, rawStamp); err != nil {
		return err
	}
	id := []byte(op.Entity)
	var old []byte
	if !fresh {
		old = w.get(view, id)
	}
	if kind == KindParticipant {
		if err := w.reindexParticipant(id, old, op.Payload, value, action == "delete"); err != nil {
			return err
		}
	}
	if action == "delete" {
		return view.Delete(id)
	}
	return view.Put(id, op.Payload)
}

// reindexParticipant keeps the dedup index in step with the view. From
// migration 5 the index holds one entry per (key, participant), so two
// people who share a key (the same person added at two desks while they
// were cut off) are both indexed and every replica answers the same: the
// smallest id. Before it, one id per key (kept so old files still open).
func (w *viewWriter) reindexParticipant(id, old, payload []byte, value any, deleted bool) error {
	idx := w.tx.Bucket(bucketIdx)
	if idx == nil {
		return nil // schema before migration 2
	}
	keyed := idx.Bucket(bucketParticipantKeyID) != nil
	entry := func(k string) string {
		if keyed {
			return k + "\x00" + string(id)
		}
		return k
	}
	if old != nil {
		if p, err := dedupFieldsOf(old); err == nil {
			k := entry(p.DedupKey())
			cur, pending := w.idx[k]
			if !pending {
				cur = w.get(w.indexBucket(), []byte(k))
			}
			if bytes.Equal(cur, id) {
				w.idx[k] = nil
			}
		}
	}
	if deleted {
		return nil
	}
	// The value the payload was encoded from, when the caller has it, says
	// the same as the payload: decoding it again cost a 200,000-row import
	// a twentieth of its CPU.
	p, ok := value.(model.Participant)
	if !ok {
		decoded, err := dedupFieldsOf(payload)
		if err != nil {
			return fmt.Errorf("decode participant %s: %w", id, err)
		}
		p = *decoded
	}
	w.idx[entry(p.DedupKey())] = append([]byte(nil), id...)
	return nil
}

// dedupFieldsOf decodes only what DedupKey reads of a participant (name,
// organization, mobile): a 200,000-row import decodes every person here
// (this function's share of its CPU went from 7.6 % to 6.4 %).
func dedupFieldsOf(payload []byte) (*model.Participant, error) {
	var f struct {
		Name   string `json:"name"`
		Org    string `json:"org"`
		Mobile string `json:"mobile"`
	}
	if err := json.Unmarshal(payload, &f); err != nil {
		return nil, err
	}
	return &model.Participant{Name: f.Name, Org: f.Org, Mobile: f.Mobile}, nil
}

func (w *viewWriter) indexBucket() *bolt.Bucket {
	idx := w.tx.Bucket(bucketIdx)
	if b := idx.Bucket(bucketParticipantKeyID); b != nil {
		return b
	}
	return idx.Bucket(bucketParticipantKey)
}

func (w *viewWriter) flush() error {
	if len(w.idx) == 0 {
		return nil
	}
	return w.writeIndex(slices.Sorted(maps.Keys(w.idx)))
}

// writeIndex writes the pending index entries of keys, in that order.
func (w *viewWriter) writeIndex(keys []string) error {
	b := w.indexBucket()
	for _, k := range keys {
		var err error
		if v := w.idx[k]; v == nil {
			err = b.Delete([]byte(k))
		} else {
			err = b.Put([]byte(k), v)
		}
		if err != nil {
			return fmt.Errorf("update the dedup index: %w", err) // not k: a name and a mobile
		}
	}
	return nil
}

// AppendKey is where an append-only op is kept: entity first (one person's
// scans sit together), then the clock, so a prefix scan returns them in time order.
func AppendKey(op Op) []byte {
	k := make([]byte, 0, len(op.Entity)+len(op.Station)+32)
	k = append(k, op.Entity...)
	k = append(k, '|')
	k = binary.BigEndian.AppendUint64(k, op.HLC)
	k = append(k, op.Station...)
	k = append(k, '|')
	return binary.BigEndian.AppendUint64(k, op.Seq)
}

// Entry is one append-only view entry with the op that made it.
type Entry struct {
	OpID    string
	Entity  string
	HLC     uint64
	Station string
	Payload []byte
}

// forEachEntry walks an append-only view in (entity, time) order; with a
// non-empty entity only that entity's entries.
func (s *Store) forEachEntry(kind, entity string, fn func(Entry) error) error {
	return s.view(func(tx *bolt.Tx) error {
		v := viewBucket(tx, kind)
		if v == nil {
			return fmt.Errorf("unknown view %q", kind)
		}
		c := v.Cursor()
		var prefix []byte
		if entity != "" {
			prefix = []byte(entity + "|")
		}
		for k, val := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, val = c.Next() {
			e, err := decodeAppendKey(k)
			if err != nil {
				return err
			}
			e.Payload = val
			if err := fn(e); err != nil {
				return err
			}
		}
		return nil
	})
}

func decodeAppendKey(k []byte) (Entry, error) {
	i := bytes.IndexByte(k, '|')
	if i < 0 || len(k) < i+1+8+1+8 {
		return Entry{}, fmt.Errorf("bad append key %q", k)
	}
	e := Entry{Entity: string(k[:i]), HLC: binary.BigEndian.Uint64(k[i+1 : i+9])}
	rest := k[i+9:]
	e.Station = string(rest[:len(rest)-9])
	e.OpID = fmt.Sprintf("%s-%d", e.Station, binary.BigEndian.Uint64(rest[len(rest)-8:]))
	return e, nil
}

// get decodes one view entry into out; false when it does not exist.
func (s *Store) get(kind, id string, out any) (bool, error) {
	found := false
	err := s.view(func(tx *bolt.Tx) error {
		v := viewBucket(tx, kind)
		if v == nil {
			return fmt.Errorf("unknown view %q", kind)
		}
		raw := v.Get([]byte(id))
		if raw == nil {
			return nil
		}
		found = true
		return json.Unmarshal(raw, out)
	})
	if err != nil {
		return false, fmt.Errorf("read %s %s: %w", kind, id, err)
	}
	return found, nil
}

// forEach calls fn with the raw JSON of every entry of a view, in id order.
func (s *Store) forEach(kind string, fn func(id string, raw []byte) error) error {
	return s.view(func(tx *bolt.Tx) error {
		v := viewBucket(tx, kind)
		if v == nil {
			return fmt.Errorf("unknown view %q", kind)
		}
		return v.ForEach(func(k, raw []byte) error { return fn(string(k), raw) })
	})
}

// count is the number of entries in a view.
func (s *Store) count(kind string) (int, error) {
	n := 0
	err := s.view(func(tx *bolt.Tx) error {
		v := viewBucket(tx, kind)
		if v == nil {
			return fmt.Errorf("unknown view %q", kind)
		}
		n = v.Stats().KeyN
		return nil
	})
	return n, err
}

func viewBucket(tx *bolt.Tx, kind string) *bolt.Bucket {
	return tx.Bucket(bucketViews).Bucket([]byte(kind))
}

func forEachView(tx *bolt.Tx, kind string, fn func(id string, p *model.Participant) error) error {
	return viewBucket(tx, kind).ForEach(func(k, raw []byte) error {
		var p model.Participant
		if err := json.Unmarshal(raw, &p); err != nil {
			return fmt.Errorf("decode %s %s: %w", kind, k, err)
		}
		return fn(string(k), &p)
	})
}

// ParticipantByKey finds the participant a dedup key points to.
func (s *Store) ParticipantByKey(key string) (string, bool) {
	var id string
	_ = s.view(func(tx *bolt.Tx) error {
		idx := tx.Bucket(bucketIdx)
		if idx == nil {
			return nil
		}
		if b := idx.Bucket(bucketParticipantKeyID); b != nil {
			prefix := []byte(key + "\x00")
			if k, v := b.Cursor().Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) {
				id = string(v)
			}
			return nil
		}
		id = string(idx.Bucket(bucketParticipantKey).Get([]byte(key)))
		return nil
	})
	return id, id != ""
}

// Ops calls fn for every op in the log, in (station, seq) order.
func (s *Store) Ops(fn func(Op) error) error {
	return s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketOps).ForEach(func(_, raw []byte) error {
			var op Op
			if err := DecodeOp(raw, &op); err != nil {
				return fmt.Errorf("decode op: %w", err)
			}
			return fn(op)
		})
	})
}

// VersionVector is the highest seq held from each station.
func (s *Store) VersionVector() (map[string]uint64, error) {
	vv := map[string]uint64{}
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketVV).ForEach(func(k, v []byte) error {
			vv[string(k)] = binary.BigEndian.Uint64(v)
			return nil
		})
	})
	return vv, err
}

// Rebuild throws the views and indexes away and replays every op. Used to
// repair a file and, in tests, to prove the views carry nothing the log lacks.
func (s *Store) Rebuild(ctx context.Context) error {
	return s.update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketViews, bucketIdx} {
			if tx.Bucket(name) != nil {
				if err := tx.DeleteBucket(name); err != nil {
					return fmt.Errorf("drop %s: %w", name, err)
				}
			}
		}
		if err := createViews(tx, append([]string{string(bucketClock)}, viewKinds...)); err != nil {
			return err
		}
		if v := readSchemaVersion(tx); v >= 5 {
			if err := migrateKeyIDIndex(tx); err != nil {
				return err
			}
		} else if v >= 2 {
			if err := migrateParticipantKeyIndex(tx); err != nil {
				return err
			}
		}
		var ops []Op
		err := tx.Bucket(bucketOps).ForEach(func(_, raw []byte) error {
			if len(ops)%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			var op Op
			if err := DecodeOp(raw, &op); err != nil {
				return fmt.Errorf("decode op: %w", err)
			}
			ops = append(ops, op)
			return nil
		})
		if err != nil {
			return err
		}
		return applyOps(tx, ops, nil)
	})
}

// Backup writes a consistent copy of the open file while it stays in use.
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("backup %s: %w", s.path, err)
	}
	return n, nil
}

// BackupFile writes a hot backup to path, compacted (a backup goes on a
// USB stick or to another laptop: it carries no empty pages), via a
// temporary file, so a crash mid-backup never leaves a half-written file
// under the final name.
func (s *Store) BackupFile(path string) (int64, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return 0, fmt.Errorf("backup to %s: %w", path, err)
	}
	_, n, err := s.CompactTo(context.Background(), path)
	if err != nil {
		return 0, fmt.Errorf("backup to %s: %w", path, err)
	}
	return n, nil
}

// Dump returns every view and index entry as "bucket/key=value" lines; tests
// compare dumps to show two files hold the same state.
func (s *Store) Dump() ([]string, error) {
	var out []string
	err := s.view(func(tx *bolt.Tx) error {
		for _, top := range [][]byte{bucketViews, bucketIdx} {
			b := tx.Bucket(top)
			if b == nil {
				continue
			}
			if err := dumpBucket(b, string(top), &out); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

func dumpBucket(b *bolt.Bucket, prefix string, out *[]string) error {
	return b.ForEach(func(k, v []byte) error {
		if v == nil {
			return dumpBucket(b.Bucket(k), prefix+"/"+string(k), out)
		}
		if prefix == "views/_clock" {
			var st stamp
			if err := json.Unmarshal(v, &st); err != nil {
				return err
			}
			v = []byte(fmt.Sprintf("%d/%s/%d/%v", st.HLC, st.Station, st.Seq, st.Deleted))
		}
		*out = append(*out, prefix+"/"+string(k)+"="+string(v))
		return nil
	})
}
