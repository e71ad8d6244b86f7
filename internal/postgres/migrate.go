package postgres

import (
	"context"
	"embed"

	"github.com/jackc/pgx/v5"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations returns the embedded migrations, by version.
func migrations() ([]migrate.Migration, error) { return migrate.Load(migrationFiles, "migrations") }

// SchemaVersion is the schema version this build of govern writes.
func SchemaVersion() int {
	ms, _ := migrations()
	return len(ms)
}

// migrate brings the schema in the DSN's search_path up to date. An
// up-to-date database costs two queries. Otherwise replicas starting
// together take turns on a session advisory lock keyed by the schema, and
// each migration runs in its own transaction with its version row.
func (s *AuditStore) migrate(ctx context.Context) error {
	const op = "open audit store"
	ms, err := migrations()
	if err != nil {
		return govern.Errorf(govern.EInternal, "%s: %v", op, err)
	}
	c, err := s.acquire(ctx, op)
	if err != nil {
		return err
	}
	defer c.Release()
	conn := c.Conn()

	var schema *string
	var searchPath string
	var exists bool
	err = conn.QueryRow(ctx, `SELECT current_schema(), current_setting('search_path'), to_regclass('govern_migrations') IS NOT NULL`).
		Scan(&schema, &searchPath, &exists)
	if err != nil {
		return s.fail(op, err)
	}
	if schema == nil {
		return govern.Errorf(govern.ENotFound, "%s: PostgreSQL at %s: no schema in search_path %q exists", op, s.where.addr, searchPath)
	}
	have, err := s.version(ctx, conn, exists, len(ms))
	if err != nil || have == len(ms) {
		return err
	}

	key := "govern.audit.migrate." + *schema
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(hashtextextended($1, 0))`, key); err != nil {
		return s.fail(op, err)
	}
	defer func() {
		// Unlock even when ctx is done; if even that fails the pool drops
		// the connection, and the session's lock goes with it.
		_, err := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtextextended($1, 0))`, key)
		if err != nil {
			conn.Close(context.WithoutCancel(ctx))
		}
	}()
	// Under the lock, another replica may have migrated already.
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS govern_migrations (
		version    integer     PRIMARY KEY,
		name       text        NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return s.fail(op, err)
	}
	if have, err = s.version(ctx, conn, true, len(ms)); err != nil {
		return err
	}
	for _, m := range ms[have:] {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO govern_migrations (version, name) VALUES ($1, $2)`, m.Version, m.Name)
			return err
		})
		if err != nil {
			return s.fail(op+": migration "+m.Name, err)
		}
	}
	return nil
}

// version returns the schema version of the database (0 when it has no
// govern_migrations table), refusing one newer than this build knows.
func (s *AuditStore) version(ctx context.Context, conn *pgx.Conn, exists bool, known int) (int, error) {
	const op = "open audit store"
	if !exists {
		return 0, nil
	}
	var have int
	if err := conn.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM govern_migrations`).Scan(&have); err != nil {
		return 0, s.fail(op, err)
	}
	if have > known {
		return 0, govern.Errorf(govern.EInvalid, "%s: the audit database at %s has schema version %d, newer than this govern knows (%d): upgrade govern",
			op, s.where.addr, have, known)
	}
	return have, nil
}
