package postgres

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govern-dev/govern"
)

// ConnectTimeout bounds each connection attempt when the DSN sets no
// connect_timeout, so an unreachable server fails fast.
const ConnectTimeout = 5 * time.Second

// AuditStore is a govern.AuditStore on PostgreSQL.
type AuditStore struct {
	pool   *pgxpool.Pool
	where  server // for error messages
	closed atomic.Bool
	once   sync.Once
}

var _ govern.AuditStore = (*AuditStore)(nil)

// Open connects to the PostgreSQL database at dsn (a postgres:// URL or
// key=value pairs), brings its schema up to date and returns the store.
// Errors are one line and never show the password.
func Open(ctx context.Context, dsn string) (*AuditStore, error) {
	if scheme, _, ok := strings.Cut(dsn, "://"); ok && scheme != "postgres" && scheme != "postgresql" {
		return nil, govern.Errorf(govern.EInvalid, "open audit store: invalid PostgreSQL DSN: it must start with postgres:// or postgresql://, not %s://", scheme)
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, parseError(dsn, err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = ConnectTimeout
	}
	cfg.AfterConnect = durable
	s := &AuditStore{where: serverOf(cfg.ConnConfig)}
	s.pool, err = pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, s.fail("open audit store", err)
	}
	if err := s.migrate(ctx); err != nil {
		s.pool.Close()
		return nil, err
	}
	return s, nil
}

// durable makes sure commits wait for the WAL flush on this connection: a
// database or role configured with synchronous_commit=off is raised to on;
// stronger settings (remote_write, remote_apply) are kept.
func durable(ctx context.Context, c *pgx.Conn) error {
	_, err := c.Exec(ctx, `SELECT set_config('synchronous_commit', 'on', false)
		WHERE current_setting('synchronous_commit') = 'off'`)
	return err
}

// Close releases the store's connections. It is safe to call twice.
func (s *AuditStore) Close() error {
	s.once.Do(func() {
		s.closed.Store(true)
		s.pool.Close()
	})
	return nil
}

// errClosed is returned by every method after Close.
var errClosed = govern.Errorf(govern.EUnavailable, "audit store is closed")

// acquire returns a pooled connection, or a clear error.
func (s *AuditStore) acquire(ctx context.Context, op string) (*pgxpool.Conn, error) {
	if s.closed.Load() {
		return nil, errClosed
	}
	c, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, s.fail(op, err)
	}
	return c, nil
}
