package postgres

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/audit"
)

// scanPage is how many records Scan reads per query.
const scanPage = 1000

// List returns the records that match f, by Seq (newest first when
// f.Descending), at most f.Limit of them (audit.DefaultLimit when 0, never more
// than audit.MaxLimit).
func (s *AuditStore) List(ctx context.Context, f govern.AuditFilter) ([]govern.AuditRecord, error) {
	const op = "list audit records"
	where, args := audit.ListQuery(f, func(n int) string { return "$" + strconv.Itoa(n) }, func(t time.Time) any { return t })
	q := "SELECT " + selectList + " FROM audit_records" + where
	return s.query(ctx, op, q, args...)
}

// Scan calls fn for every record with Seq ≥ from, in Seq order, exactly as
// stored. It reads a page at a time and calls fn between queries, so fn
// may use the store; an error from fn is returned as it is.
func (s *AuditStore) Scan(ctx context.Context, from int64, fn func(*govern.AuditRecord) error) error {
	const op = "scan audit records"
	q := "SELECT " + selectList + " FROM audit_records WHERE seq >= $1 ORDER BY seq LIMIT " + strconv.Itoa(scanPage)
	for {
		page, err := s.query(ctx, op, q, from)
		if err != nil {
			return err
		}
		for i := range page {
			if err := fn(&page[i]); err != nil {
				return err
			}
		}
		if len(page) < scanPage {
			return nil
		}
		from = page[len(page)-1].Seq + 1
	}
}

func (s *AuditStore) query(ctx context.Context, op, q string, args ...any) ([]govern.AuditRecord, error) {
	if s.closed.Load() {
		return nil, errClosed
	}
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, s.fail(op, err)
	}
	recs, err := pgx.CollectRows(rows, scanRecord)
	if err != nil {
		return nil, s.fail(op, err)
	}
	return recs, nil
}

func scanRecord(row pgx.CollectableRow) (govern.AuditRecord, error) {
	var r govern.AuditRecord
	var input, result *string
	var outcome, risk, personas, recommendations string
	err := row.Scan(&r.Seq, &r.ID, &r.Time, &r.Event, &r.Session, &r.User, &r.Team, &r.Host, &r.Tool,
		&input, &result, &outcome, &r.Reason, &risk, &r.Rule, &r.Layer, &personas, &recommendations,
		&r.PolicyRevision, &r.LatencyUS, &r.PrevHash, &r.Hash)
	if err != nil {
		return r, err
	}
	r.Time = r.Time.UTC()
	if input != nil {
		r.Input = json.RawMessage(*input)
	}
	if result != nil {
		r.Result = json.RawMessage(*result)
	}
	r.Outcome, r.Risk = govern.Outcome(outcome), govern.Risk(risk)
	r.Personas, r.Recommendations = audit.DecodeList(personas), audit.DecodeList(recommendations)
	return r, nil
}

// AddCheckpoint stores c beside the chain. Storing the same note twice keeps
// one copy.
func (s *AuditStore) AddCheckpoint(ctx context.Context, c govern.Checkpoint) error {
	if s.closed.Load() {
		return errClosed
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO audit_checkpoints (seq, hash, time, note) VALUES ($1, $2, $3, $4)
		ON CONFLICT DO NOTHING`, c.Seq, c.Hash, c.Time.UTC().Truncate(time.Microsecond), c.Note)
	if err != nil {
		return s.fail("add audit checkpoint", err)
	}
	return nil
}

// Checkpoints returns the stored checkpoints, by Seq.
func (s *AuditStore) Checkpoints(ctx context.Context) ([]govern.Checkpoint, error) {
	const op = "read audit checkpoints"
	if s.closed.Load() {
		return nil, errClosed
	}
	rows, err := s.pool.Query(ctx, `SELECT seq, hash, time, note FROM audit_checkpoints ORDER BY seq, time, note`)
	if err != nil {
		return nil, s.fail(op, err)
	}
	cps, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (govern.Checkpoint, error) {
		var c govern.Checkpoint
		err := row.Scan(&c.Seq, &c.Hash, &c.Time, &c.Note)
		c.Time = c.Time.UTC()
		return c, err
	})
	if err != nil {
		return nil, s.fail(op, err)
	}
	return cps, nil
}
