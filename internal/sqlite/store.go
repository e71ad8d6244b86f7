package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io/fs"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"modernc.org/sqlite"

	"github.com/govern-dev/govern"
)

// BusyTimeoutMS is how long an append waits for another process's write
// lock before it fails.
const BusyTimeoutMS = 10000

// AuditStore is a govern.AuditStore in one SQLite file. It is safe for
// concurrent use, and any number of processes may open the same file.
type AuditStore struct {
	db       *sql.DB
	path     string
	spool    *spool
	ownSpool bool // Close closes the spool too

	closeOnce sync.Once
	closeErr  error
}

var _ govern.AuditStore = (*AuditStore)(nil)

// Open opens the audit database at path, creating it if needed, and
// brings its schema up to date. The records hooks leave waiting in the
// spool are taken in by the next Append, List or Scan.
func Open(ctx context.Context, path string) (*AuditStore, error) {
	abs, sp, err := openPath(path)
	if err != nil {
		return nil, err
	}
	s, err := openDB(ctx, path, abs, sp)
	if err != nil {
		sp.close()
		return nil, err
	}
	s.ownSpool = true
	return s, nil
}

// openPath checks path (see checkPath) and opens its spool.
func openPath(path string) (abs string, sp *spool, err error) {
	if abs, err = checkPath(path); err != nil {
		return "", nil, err
	}
	if sp, err = openSpool(abs); err != nil {
		return "", nil, openError(path, err)
	}
	return abs, sp, nil
}

// checkPath returns the absolute path of the database file at path, or
// says in one line why it cannot be an audit store.
func checkPath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", govern.Errorf(govern.EInvalid, "open audit store %s: %v", path, err)
	}
	dir := filepath.Dir(abs)
	switch fi, err := os.Stat(dir); {
	case errors.Is(err, fs.ErrNotExist):
		return "", govern.Errorf(govern.EInvalid, "open audit store %s: directory %s does not exist", path, dir)
	case err != nil:
		return "", govern.Errorf(govern.EUnavailable, "open audit store %s: cannot use directory %s: %v", path, dir, errors.Unwrap(err))
	case !fi.IsDir():
		return "", govern.Errorf(govern.EInvalid, "open audit store %s: %s is not a directory", path, dir)
	}
	if fi, err := os.Stat(abs); err == nil && fi.IsDir() {
		return "", govern.Errorf(govern.EInvalid, "open audit store %s: it is a directory", path)
	}
	if readOnly(abs) {
		// SQLite would open it for reading, the WAL files being there
		// already (see keepWAL), and fail only at the first append: a
		// hook must know before it decides.
		return "", govern.Errorf(govern.EUnavailable, "open audit store %s: %s", path, readOnlyWhat(abs))
	}
	return abs, nil
}

// openDB opens the database at abs and brings its schema up to date; sp
// is its spool, which the caller owns.
func openDB(ctx context.Context, path, abs string, sp *spool) (*AuditStore, error) {
	conn, err := sqlite.NewConnector(dsn(abs))
	if err != nil {
		return nil, openError(path, err)
	}
	db := sql.OpenDB(keepWAL{conn})
	s := &AuditStore{db: db, path: path, spool: sp}
	if err := retry(ctx, func() error { return s.migrate(ctx) }); err != nil {
		db.Close()
		return nil, openError(path, err)
	}
	return s, nil
}

// retry runs fn until it does not fail with SQLITE_BUSY, for at most the
// busy timeout. SQLite waits on its busy timeout for most locks but fails
// at once where waiting could deadlock: when processes open a new file at
// the same moment (the switch to WAL mode needs an exclusive lock), or
// while another connection recovers the WAL after a crash. fn must leave
// nothing behind when it fails.
func retry(ctx context.Context, fn func() error) error {
	deadline := time.Now().Add(BusyTimeoutMS * time.Millisecond)
	for {
		err := fn()
		if err == nil || !busy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(1+rand.IntN(20)) * time.Millisecond):
		}
	}
}

// dsn returns the modernc.org/sqlite data source name for the file at the
// absolute path abs. Pragmas go in the DSN so that every pooled connection
// has them; _txlock makes BeginTx start with BEGIN IMMEDIATE, which takes
// the write lock before the head is read.
func dsn(abs string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.Itoa(BusyTimeoutMS)+")")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "journal_size_limit("+strconv.Itoa(walLimit)+")")
	q.Set("_txlock", "immediate")
	return "file:" + (&url.URL{Path: abs}).EscapedPath() + "?" + q.Encode()
}

// walLimit is the size, in bytes, the write-ahead log is cut back to when a
// writer starts it over; when the last connection closes, it is cut to zero.
const walLimit = 4 << 20

// keepWAL opens connections that keep the -wal and -shm files when the last
// one closes (SQLITE_FCNTL_PERSIST_WAL). A hook process opens the store,
// appends one record and closes it; creating both files on every open and
// deleting them on every close cost it more than the append itself (on ext4
// each is a journal commit, and a new WAL also syncs its directory). The
// last close still checkpoints everything into the database and, with
// journal_size_limit set, cuts the WAL to zero bytes, so the next process
// has nothing to recover and the database file alone is a complete copy.
type keepWAL struct{ driver.Connector }

func (k keepWAL) Connect(ctx context.Context) (driver.Conn, error) {
	c, err := k.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	fc, ok := c.(sqlite.FileControl)
	if !ok {
		c.Close()
		return nil, errors.New("the SQLite driver cannot keep the write-ahead log")
	}
	if _, err := fc.FileControlPersistWAL("main", 1); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// Path returns the file the store was opened on, as given to Open.
func (s *AuditStore) Path() string { return s.path }

// Close closes the database. It is safe to call twice.
func (s *AuditStore) Close() error {
	s.closeOnce.Do(func() {
		if err := s.db.Close(); err != nil {
			s.closeErr = s.fail("close", err)
		}
		if s.ownSpool {
			s.spool.close()
		}
	})
	return s.closeErr
}
