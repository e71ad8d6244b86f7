package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/postgres"
	"github.com/govern-dev/govern/internal/sqlite"
)

// systemAudit is where an installed machine keeps its audit trail.
const systemAudit = "/var/lib/govern/audit.db"

// defaultAudit is the audit DSN when neither --audit nor GOVERN_AUDIT says:
// the machine's trail when this user may write it, else a per-user trail
// under $XDG_STATE_HOME (~/.local/state).
func defaultAudit() string {
	if writable(systemAudit) {
		return systemAudit
	}
	state := os.Getenv("XDG_STATE_HOME")
	if state == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return systemAudit // opening it will say what is wrong
		}
		state = filepath.Join(home, ".local", "state")
	}
	dir := filepath.Join(state, "govern")
	os.MkdirAll(dir, 0o700) // the per-user trail's home; opening the store reports any failure
	return filepath.Join(dir, "audit.db")
}

// writable reports whether this process may write the file at path, or
// create it when it does not exist yet.
func writable(path string) bool {
	const wOK = 2
	if err := syscall.Access(path, wOK); err == nil {
		return true
	} else if !os.IsNotExist(err) {
		return false
	}
	return syscall.Access(filepath.Dir(path), wOK) == nil
}

// openStore opens the audit store a DSN names: postgres:// or postgresql://
// is PostgreSQL, anything else a SQLite file.
func openStore(ctx context.Context, dsn string) (govern.AuditStore, error) {
	if isPostgres(dsn) {
		return postgres.Open(ctx, dsn)
	}
	return sqlite.Open(ctx, strings.TrimPrefix(dsn, "sqlite://"))
}

// recorder is the part of an audit store a process needs that only
// appends.
type recorder interface {
	Append(ctx context.Context, recs ...*govern.AuditRecord) error
	Close() error
}

// openRecorder opens the audit store a DSN names for appending only, as a
// hook does: a SQLite file through its spool (sqlite.Appender), which
// leaves the database closed on most appends.
func openRecorder(ctx context.Context, dsn string) (recorder, error) {
	if isPostgres(dsn) {
		return postgres.Open(ctx, dsn)
	}
	return sqlite.OpenAppender(strings.TrimPrefix(dsn, "sqlite://"))
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}
