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
	where, args := audit.ListQuery(f, func(int) string { return "?" }, func(t time.Time) any {
		return t.UTC().Format(audit.TimeFormat)
	})
	q := "SELECT " + recordColumns + " FROM audit_records" + where
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, s.fail("list", err)
	}
	defer rows.Close()
	var out []govern.AuditRecord
	for rows.Next() {
		var r govern.AuditRecord
		if err := scanRecord(rows, &r); err != nil {
			return nil, s.fail("list", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail("list", err)
	}
	return out, nil
}

// Scan calls fn for each record with Seq ≥ from, in Seq order, as stored.
func (s *AuditStore) Scan(ctx context.Context, from int64, fn func(*govern.AuditRecord) error) error {
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
	rows, err := s.db.QueryContext(ctx, "SELECT seq, hash, time, note FROM audit_checkpoints ORDER BY seq, id")
	if err != nil {
		return nil, s.fail("read checkpoints from", err)
	}
	defer rows.Close()
	var out []govern.Checkpoint
	for rows.Next() {
		var c govern.Checkpoint
		var tm string
		if err := rows.Scan(&c.Seq, &c.Hash, &tm, &c.Note); err != nil {
			return nil, s.fail("read checkpoints from", err)
		}
		c.Time = parseTime(tm)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail("read checkpoints from", err)
	}
	return out, nil
}
