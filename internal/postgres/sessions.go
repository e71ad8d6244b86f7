package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govern-dev/govern"
)

var _ govern.SessionStore = (*AuditStore)(nil)

const sessionColumns = "id, user_name, host, pid, started, last_seen, ended"

// TouchSession records s's activity in one statement; see
// govern.SessionStore.
func (s *AuditStore) TouchSession(ctx context.Context, sess govern.SessionRecord, restart bool) (govern.SessionRecord, error) {
	if s.closed.Load() {
		return govern.SessionRecord{}, errClosed
	}
	rows, err := s.pool.Query(ctx, `INSERT INTO sessions AS s (id, user_name, host, pid, started, last_seen)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (id) DO UPDATE SET
			last_seen = excluded.last_seen,
			host = CASE WHEN excluded.host <> '' THEN excluded.host ELSE s.host END,
			pid = CASE WHEN excluded.pid <> 0 THEN excluded.pid ELSE s.pid END,
			started = CASE WHEN $7::boolean THEN excluded.started ELSE s.started END,
			ended = NULL
		RETURNING `+sessionColumns,
		sess.ID, sess.User, sess.Host, sess.PID, sess.Started.UTC().Truncate(time.Microsecond),
		sess.LastSeen.UTC().Truncate(time.Microsecond), restart)
	if err != nil {
		return govern.SessionRecord{}, s.fail("record session", err)
	}
	out, err := pgx.CollectExactlyOneRow(rows, scanSession)
	if err != nil {
		return govern.SessionRecord{}, s.fail("record session", err)
	}
	return out, nil
}

// EndSession marks session id ended at t.
func (s *AuditStore) EndSession(ctx context.Context, id string, t time.Time) error {
	if s.closed.Load() {
		return errClosed
	}
	if _, err := s.pool.Exec(ctx, "UPDATE sessions SET ended = $1 WHERE id = $2", t.UTC().Truncate(time.Microsecond), id); err != nil {
		return s.fail("end session", err)
	}
	return nil
}

// OpenSessions returns user's open sessions active since since, oldest
// start first.
func (s *AuditStore) OpenSessions(ctx context.Context, user string, since time.Time) ([]govern.SessionRecord, error) {
	if s.closed.Load() {
		return nil, errClosed
	}
	rows, err := s.pool.Query(ctx, "SELECT "+sessionColumns+` FROM sessions
		WHERE user_name = $1 AND ended IS NULL AND last_seen >= $2 ORDER BY started, id`, user, since)
	if err != nil {
		return nil, s.fail("read sessions", err)
	}
	out, err := pgx.CollectRows(rows, scanSession)
	if err != nil {
		return nil, s.fail("read sessions", err)
	}
	return out, nil
}

func scanSession(row pgx.CollectableRow) (govern.SessionRecord, error) {
	var r govern.SessionRecord
	var pid int64
	var ended *time.Time
	if err := row.Scan(&r.ID, &r.User, &r.Host, &pid, &r.Started, &r.LastSeen, &ended); err != nil {
		return r, err
	}
	r.PID = int(pid)
	r.Started, r.LastSeen = r.Started.UTC(), r.LastSeen.UTC()
	if ended != nil {
		r.Ended = ended.UTC()
	}
	return r, nil
}
