// Package server is the reference national platform: organizer tokens,
// ingest of op batches and data packages into PostgreSQL (each op stored
// once, whatever is sent twice), and the national figures.
package server

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/fuzhi/eventdesk/sync/platform"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Migration is one step of the platform's database schema.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations run in order, each in its own transaction; append only.
var Migrations = []Migration{
	{1, "organizers, events, ops, checkpoints", `
CREATE TABLE organizers (
  id         text PRIMARY KEY,
  name       text NOT NULL,
  province   text NOT NULL DEFAULT '',
  key_digest text NOT NULL,              -- sha256(token secret): checks tokens and package signatures
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE TABLE events (
  id         text PRIMARY KEY,
  organizer  text NOT NULL REFERENCES organizers(id),
  first_seen timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE ops (
  event_id    text   NOT NULL REFERENCES events(id),
  station     text   NOT NULL,
  seq         bigint NOT NULL,
  hlc         bigint NOT NULL,
  kind        text   NOT NULL,
  entity      text   NOT NULL,
  payload     jsonb,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (event_id, station, seq)
);
CREATE INDEX ops_kind ON ops (event_id, kind, entity);
CREATE TABLE checkpoints (
  event_id text   NOT NULL REFERENCES events(id),
  station  text   NOT NULL,
  seq      bigint NOT NULL,
  PRIMARY KEY (event_id, station)
);`},
	{2, "package imports log", `
CREATE TABLE package_imports (
  id          bigserial PRIMARY KEY,
  event_id    text NOT NULL,
  organizer   text NOT NULL,
  ops         int  NOT NULL,
  accepted    int  NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now()
);`},
	// An event id is only unique within one organizer's events (it is
	// printed in every badge, so anyone can send it): events.id, and the
	// event_id of ops and checkpoints, become "<organizer>/<event id>".
	// Packages are verified with a public key of their own, so the token
	// check's digest no longer signs anything.
	{3, "events belong to their organizer; package verifying keys", `
ALTER TABLE ops DROP CONSTRAINT ops_event_id_fkey;
ALTER TABLE checkpoints DROP CONSTRAINT checkpoints_event_id_fkey;
UPDATE ops o SET event_id = e.organizer || '/' || e.id FROM events e WHERE o.event_id = e.id;
UPDATE checkpoints c SET event_id = e.organizer || '/' || e.id FROM events e WHERE c.event_id = e.id;
UPDATE events SET id = organizer || '/' || id;
ALTER TABLE ops ADD CONSTRAINT ops_event_id_fkey FOREIGN KEY (event_id) REFERENCES events(id);
ALTER TABLE checkpoints ADD CONSTRAINT checkpoints_event_id_fkey FOREIGN KEY (event_id) REFERENCES events(id);
ALTER TABLE organizers ADD COLUMN package_key text NOT NULL DEFAULT '';`},
	// The ops table is the platform's only large one and an upload COPYs
	// into it; the foreign key to events made PostgreSQL check every row
	// (64 % more than the COPY itself, 300,000 rows). storeOps writes an
	// op only in the transaction that registered its event and holds that
	// row FOR UPDATE, and events are never deleted, so no row can lose its
	// event; the checkpoints keep their key (one row per station).
	{4, "ops are written only under their event's lock: no per-row key check", `
ALTER TABLE ops DROP CONSTRAINT ops_event_id_fkey;`},
}

// Migrate brings the database to the latest schema.
func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	if _, err := db.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	for _, m := range Migrations {
		err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
			// One migrator at a time, even with two servers starting together.
			if _, err := tx.Exec(ctx, `LOCK TABLE schema_migrations IN EXCLUSIVE MODE`); err != nil {
				return err
			}
			var done bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version=$1)`, m.Version).Scan(&done); err != nil || done {
				return err
			}
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.Version, m.Name)
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, err)
		}
	}
	return nil
}

// Organizer is one organizer allowed to report events.
type Organizer struct {
	ID        string
	Name      string
	Province  string
	KeyDigest []byte // sha256 of the token secret: checks tokens only
	// PackageKey verifies the organizer's data packages (the public half
	// of a key derived from the secret; empty for an organizer made before
	// migration 3 until its token is next used).
	PackageKey ed25519.PublicKey
}

// EventKey is how the platform names an organizer's event: event ids are
// the organizer's own, another organizer sending the same id writes to an
// event of its own.
func (o *Organizer) EventKey(event string) string { return o.ID + "/" + event }

// ErrBadToken covers a missing, malformed, unknown or revoked token.
var ErrBadToken = errors.New("令牌无效或已停用，请向平台申请新的令牌")

// CreateOrganizer registers an organizer and returns its token, shown once.
func CreateOrganizer(ctx context.Context, db *pgxpool.Pool, name, province string) (string, error) {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	secret := strings.TrimRight(base32.StdEncoding.EncodeToString(b), "=")
	idb := make([]byte, 5)
	rand.Read(idb)
	id := "O" + strings.TrimRight(base32.StdEncoding.EncodeToString(idb), "=")
	sum := sha256.Sum256([]byte(secret))
	if _, err := db.Exec(ctx, `INSERT INTO organizers (id, name, province, key_digest, package_key) VALUES ($1,$2,$3,$4,$5)`,
		id, name, province, hex.EncodeToString(sum[:]), hex.EncodeToString(platform.VerifyingKey(secret))); err != nil {
		return "", fmt.Errorf("create organizer: %w", err)
	}
	return id + "." + secret, nil
}

// Authenticate checks an organizer token ("<id>.<secret>").
func Authenticate(ctx context.Context, db *pgxpool.Pool, token string) (*Organizer, error) {
	id, secret, ok := strings.Cut(token, ".")
	if !ok || id == "" || secret == "" {
		return nil, ErrBadToken
	}
	o, err := OrganizerByID(ctx, db, id)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(secret))
	if subtle.ConstantTimeCompare(sum[:], o.KeyDigest) != 1 {
		return nil, ErrBadToken
	}
	if len(o.PackageKey) == 0 {
		// Made before packages had keys of their own: the secret is here,
		// so derive the verifying key now.
		o.PackageKey = platform.VerifyingKey(secret)
		if _, err := db.Exec(ctx, `UPDATE organizers SET package_key=$2 WHERE id=$1`, o.ID, hex.EncodeToString(o.PackageKey)); err != nil {
			return nil, fmt.Errorf("store package key: %w", err)
		}
	}
	return o, nil
}

// OrganizerByID finds a live organizer.
func OrganizerByID(ctx context.Context, db *pgxpool.Pool, id string) (*Organizer, error) {
	var o Organizer
	var digest, pkgKey string
	err := db.QueryRow(ctx, `SELECT id, name, province, key_digest, package_key FROM organizers WHERE id=$1 AND revoked_at IS NULL`, id).Scan(&o.ID, &o.Name, &o.Province, &digest, &pkgKey)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrBadToken
	}
	if err != nil {
		return nil, fmt.Errorf("read organizer: %w", err)
	}
	o.KeyDigest, _ = hex.DecodeString(digest)
	o.PackageKey, _ = hex.DecodeString(pkgKey)
	return &o, nil
}
