package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/govern-dev/govern/internal/audit"
	"github.com/govern-dev/govern/internal/migrate"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migrations returns the embedded migrations, by version.
func migrations() ([]migrate.Migration, error) { return migrate.Load(migrationFS, "migrations") }

// errNewer is the schema-version error; its message is complete.
type errNewer struct{ have, know int }

func (e errNewer) Error() string {
	return fmt.Sprintf("audit database schema version %d is newer than this govern (%d); upgrade govern", e.have, e.know)
}

// errForeign is returned for a SQLite database that is not ours.
var errForeign = errors.New("it holds other tables")

// migrate brings the schema up to date. It reads the version first without
// a lock, so that the common case (up to date) costs one read; otherwise it
// takes the write lock (BEGIN IMMEDIATE), so that processes opening a new
// file at the same moment apply each migration once.
func (s *AuditStore) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	latest := len(ms)
	v, err := version(ctx, s.db)
	if err != nil {
		return err
	}
	if v == latest {
		return nil
	}
	if v > latest {
		return errNewer{v, latest}
	}
	tx, err := s.db.BeginTx(ctx, nil) // BEGIN IMMEDIATE, see dsn
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if v, err = version(ctx, tx); err != nil {
		return err
	}
	if v > latest {
		return errNewer{v, latest}
	}
	if v == 0 {
		var n int
		err := tx.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").Scan(&n)
		if err != nil {
			return err
		}
		if n > 0 {
			return errForeign
		}
		if _, err := tx.ExecContext(ctx, `CREATE TABLE govern_schema (
	version INTEGER PRIMARY KEY,
	name    TEXT NOT NULL,
	applied TEXT NOT NULL
) STRICT`); err != nil {
			return err
		}
	}
	for _, m := range ms[v:] {
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO govern_schema (version, name, applied) VALUES (?, ?, ?)",
			m.Version, m.Name, time.Now().UTC().Format(audit.TimeFormat))
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	return tx.Commit()
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// version returns the schema version, 0 for a database without our
// schema table.
func version(ctx context.Context, q querier) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'govern_schema'").Scan(&n)
	if err != nil || n == 0 {
		return 0, err
	}
	var v sql.NullInt64
	if err := q.QueryRowContext(ctx, "SELECT max(version) FROM govern_schema").Scan(&v); err != nil {
		return 0, err
	}
	return int(v.Int64), nil
}
