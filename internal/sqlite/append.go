package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
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

// Append seals recs after the head of the chain and stores them: it writes
// them to the spool under its lock, then imports the spool into the
// database in one transaction that holds the database's write lock. It
// returns once the records are on disk. On error nothing is stored and
// recs are left as they were.
func (s *AuditStore) Append(ctx context.Context, recs ...*govern.AuditRecord) error {
	if len(recs) == 0 {
		return nil
	}
	if err := check(s.path, recs); err != nil {
		return err
	}
	if err := s.spool.lock(ctx); err != nil {
		return s.fail("append to", err)
	}
	defer s.spool.unlock()
	if err := s.appendLocked(ctx, recs, true); err != nil {
		return s.fail("append to", err)
	}
	return nil
}

// check refuses records that cannot be stored, before anything is locked.
func check(path string, recs []*govern.AuditRecord) error {
	for i, r := range recs {
		switch {
		case r == nil:
			return govern.Errorf(govern.EInvalid, "append to audit store %s: record %d of %d is nil", path, i+1, len(recs))
		case len(r.Input) > 0 && !json.Valid(r.Input):
			return govern.Errorf(govern.EInvalid, "append to audit store %s: record %d of %d: input is not valid JSON", path, i+1, len(recs))
		case len(r.Result) > 0 && !json.Valid(r.Result):
			return govern.Errorf(govern.EInvalid, "append to audit store %s: record %d of %d: result is not valid JSON", path, i+1, len(recs))
		}
	}
	return nil
}

// appendLocked writes recs to the spool after its head and, when store
// is set, imports the spool. The spool's lock is held. On error the spool
// is as it was and recs are unsealed.
func (s *AuditStore) appendLocked(ctx context.Context, recs []*govern.AuditRecord, store bool) error {
	l, err := s.spool.read()
	if err != nil {
		return err
	}
	head, ok, err := l.head()
	if err != nil {
		return fmt.Errorf("audit spool %s: %w", s.spool.path, err)
	}
	if !ok { // no anchor yet: the database has the head
		if head, err = s.head(ctx); err != nil {
			return err
		}
	}
	saved := make([]govern.AuditRecord, len(recs))
	for i, r := range recs {
		saved[i] = *r
	}
	if err := s.spool.add(l, head, recs); err != nil {
		return err
	}
	if !store {
		return nil
	}
	if err := s.importLines(ctx, l, recs); err != nil {
		s.spool.cut(l)
		for i, r := range recs {
			*r = saved[i]
		}
		return err
	}
	return nil
}

// head returns the last record's seq and hash in the database.
func (s *AuditStore) head(ctx context.Context) (spoolHead, error) {
	h := spoolHead{Hash: audit.Genesis}
	err := retry(ctx, func() error {
		return s.db.QueryRowContext(ctx, "SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1").Scan(&h.Seq, &h.Hash)
	})
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return h, err
}

// catchUp imports the records that hook processes left waiting in the
// spool since this store was opened, so that reads see them.
func (s *AuditStore) catchUp(ctx context.Context) error {
	if err := s.spool.lock(ctx); err != nil {
		return err
	}
	defer s.spool.unlock()
	if l, err := s.spool.read(); err != nil || l.lines != 1 {
		return s.importSpool(ctx)
	}
	return nil
}

// importSpool stores the records waiting in the spool in one transaction
// and cuts the spool back to its anchor. The spool's lock is held.
func (s *AuditStore) importSpool(ctx context.Context) error {
	l, err := s.spool.read()
	if err != nil {
		return err
	}
	return s.importLines(ctx, l, nil)
}

// importLines imports the spool's lines l and, after them, added: the
// records just written after l, which need no decoding.
func (s *AuditStore) importLines(ctx context.Context, l spoolLines, added []*govern.AuditRecord) error {
	recs, err := l.records()
	if err != nil {
		return fmt.Errorf("audit spool %s: %w", s.spool.path, err)
	}
	recs = append(recs, added...)
	var head spoolHead
	if err := retry(ctx, func() (err error) { head, err = s.importTx(ctx, recs); return err }); err != nil {
		return err
	}
	// The records are stored: the cut is best effort. Whatever state it
	// leaves the spool in is one the next writer handles (see spool.go):
	// lines already imported, an anchor, or nothing.
	s.spool.reset(head)
	return nil
}

// importTx inserts the spooled records the database does not have yet and
// returns the new head. A spooled record whose seq the database already
// holds must be that record: one that is not was chained to a head that
// something else has since appended after (a fork), and is refused rather
// than dropped.
func (s *AuditStore) importTx(ctx context.Context, recs []*govern.AuditRecord) (spoolHead, error) {
	tx, err := s.db.BeginTx(ctx, nil) // BEGIN IMMEDIATE: see dsn
	if err != nil {
		return spoolHead{}, err
	}
	defer tx.Rollback()
	head := spoolHead{Hash: audit.Genesis}
	err = tx.QueryRowContext(ctx, "SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1").Scan(&head.Seq, &head.Hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return spoolHead{}, err
	}
	pending := recs[:0:0]
	for _, r := range recs {
		if r.ID == "" { // an anchor
			continue
		}
		if r.Seq > head.Seq {
			pending = append(pending, r)
			continue
		}
		var have string
		err := tx.QueryRowContext(ctx, "SELECT hash FROM audit_records WHERE seq = ?", r.Seq).Scan(&have)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return spoolHead{}, err
		}
		if have != r.Hash {
			return spoolHead{}, fmt.Errorf("audit spool %s: its record %d (%s) is not the database's record %d: something else appended to the database; the spool keeps the record", s.spool.path, r.Seq, r.ID, r.Seq)
		}
	}
	if len(pending) == 0 {
		return head, nil
	}
	if err := insertSealed(ctx, tx, pending); err != nil {
		return spoolHead{}, err
	}
	if err := tx.Commit(); err != nil {
		return spoolHead{}, err
	}
	last := pending[len(pending)-1]
	return spoolHead{Seq: last.Seq, Hash: last.Hash}, nil
}

// insertSealed inserts sealed records, chunk at a time.
func insertSealed(ctx context.Context, tx *sql.Tx, recs []*govern.AuditRecord) error {
	rows := make([]row, len(recs))
	for i, r := range recs {
		if err := rows[i].encode(r); err != nil {
			return fmt.Errorf("record %d: %w", r.Seq, err)
		}
		rows[i].lists(r)
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
