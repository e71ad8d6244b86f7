package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/govern-dev/govern"
)

// openError turns an error from Open into one line that names the file.
func openError(path string, err error) error {
	var newer errNewer
	switch {
	case errors.As(err, &newer):
		return govern.Errorf(govern.EInvalid, "open audit store %s: %v", path, newer)
	case errors.Is(err, errForeign):
		return govern.Errorf(govern.EInvalid, "open audit store %s: not a govern audit database (%v)", path, err)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("open audit store %s: %w", path, err)
	}
	return describe("open audit store "+path, path, err)
}

// busy reports whether err is SQLite's "database is locked".
func busy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// fail turns an error from doing what into one line that names the file.
func (s *AuditStore) fail(what string, err error) error { return failed(what, s.path, err) }

// failed turns an error from doing what to the store at path into one
// line that names the file.
func failed(what, path string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s audit store %s: %w", what, path, err)
	}
	if errors.Is(err, sql.ErrConnDone) || errors.Is(err, os.ErrClosed) || strings.Contains(err.Error(), "database is closed") {
		return govern.Errorf(govern.EUnavailable, "%s audit store %s: the store is closed", what, path)
	}
	return describe(what+" audit store "+path, path, err)
}

// describe says what went wrong with the file at path in words a user
// can act on, after prefix. It never returns a multi-line message.
func describe(prefix, path string, err error) error {
	code := 0
	var se *sqlite.Error
	if errors.As(err, &se) {
		code = se.Code()
	}
	errno := syscall.Errno(0)
	errors.As(err, &errno)
	switch primary := code & 0xff; {
	case primary == sqlite3.SQLITE_FULL || errno == syscall.ENOSPC:
		return govern.Errorf(govern.EUnavailable, "%s: disk is full", prefix)
	case primary == sqlite3.SQLITE_NOTADB:
		return govern.Errorf(govern.EInvalid, "%s: not a govern audit database (file is not a database)", prefix)
	case primary == sqlite3.SQLITE_CORRUPT:
		return govern.Errorf(govern.EInvalid, "%s: file is corrupt (database disk image is malformed)", prefix)
	case primary == sqlite3.SQLITE_READONLY || errno == syscall.EROFS || readOnly(path):
		return govern.Errorf(govern.EUnavailable, "%s: %s", prefix, readOnlyWhat(path))
	case primary == sqlite3.SQLITE_BUSY:
		return govern.Errorf(govern.EUnavailable, "%s: file is locked by another process", prefix)
	case primary == sqlite3.SQLITE_CANTOPEN:
		return govern.Errorf(govern.EUnavailable, "%s: cannot open the file", prefix)
	case primary == sqlite3.SQLITE_IOERR:
		return govern.Errorf(govern.EUnavailable, "%s: I/O error (%s)", prefix, oneLine(err))
	}
	return govern.Errorf(govern.EInternal, "%s: %s", prefix, oneLine(err))
}

// readOnly reports whether the file at path, or its directory when the
// file does not exist yet, cannot be written. access(2) answers for this
// process: it honours read-only mounts even for root.
func readOnly(path string) bool {
	target := path
	if _, err := os.Stat(path); err != nil {
		target = filepath.Dir(path)
	}
	err := syscall.Access(target, 2 /* W_OK */)
	return errors.Is(err, syscall.EROFS) || errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.EPERM)
}

func readOnlyWhat(path string) string {
	if _, err := os.Stat(path); err != nil {
		return "directory " + filepath.Dir(path) + " is read-only"
	}
	if err := syscall.Access(path, 2); err != nil {
		return "file is read-only"
	}
	// The file is writable but its directory is not: WAL mode needs to
	// create path-wal and path-shm beside it.
	return "directory " + filepath.Dir(path) + " is read-only"
}

// oneLine returns err's message on one line, without the driver's codes.
func oneLine(err error) string {
	msg := err.Error()
	msg = strings.Join(strings.Fields(msg), " ")
	return msg
}
