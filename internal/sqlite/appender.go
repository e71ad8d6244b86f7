package sqlite

import (
	"context"
	"sync"

	"github.com/govern-dev/govern"
)

// Appender appends records to an audit store for a process that writes a
// record or two and exits: a hook. A record is durable, sealed in the
// chain, once it is in the spool (see spool.go), so most appends never
// open the database; one in about maxPending opens it and imports what
// waits, and the first append to a new store creates the database.
// Anything that reads the store, or opens it with Open, imports first.
type Appender struct {
	path, abs string
	spool     *spool
	closed    sync.Once
}

// OpenAppender opens the store at path for appending. It reports the
// problems that can be known without opening the database: a missing
// directory, a read-only file or directory.
func OpenAppender(path string) (*Appender, error) {
	abs, sp, err := openPath(path)
	if err != nil {
		return nil, err
	}
	return &Appender{path: path, abs: abs, spool: sp}, nil
}

// Append seals recs after the head of the chain and writes them durably,
// as AuditStore.Append does. On error nothing is stored and recs are left
// as they were.
func (a *Appender) Append(ctx context.Context, recs ...*govern.AuditRecord) error {
	if len(recs) == 0 {
		return nil
	}
	if err := check(a.path, recs); err != nil {
		return err
	}
	if err := a.spool.lock(ctx); err != nil {
		return failed("append to", a.path, err)
	}
	defer a.spool.unlock()
	l, err := a.spool.read()
	if err != nil {
		return failed("append to", a.path, err)
	}
	head, ok, err := l.head()
	if ok && err == nil && l.lines-1+len(recs) <= maxPending {
		if err := a.spool.add(l, head, recs); err != nil {
			return failed("append to", a.path, err)
		}
		return nil
	}
	// No anchor yet, a spool to import, or one that cannot be read: the
	// database says what to do.
	s, err := openDB(ctx, a.path, a.abs, a.spool)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.appendLocked(ctx, recs); err != nil {
		return s.fail("append to", err)
	}
	return nil
}

// Close closes the spool. It is safe to call twice.
func (a *Appender) Close() error {
	var err error
	a.closed.Do(func() { err = a.spool.close() })
	return err
}
