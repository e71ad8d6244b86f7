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
	if err := s.appendLocked(ctx, recs); err != nil {
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

// appendLocked imports what waits in the spool and stores recs after it,
// in one transaction that holds both the spool's lock (taken by the
// caller) and the database's write lock, so recs are sealed after the
// database's own head. On error recs are unsealed and nothing of them is
// stored.
func (s *AuditStore) appendLocked(ctx context.Context, recs []*govern.AuditRecord) error {
	saved := make([]govern.AuditRecord, len(recs))
	for i, r := range recs {
		saved[i] = *r
	}
	err := s.importLocked(ctx, recs)
	if err != nil {
		for i, r := range recs {
			*r = saved[i]
		}
	}
	return err
}

// catchUp imports the records that hook processes left waiting in the
// spool since this store was opened, so that reads see them.
func (s *AuditStore) catchUp(ctx context.Context) error {
	if err := s.spool.lock(ctx); err != nil {
		return err
	}
	defer s.spool.unlock()
	if l, err := s.spool.read(); err != nil || !l.anchorOnly() {
		return s.importLocked(ctx, nil)
	}
	return nil
}

// importLocked imports the spool's lines, then seals and stores added
// after them, and cuts the spool back to its anchor. The spool's lock is
// held.
func (s *AuditStore) importLocked(ctx context.Context, added []*govern.AuditRecord) error {
	l, err := s.spool.read()
	if err != nil {
		return err
	}
	lines, err := l.records()
	if err != nil {
		return fmt.Errorf("audit spool %s: %w", s.spool.path, err)
	}
	// What goes into the database must be durable in the spool first: a
	// hook killed between its write and its sync leaves a line that only
	// the page cache holds, and a spool that lost it after the import
	// would be behind the database.
	if err := s.spool.f.Sync(); err != nil {
		return err
	}
	var head spoolHead
	var aside int
	err = retry(ctx, func() (err error) {
		head, aside, err = s.importTx(ctx, l, lines, added)
		return err
	})
	if err != nil {
		return err
	}
	// The records are stored: the cut is best effort. Whatever state it
	// leaves the spool in is one the next writer handles (see spool.go):
	// lines already imported, an anchor, or nothing.
	s.spool.reset(head)
	if aside > 0 {
		return govern.Errorf(govern.EInvalid, "audit spool %s: %d records in it did not continue the database (something else appended to it) and were set aside in %s%s*; nothing was appended",
			s.spool.path, aside, s.spool.path, asideSuffix)
	}
	return nil
}

// importTx stores the spooled records lines (read as l) that the database
// does not have yet, then seals added after the new head, writes them to
// the spool and stores them too, and returns the head.
//
// A spooled record whose seq the database already holds must be that very
// record, and the first one it does not hold must follow its head. One
// that does not was chained to a head that something else has since
// appended after: it, and every record chained after it, are set aside in
// a file of their own, never dropped, and added is not stored. A gap (the
// database lost records the spool had already handed over) is stored as
// it is: Verify reports it.
func (s *AuditStore) importTx(ctx context.Context, l spoolLines, lines, added []*govern.AuditRecord) (head spoolHead, aside int, err error) {
	tx, err := s.db.BeginTx(ctx, nil) // BEGIN IMMEDIATE: see dsn
	if err != nil {
		return spoolHead{}, 0, err
	}
	defer tx.Rollback()
	head = spoolHead{Hash: audit.Genesis}
	err = tx.QueryRowContext(ctx, "SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1").Scan(&head.Seq, &head.Hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return spoolHead{}, 0, err
	}
	var pending, forked []*govern.AuditRecord
	for _, r := range lines {
		switch {
		case r.ID == "": // an anchor: the database's head says where the chain is
		case len(forked) > 0:
			forked = append(forked, r)
		case r.Seq <= head.Seq:
			var have string
			err := tx.QueryRowContext(ctx, "SELECT hash FROM audit_records WHERE seq = ?", r.Seq).Scan(&have)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return spoolHead{}, 0, err
			}
			if have != r.Hash {
				forked = append(forked, r)
			}
		case len(pending) == 0 && r.Seq == head.Seq+1 && r.PrevHash != head.Hash:
			forked = append(forked, r)
		default:
			pending = append(pending, r)
		}
	}
	if len(forked) > 0 {
		if err := s.setAside(forked); err != nil {
			return spoolHead{}, 0, err
		}
		added = nil
	}
	if len(pending) > 0 {
		if err := insertSealed(ctx, tx, pending); err != nil {
			return spoolHead{}, 0, err
		}
		last := pending[len(pending)-1]
		head = spoolHead{Seq: last.Seq, Hash: last.Hash}
	}
	if len(added) > 0 {
		if err := s.spool.add(l, head, added); err != nil {
			return spoolHead{}, 0, err
		}
		if err := insertSealed(ctx, tx, added); err != nil {
			s.spool.cut(l)
			return spoolHead{}, 0, err
		}
		last := added[len(added)-1]
		head = spoolHead{Seq: last.Seq, Hash: last.Hash}
	}
	if err := tx.Commit(); err != nil {
		if len(added) > 0 {
			s.spool.cut(l)
		}
		return spoolHead{}, 0, err
	}
	return head, len(forked), nil
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
