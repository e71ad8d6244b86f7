package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/audit"
)

const recordColumns = `seq, id, time, event, session, user_name, team, host, tool, input, result, outcome, reason,
 risk, rule, layer, personas, recommendations, policy_revision, latency_us, prev_hash, hash`

// List returns the records that match f, by Seq (newest first when
// f.Descending), at most f.Limit of them.
func (s *AuditStore) List(ctx context.Context, f govern.AuditFilter) ([]govern.AuditRecord, error) {
	if err := s.catchUp(ctx); err != nil {
		return nil, s.fail("list", err)
	}
	where, args := audit.ListQuery(f, func(int) string { return "?" }, func(t time.Time) any {
		return t.UTC().Format(audit.TimeFormat)
	})
	return query(ctx, s, "list", func(rows *sql.Rows) (r govern.AuditRecord, err error) {
		return r, scanRecord(rows, &r)
	}, "SELECT "+recordColumns+" FROM audit_records"+where, args...)
}

// query runs q and reads every row with scan; op names the operation in
// errors.
func query[T any](ctx context.Context, s *AuditStore, op string, scan func(*sql.Rows) (T, error), q string, args ...any) ([]T, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, s.fail(op, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, s.fail(op, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail(op, err)
	}
	return out, nil
}

// Scan calls fn for each record with Seq ≥ from, in Seq order, as stored.
func (s *AuditStore) Scan(ctx context.Context, from int64, fn func(*govern.AuditRecord) error) error {
	if err := s.catchUp(ctx); err != nil {
		return s.fail("scan", err)
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+recordColumns+" FROM audit_records WHERE seq >= ? ORDER BY seq", from)
	if err != nil {
		return s.fail("scan", err)
	}
	defer rows.Close()
	for rows.Next() {
		r := new(govern.AuditRecord) // fn may keep it
		if err := scanRecord(rows, r); err != nil {
			return s.fail("scan", err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return s.fail("scan", err)
	}
	return nil
}

// scanRecord reads one row of recordColumns into r. It never fails on
// content: a value this store would not have written (a tampered row) is
// handed back as faithfully as the record's types allow, so that
// verification reports the record as edited.
func scanRecord(rows *sql.Rows, r *govern.AuditRecord) error {
	var tm, outcome, risk, personas, recommendations string
	var input, result sql.NullString
	err := rows.Scan(&r.Seq, &r.ID, &tm, &r.Event, &r.Session, &r.User, &r.Team, &r.Host, &r.Tool, &input, &result,
		&outcome, &r.Reason, &risk, &r.Rule, &r.Layer, &personas, &recommendations, &r.PolicyRevision,
		&r.LatencyUS, &r.PrevHash, &r.Hash)
	if err != nil {
		return err
	}
	r.Time = parseTime(tm)
	r.Outcome, r.Risk = govern.Outcome(outcome), govern.Risk(risk)
	if input.Valid {
		r.Input = json.RawMessage(input.String)
	}
	if result.Valid {
		r.Result = json.RawMessage(result.String)
	}
	r.Personas = audit.DecodeList(personas)
	r.Recommendations = audit.DecodeList(recommendations)
	return nil
}

// parseTime reads a time column; anything but audit.TimeFormat reads as
// the zero time, which no longer matches the record's hash.
func parseTime(s string) time.Time {
	t, err := time.Parse(audit.TimeFormat, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// AddCheckpoint stores c beside the chain. Storing the same note twice
// keeps one copy.
func (s *AuditStore) AddCheckpoint(ctx context.Context, c govern.Checkpoint) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO audit_checkpoints (seq, hash, time, note) VALUES (?, ?, ?, ?)
 ON CONFLICT DO NOTHING`, c.Seq, c.Hash, c.Time.UTC().Format(audit.TimeFormat), c.Note)
	if err != nil {
		return s.fail("add checkpoint to", err)
	}
	return nil
}

// Checkpoints returns the stored checkpoints, by Seq.
func (s *AuditStore) Checkpoints(ctx context.Context) ([]govern.Checkpoint, error) {
	return query(ctx, s, "read checkpoints from", func(rows *sql.Rows) (c govern.Checkpoint, err error) {
		var tm string
		err = rows.Scan(&c.Seq, &c.Hash, &tm, &c.Note)
		c.Time = parseTime(tm)
		return c, err
	}, "SELECT seq, hash, time, note FROM audit_checkpoints ORDER BY seq, id")
}
