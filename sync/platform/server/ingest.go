package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/fuzhi/eventdesk/store"
	"github.com/fuzhi/eventdesk/sync/platform"
	"github.com/fuzhi/eventdesk/sync/wire"
)

// Ingest stores a checked batch in one transaction: the ops (each once,
// keyed by event, station and seq: a batch sent twice stores nothing new)
// and the checkpoint, which only moves forward. Either all of it commits
// or none, so a connection cut mid-batch is simply sent again.
//
// The batch goes to the organizer's own event of that id: whatever ids an
// organizer sends, it writes only to its own events.
func Ingest(ctx context.Context, db *pgxpool.Pool, org *Organizer, b *wire.Batch) (*wire.Ack, error) {
	ack := &wire.Ack{}
	event := org.EventKey(b.Event)
	err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO events (id, organizer) VALUES ($1,$2) ON CONFLICT (id) DO NOTHING`, event, org.ID); err != nil {
			return fmt.Errorf("register event: %w", err)
		}
		if len(b.Ops) > 0 {
			n, err := storeOps(ctx, tx, event, b.Ops)
			if err != nil {
				return err
			}
			ack.Accepted, ack.Duplicates = n, len(b.Ops)-n
			if err := forgetWithdrawnContacts(ctx, tx, event, b.Ops); err != nil {
				return err
			}
		}
		for st, seq := range b.Upto {
			if _, err := tx.Exec(ctx, `INSERT INTO checkpoints (event_id, station, seq) VALUES ($1,$2,$3)
				ON CONFLICT (event_id, station) DO UPDATE SET seq = GREATEST(checkpoints.seq, EXCLUDED.seq)`, event, st, int64(seq)); err != nil {
				return fmt.Errorf("store checkpoint: %w", err)
			}
		}
		var err error
		ack.Checkpoint, err = checkpointTx(ctx, tx, event)
		return err
	})
	if err != nil {
		return nil, err
	}
	return ack, nil
}

// uniqueViolation is PostgreSQL's SQLSTATE for a duplicate key.
const uniqueViolation = "23505"

// opColumns are the columns of an op's row, in the order rowsOf gives them.
var opColumns = []string{"event_id", "station", "seq", "hlc", "kind", "entity", "payload"}

func rowsOf(event string, ops []store.Op) [][]any {
	rows := make([][]any, len(ops))
	for i, op := range ops {
		var payload any
		if len(op.Payload) > 0 {
			payload = string(op.Payload)
		}
		rows[i] = []any{event, op.Station, int64(op.Seq), int64(op.HLC), op.Kind, op.Entity, payload}
	}
	return rows
}

// storeOps writes the ops the event does not have yet and returns how
// many. The event's row is locked first, so two uploads of one event take
// turns and the checkpoint says exactly what is stored: an op at or below
// its station's checkpoint is a duplicate (a batch sent again after its
// answer was lost), one above is new. The new ones are COPYed straight
// into ops, which costs what a plain COPY of them costs (staging every
// batch in a temporary table first and merging made an upload 4.5× a
// COPY). Should an op above the checkpoint be stored after all (a
// database written by an older server), the COPY fails on the key and
// the batch is merged the old way instead, in the same transaction.
func storeOps(ctx context.Context, tx pgx.Tx, event string, ops []store.Op) (int, error) {
	if _, err := tx.Exec(ctx, `SELECT 1 FROM events WHERE id=$1 FOR UPDATE`, event); err != nil {
		return 0, fmt.Errorf("take the event's turn: %w", err)
	}
	stored, err := checkpointTx(ctx, tx, event)
	if err != nil {
		return 0, err
	}
	type key struct {
		station string
		seq     uint64
	}
	seen := make(map[key]bool, len(ops))
	fresh := make([]store.Op, 0, len(ops))
	for _, op := range ops {
		k := key{op.Station, op.Seq}
		if op.Seq <= stored[op.Station] || seen[k] {
			continue
		}
		seen[k] = true
		fresh = append(fresh, op)
	}
	if len(fresh) == 0 {
		return 0, nil
	}
	if _, err := tx.Exec(ctx, `SAVEPOINT direct`); err != nil {
		return 0, err
	}
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"ops"}, opColumns, pgx.CopyFromRows(rowsOf(event, fresh)))
	if err == nil {
		_, err = tx.Exec(ctx, `RELEASE SAVEPOINT direct`)
		return len(fresh), err
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != uniqueViolation {
		return 0, fmt.Errorf("store ops: %w", err)
	}
	if _, err := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT direct`); err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE incoming (LIKE ops INCLUDING DEFAULTS) ON COMMIT DROP`); err != nil {
		return 0, err
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"incoming"}, opColumns, pgx.CopyFromRows(rowsOf(event, fresh))); err != nil {
		return 0, fmt.Errorf("stage ops: %w", err)
	}
	tag, err := tx.Exec(ctx, `INSERT INTO ops (event_id, station, seq, hlc, kind, entity, payload)
		SELECT event_id, station, seq, hlc, kind, entity, payload FROM incoming
		ON CONFLICT (event_id, station, seq) DO NOTHING`)
	if err != nil {
		return 0, fmt.Errorf("store ops: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

// forgetWithdrawnContacts removes the contacts of earlier ops of every
// participant whose op in this batch comes without consent: consent is
// what the person says now, not what an older op carried.
func forgetWithdrawnContacts(ctx context.Context, tx pgx.Tx, event string, ops []store.Op) error {
	var withdrawn []string
	for _, op := range ops {
		if op.Kind != store.KindParticipant+".put" {
			continue
		}
		var p struct {
			Consent bool `json:"consent"`
		}
		if json.Unmarshal(op.Payload, &p) == nil && !p.Consent {
			withdrawn = append(withdrawn, op.Entity)
		}
	}
	if len(withdrawn) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `UPDATE ops SET payload = payload - $3::text[]
		WHERE event_id=$1 AND kind='participant.put' AND entity = ANY($2) AND payload ?| $3::text[]`, event, withdrawn, wire.ContactFields())
	if err != nil {
		return fmt.Errorf("forget withdrawn contacts: %w", err)
	}
	return nil
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func checkpointTx(ctx context.Context, q querier, event string) (map[string]uint64, error) {
	rows, err := q.Query(ctx, `SELECT station, seq FROM checkpoints WHERE event_id=$1`, event)
	if err != nil {
		return nil, fmt.Errorf("read checkpoint: %w", err)
	}
	defer rows.Close()
	out := map[string]uint64{}
	for rows.Next() {
		var st string
		var seq int64
		if err := rows.Scan(&st, &seq); err != nil {
			return nil, err
		}
		out[st] = uint64(seq)
	}
	return out, rows.Err()
}

// Checkpoint is how far an organizer's upload of one of its events has
// got (empty for an event it never sent).
func Checkpoint(ctx context.Context, db *pgxpool.Pool, org *Organizer, event string) (map[string]uint64, error) {
	return checkpointTx(ctx, db, org.EventKey(event))
}

// ImportPackage stores a verified package like an upload of its ops.
func ImportPackage(ctx context.Context, db *pgxpool.Pool, org *Organizer, p *platform.Package) (*wire.Ack, error) {
	total := &wire.Ack{}
	for start := 0; start == 0 || start < len(p.Ops); start += wire.MaxBatchOps {
		end := min(start+wire.MaxBatchOps, len(p.Ops))
		b := &wire.Batch{Event: p.Manifest.Event, Ops: p.Ops[start:end], Upto: map[string]uint64{}}
		if end == len(p.Ops) {
			b.Upto = p.Manifest.Upto
		}
		ack, err := Ingest(ctx, db, org, b)
		if err != nil {
			return nil, err
		}
		total.Accepted += ack.Accepted
		total.Duplicates += ack.Duplicates
		total.Checkpoint = ack.Checkpoint
	}
	_, _ = db.Exec(ctx, `INSERT INTO package_imports (event_id, organizer, ops, accepted) VALUES ($1,$2,$3,$4)`, org.EventKey(p.Manifest.Event), org.ID, len(p.Ops), total.Accepted)
	return total, nil
}
