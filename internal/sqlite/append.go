package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/audit"
)

// insertRows returns an INSERT of n records (22 columns each).
func insertRows(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO audit_records (seq, id, time, event, session, user_name, team, host, tool,
 input, result, outcome, reason, risk, rule, layer, personas, recommendations, policy_revision, latency_us, prev_hash, hash)
 VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
	}
	return b.String()
}

// chunk is how many records one INSERT statement carries in a batch.
const chunk = 64

var insertOne, insertChunk = insertRows(1), insertRows(chunk)

// Append seals recs after the head of the chain and stores them, in one
// transaction that holds the database's write lock from reading the head
// to COMMIT; it returns once the records are on disk. On error nothing is
// stored and recs are left as they were.
func (s *AuditStore) Append(ctx context.Context, recs ...*govern.AuditRecord) error {
	if len(recs) == 0 {
		return nil
	}
	saved := make([]govern.AuditRecord, len(recs))
	for i, r := range recs {
		if r == nil {
			return govern.Errorf(govern.EInvalid, "append to audit store %s: record %d of %d is nil", s.path, i+1, len(recs))
		}
		saved[i] = *r
	}
	// Work that needs no lock happens before the lock is taken.
	rows := make([]row, len(recs))
	for i, r := range recs {
		if err := rows[i].encode(r); err != nil {
			return govern.Errorf(govern.EInvalid, "append to audit store %s: record %d of %d: %v", s.path, i+1, len(recs), err)
		}
	}
	restore := func() {
		for i, r := range recs {
			*r = saved[i]
		}
	}
	err := retry(ctx, func() error {
		err := s.append(ctx, recs, rows)
		if err != nil {
			restore()
		}
		return err
	})
	if err != nil {
		return s.fail("append to", err)
	}
	return nil
}

func (s *AuditStore) append(ctx context.Context, recs []*govern.AuditRecord, rows []row) error {
	tx, err := s.db.BeginTx(ctx, nil) // BEGIN IMMEDIATE: see dsn
	if err != nil {
		return err
	}
	defer tx.Rollback()
	seq, prev := int64(0), audit.Genesis
	err = tx.QueryRowContext(ctx, "SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1").Scan(&seq, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	for i, r := range recs {
		if err := audit.Seal(r, seq, prev); err != nil {
			return err
		}
		rows[i].lists(r) // after Seal: it makes text storable
		seq, prev = r.Seq, r.Hash
	}
	args := make([]any, 0, 22*min(len(recs), chunk))
	for i := 0; i < len(recs); {
		n, q := chunk, insertChunk
		if len(recs)-i < chunk {
			n, q = 1, insertOne
		}
		args = args[:0]
		for j := i; j < i+n; j++ {
			r, w := recs[j], &rows[j]
			args = append(args, r.Seq, r.ID, r.Time.Format(audit.TimeFormat), r.Event, r.Session, r.User,
				r.Team, r.Host, r.Tool, w.input, w.result, string(r.Outcome), r.Reason, string(r.Risk), r.Rule, r.Layer,
				w.personas, w.recommendations, r.PolicyRevision, r.LatencyUS, r.PrevHash, r.Hash)
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
		i += n
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	return nil
}

// row holds the columns of a record that need encoding.
type row struct {
	input, result             sql.NullString
	personas, recommendations string
}

// encode prepares the JSON columns, before the lock is taken.
func (w *row) encode(r *govern.AuditRecord) error {
	var err error
	if w.input, err = jsonColumn(r.Input); err != nil {
		return errors.New("input is not valid JSON: " + err.Error())
	}
	if w.result, err = jsonColumn(r.Result); err != nil {
		return errors.New("result is not valid JSON: " + err.Error())
	}
	return nil
}

// jsonColumn is raw's canonical JSON, NULL when raw is empty.
func jsonColumn(raw []byte) (sql.NullString, error) {
	if len(raw) == 0 {
		return sql.NullString{}, nil
	}
	c, err := audit.CanonicalJSON(raw)
	if err != nil {
		return sql.NullString{}, err
	}
	return sql.NullString{String: string(c), Valid: true}, nil
}

// lists prepares the list columns of the sealed record r.
func (w *row) lists(r *govern.AuditRecord) {
	w.personas, w.recommendations = audit.EncodeList(r.Personas), audit.EncodeList(r.Recommendations)
}
