package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/audit"
)

// columns are audit_records' columns, in the order values returns them.
var columns = []string{
	"seq", "id", "time", "event", "session", "user_name", "team", "host", "tool", "input", "result", "outcome",
	"reason", "risk", "rule", "layer", "personas", "recommendations", "policy_revision", "latency_us",
	"prev_hash", "hash",
}

var selectList = strings.Join(columns, ", ")

var insertSQL = func() string {
	p := make([]string, len(columns))
	for i := range p {
		p[i] = "$" + strconv.Itoa(i+1)
	}
	return "INSERT INTO audit_records (" + selectList + ") VALUES (" + strings.Join(p, ", ") + ")"
}()

// copyMin is the batch size from which Append inserts with COPY rather
// than pipelined INSERTs.
const copyMin = 64

func values(r *govern.AuditRecord) []any {
	return []any{
		r.Seq, r.ID, r.Time, r.Event, r.Session, r.User, r.Team, r.Host, r.Tool, nullJSON(r.Input), nullJSON(r.Result),
		string(r.Outcome), r.Reason, string(r.Risk), r.Rule, r.Layer, audit.EncodeList(r.Personas),
		audit.EncodeList(r.Recommendations), r.PolicyRevision, r.LatencyUS, r.PrevHash, r.Hash,
	}
}

// Append seals recs after the head of the chain and stores them in one
// transaction; it returns once the transaction has committed. Each record's
// Input becomes its canonical JSON, as stored. A pooled connection found
// broken before anything was written (the server restarted, a failover) is
// replaced and the append tried once more. On error the records are given
// back as they were passed in (if the connection broke during COMMIT, they
// may nevertheless have been stored).
func (s *AuditStore) Append(ctx context.Context, recs ...*govern.AuditRecord) error {
	if s.closed.Load() {
		return errClosed
	}
	if len(recs) == 0 {
		return nil
	}
	saved := make([]govern.AuditRecord, len(recs))
	for i, r := range recs {
		if r == nil {
			return govern.Errorf(govern.EInvalid, "append audit records: record %d of %d is nil", i+1, len(recs))
		}
		saved[i] = *r
	}
	for attempt := 1; ; attempt++ {
		stale, err := s.append(ctx, recs)
		if err == nil {
			return nil
		}
		for i, r := range recs {
			*r = saved[i]
		}
		if !stale || attempt == 2 {
			return err
		}
	}
}

// append does one attempt; stale reports a broken connection met before
// anything was written, when trying again on another is safe.
func (s *AuditStore) append(ctx context.Context, recs []*govern.AuditRecord) (stale bool, err error) {
	const op = "append audit records"
	for i, r := range recs {
		if err := fit(r); err != nil {
			return false, govern.Errorf(govern.EInvalid, "%s: record %d of %d: %v", op, i+1, len(recs), err)
		}
	}
	c, err := s.acquire(ctx, op)
	if err != nil {
		return false, err
	}
	defer c.Release()
	conn := c.Conn()
	defer func() {
		// The pool discards a connection left inside a transaction, which
		// also ends it; rolling back keeps the connection.
		if err != nil && !conn.IsClosed() && conn.PgConn().TxStatus() != 'I' {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
			defer cancel()
			conn.Exec(rctx, "ROLLBACK")
		}
	}()

	// Round trip 1: begin, and wait for the head (the lock that orders
	// appenders across replicas).
	var seq int64
	var head string
	b := &pgx.Batch{}
	b.Queue("BEGIN")
	b.Queue("SELECT seq, hash FROM audit_head FOR UPDATE").QueryRow(func(row pgx.Row) error {
		return row.Scan(&seq, &head)
	})
	if err := conn.SendBatch(ctx, b).Close(); err != nil {
		return conn.IsClosed() && ctx.Err() == nil, s.fail(op, err)
	}
	for _, r := range recs {
		if err := audit.Seal(r, seq, head); err != nil {
			return false, govern.Errorf(govern.EInvalid, "%s: %v", op, err)
		}
		seq, head = r.Seq, r.Hash
	}

	// Round trip 2 (after a COPY for large batches): the records, the new
	// head, the notification for live streams, and the commit.
	b = &pgx.Batch{}
	if len(recs) >= copyMin {
		rows := pgx.CopyFromSlice(len(recs), func(i int) ([]any, error) { return values(recs[i]), nil })
		if _, err := conn.CopyFrom(ctx, pgx.Identifier{"audit_records"}, columns, rows); err != nil {
			return false, s.insertFailed(op, err, seq-int64(len(recs)))
		}
	} else {
		for _, r := range recs {
			b.Queue(insertSQL, values(r)...)
		}
	}
	b.Queue("UPDATE audit_head SET seq = $1, hash = $2", seq, head)
	b.Queue("SELECT pg_notify('govern_audit', current_schema() || ':' || $1)", strconv.FormatInt(seq, 10))
	b.Queue("COMMIT")
	if err := conn.SendBatch(ctx, b).Close(); err != nil {
		return false, s.insertFailed(op, err, seq-int64(len(recs)))
	}
	return false, nil
}

// insertFailed explains the conflicts an insert can meet: a record already
// at the next position (the head row was rolled back or the table written
// behind the store's back) or an ID stored before.
func (s *AuditStore) insertFailed(op string, err error, head int64) error {
	if pe, ok := errors.AsType[*pgconn.PgError](err); ok && pe.Code == "23505" {
		switch pe.ConstraintName {
		case "audit_records_pkey":
			err = govern.Errorf(govern.EConflict, "the chain head (record %d) is behind the stored records: "+
				"audit_records was changed outside govern; run govern audit verify", head)
		case "audit_records_id_key":
			err = govern.Errorf(govern.EConflict, "a record with the same ID is already stored (%s)", pe.Detail)
		}
	}
	return s.fail(op, err)
}

// nullJSON is a JSON column's value: NULL when raw is empty.
func nullJSON(raw []byte) *string {
	if len(raw) == 0 {
		return nil
	}
	s := string(raw)
	return &s
}

// fit makes r's input and result what the store keeps, canonical JSON,
// before Seal (which makes its text storable), so the hash covers what is
// stored.
func fit(r *govern.AuditRecord) error {
	for _, f := range []struct {
		name string
		raw  *json.RawMessage
	}{{"input", &r.Input}, {"result", &r.Result}} {
		if len(*f.raw) == 0 {
			continue
		}
		c, err := audit.CanonicalJSON(*f.raw)
		if err != nil {
			return fmt.Errorf("%s is not JSON: %v", f.name, err)
		}
		*f.raw = c
	}
	return nil
}
