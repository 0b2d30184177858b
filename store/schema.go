package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/fuzhi/eventdesk/model"
)

// Bucket names, in one place so the schema is read from here and not guessed
// from scattered string literals.
var (
	bucketMeta  = []byte("meta")
	bucketOps   = []byte("ops")
	bucketVV    = []byte("vv")
	bucketViews = []byte("views")
	bucketIdx   = []byte("idx")
	// bucketLocal holds this machine's own settings (hub tokens, TLS key,
	// the hub a station syncs with). Never an op: it must not replicate.
	bucketLocal = []byte("local")

	bucketClock          = []byte("_clock")
	bucketParticipantKey = []byte("participant_key")
	// bucketParticipantKeyID replaces participant_key from migration 5:
	// <dedup key>\x00<id> -> id, so several holders of one key are all kept.
	bucketParticipantKeyID = []byte("participant_key_id")

	keySchemaVersion = []byte("schema_version")
	keyStation       = []byte("station")
	keyHLC           = []byte("hlc")
)

// View kinds: each is a sub-bucket of views/ and the entity kind of its ops.
const (
	KindEvent       = "event"
	KindParticipant = "participant"
	KindOrg         = "org"
	KindAchievement = "achievement"
	KindDemand      = "demand"
)

// Append-only kinds: every op adds an entry under <entity>|<hlc>|<op id>;
// nothing is overwritten, so replicas agree whatever order ops arrive in.
const (
	KindScan     = "scan"      // one badge scan or manual check-in; entity = participant
	KindScanUndo = "scan_undo" // undoes one scan; entity = participant, payload names the scan
	KindSecret   = "secret"    // LWW; the event's badge signing key
)

// Matchmaking kinds, all last-writer-wins: the session setup, requests,
// meetings (the published schedule, written by the hub) and outcomes (one
// per meeting; every edit is an op, so the history is the log).
const (
	KindSession = "session"
	KindRequest = "request"
	KindMeeting = "meeting"
	KindOutcome = "outcome"
)

// Venue-network kinds: exhibitors' leads (one per exhibitor and visitor,
// last writer wins so a note can be corrected) and stations' proposals to
// change the schedule, which only the hub applies or refuses.
const (
	KindLead     = "lead"
	KindProposal = "proposal"
)

// The programme kind: the day's sessions, a roadshow's running order and
// its stage progress inside its session (last writer wins; only the hub
// writes it); and the responses to SMEs' challenges (揭榜), one per
// responder and challenge.
const (
	KindProgramme = "programme"
	KindResponse  = "response"
	// KindChainMap holds the organizer's mappings of chains as typed to
	// the national dictionary; entity = the text, normalised.
	KindChainMap = "chainmap"
	// KindScore holds a roadshow panel's score sheets, one per talk and
	// judge; entity = <talk>|<judge>.
	KindScore = "score"
)

var viewKinds = []string{KindEvent, KindParticipant, KindOrg, KindAchievement, KindDemand, KindSecret, KindScan, KindScanUndo,
	KindSession, KindRequest, KindMeeting, KindOutcome, KindLead, KindProposal, KindProgramme, KindResponse, KindChainMap, KindScore}

var appendOnlyKinds = map[string]bool{KindScan: true, KindScanUndo: true}

// Migration moves the file from Version-1 to Version. Migrations run in
// order inside one transaction each, so a file is never half-migrated.
type Migration struct {
	Version int
	Name    string
	Up      func(tx *bolt.Tx) error
}

// Migrations is the ordered history of the schema. Append only: a released
// migration is never edited, because files in the field already ran it.
// Each names its own buckets as literals, so adding a view kind later
// cannot change what an old migration did; a new kind needs a new migration
// (TestEveryViewKindHasAMigration).
var Migrations = []Migration{
	{1, "base buckets: meta, ops, vv, views", migrateV1Base},
	{2, "participant dedup index, backfilled from existing participants", migrateParticipantKeyIndex},
	{3, "check-in: scan, scan_undo and secret views", migrateV3Checkin},
	{4, "matchmaking: session, request, meeting and outcome views", migrateV4Matchmaking},
	{5, "venue network: lead and proposal views, machine-local bucket, dedup index keyed by (key, id)", migrateV5VenueNetwork},
	{6, "programme: the day's sessions and roadshow running orders; challenge responses; chain mappings; roadshow scores", migrateV6Programme},
}

// The view buckets each release added, frozen. Migrations 1, 3, 4 and 5
// each (re)created the base buckets and every view known at their release,
// which is what they still do.
var (
	v1Views = []string{"_clock", "event", "participant", "org", "achievement", "demand"}
	v3Views = []string{"scan", "scan_undo", "secret"}
	v4Views = []string{"session", "request", "meeting", "outcome"}
	v5Views = []string{"lead", "proposal"}
	v6Views = []string{"programme", "response", "chainmap", "score"}
)

func migrateV1Base(tx *bolt.Tx) error { return createBase(tx, v1Views) }

func migrateV3Checkin(tx *bolt.Tx) error { return createBase(tx, v1Views, v3Views) }

func migrateV4Matchmaking(tx *bolt.Tx) error { return createBase(tx, v1Views, v3Views, v4Views) }

func migrateV5VenueNetwork(tx *bolt.Tx) error {
	if err := createBase(tx, v1Views, v3Views, v4Views, v5Views); err != nil {
		return err
	}
	if _, err := tx.CreateBucketIfNotExists([]byte("local")); err != nil {
		return fmt.Errorf("create bucket local: %w", err)
	}
	return migrateKeyIDIndex(tx)
}

func migrateV6Programme(tx *bolt.Tx) error {
	return createBase(tx, v1Views, v3Views, v4Views, v5Views, v6Views)
}

// createBase makes meta/, ops/, vv/ and the given views where missing.
func createBase(tx *bolt.Tx, views ...[]string) error {
	for _, name := range []string{"meta", "ops", "vv"} {
		if _, err := tx.CreateBucketIfNotExists([]byte(name)); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	for _, list := range views {
		if err := createViews(tx, list); err != nil {
			return err
		}
	}
	return nil
}

// createViews makes views/<name> for each name (views/ itself if missing).
func createViews(tx *bolt.Tx, names []string) error {
	views, err := tx.CreateBucketIfNotExists(bucketViews)
	if err != nil {
		return fmt.Errorf("create bucket views: %w", err)
	}
	for _, k := range names {
		if _, err := views.CreateBucketIfNotExists([]byte(k)); err != nil {
			return fmt.Errorf("create bucket views/%s: %w", k, err)
		}
	}
	return nil
}

// migrateKeyIDIndex (re)builds the (key, id) dedup index from the
// participant view and drops the one-id-per-key index it replaces.
func migrateKeyIDIndex(tx *bolt.Tx) error {
	idx, err := tx.CreateBucketIfNotExists(bucketIdx)
	if err != nil {
		return fmt.Errorf("create bucket idx: %w", err)
	}
	if idx.Bucket(bucketParticipantKey) != nil {
		if err := idx.DeleteBucket(bucketParticipantKey); err != nil {
			return fmt.Errorf("drop idx/participant_key: %w", err)
		}
	}
	keys, err := idx.CreateBucketIfNotExists(bucketParticipantKeyID)
	if err != nil {
		return fmt.Errorf("create bucket idx/participant_key_id: %w", err)
	}
	return forEachView(tx, KindParticipant, func(id string, p *model.Participant) error {
		return keys.Put([]byte(p.DedupKey()+"\x00"+id), []byte(id))
	})
}

// SchemaVersion is the version a file has after all migrations.
func SchemaVersion() int { return Migrations[len(Migrations)-1].Version }

func migrateParticipantKeyIndex(tx *bolt.Tx) error {
	idx, err := tx.CreateBucketIfNotExists(bucketIdx)
	if err != nil {
		return fmt.Errorf("create bucket idx: %w", err)
	}
	keys, err := idx.CreateBucketIfNotExists(bucketParticipantKey)
	if err != nil {
		return fmt.Errorf("create bucket idx/participant_key: %w", err)
	}
	return forEachView(tx, KindParticipant, func(id string, p *model.Participant) error {
		return keys.Put([]byte(p.DedupKey()), []byte(id))
	})
}

func readSchemaVersion(tx *bolt.Tx) int {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return 0
	}
	v := meta.Get(keySchemaVersion)
	if len(v) != 8 {
		return 0
	}
	return int(binary.BigEndian.Uint64(v))
}

func writeSchemaVersion(tx *bolt.Tx, v int) error {
	return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(uint64(v)))
}

// migrate brings db up to target (normally SchemaVersion()). It refuses a
// file written by a newer version of the program rather than guess.
func migrate(db *bolt.DB, target int) error {
	var current int
	if err := db.View(func(tx *bolt.Tx) error { current = readSchemaVersion(tx); return nil }); err != nil {
		return err
	}
	if current > SchemaVersion() {
		return fmt.Errorf("%w: 文件版本 %d，本程序支持到 %d，请升级赋智会务台", ErrTooNew, current, SchemaVersion())
	}
	for _, m := range Migrations {
		if m.Version <= current || m.Version > target {
			continue
		}
		err := db.Update(func(tx *bolt.Tx) error {
			if err := m.Up(tx); err != nil {
				return err
			}
			return writeSchemaVersion(tx, m.Version)
		})
		if err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, err)
		}
	}
	return nil
}

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}
