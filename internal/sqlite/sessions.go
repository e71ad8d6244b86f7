package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/audit"
)

var _ govern.SessionStore = (*AuditStore)(nil)

const sessionColumns = "id, user_name, host, pid, started, last_seen, ended"

// TouchSession records s's activity in one statement; see
// govern.SessionStore.
func (s *AuditStore) TouchSession(ctx context.Context, sess govern.SessionRecord, restart bool) (govern.SessionRecord, error) {
	var out govern.SessionRecord
	err := retry(ctx, func() error {
		row := s.db.QueryRowContext(ctx, `INSERT INTO sessions (id, user_name, host, pid, started, last_seen)
 VALUES (?, ?, ?, ?, ?, ?)
 ON CONFLICT (id) DO UPDATE SET
  last_seen = excluded.last_seen,
  host = CASE WHEN excluded.host <> '' THEN excluded.host ELSE host END,
  pid = CASE WHEN excluded.pid <> 0 THEN excluded.pid ELSE pid END,
  started = CASE WHEN ? THEN excluded.started ELSE started END,
  ended = NULL
 RETURNING `+sessionColumns,
			sess.ID, sess.User, sess.Host, sess.PID, sess.Started.UTC().Format(audit.TimeFormat),
			sess.LastSeen.UTC().Format(audit.TimeFormat), restart)
		var err error
		out, err = scanSession(row)
		return err
	})
	if err != nil {
		return govern.SessionRecord{}, s.fail("record session in", err)
	}
	return out, nil
}

// EndSession marks session id ended at t.
func (s *AuditStore) EndSession(ctx context.Context, id string, t time.Time) error {
	err := retry(ctx, func() error {
		_, err := s.db.ExecContext(ctx, "UPDATE sessions SET ended = ? WHERE id = ?", t.UTC().Format(audit.TimeFormat), id)
		return err
	})
	if err != nil {
		return s.fail("end session in", err)
	}
	return nil
}

// OpenSessions returns user's open sessions active since since, oldest
// start first.
func (s *AuditStore) OpenSessions(ctx context.Context, user string, since time.Time) ([]govern.SessionRecord, error) {
	return query(ctx, s, "read sessions from", func(rows *sql.Rows) (govern.SessionRecord, error) { return scanSession(rows) },
		"SELECT "+sessionColumns+` FROM sessions
 WHERE user_name = ? AND ended IS NULL AND last_seen >= ? ORDER BY started, id`, user, since.UTC().Format(audit.TimeFormat))
}

func scanSession(row interface{ Scan(...any) error }) (govern.SessionRecord, error) {
	var r govern.SessionRecord
	var started, seen string
	var ended sql.NullString
	if err := row.Scan(&r.ID, &r.User, &r.Host, &r.PID, &started, &seen, &ended); err != nil {
		return r, err
	}
	r.Started, r.LastSeen = parseTime(started), parseTime(seen)
	if ended.Valid {
		r.Ended = parseTime(ended.String)
	}
	return r, nil
}
