package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/govern-dev/govern"
)

// server is what an error message may say about where the database is.
type server struct {
	addr    string // host:port, or the Unix socket
	timeout string // the connect timeout, as shown
}

func serverOf(c *pgx.ConnConfig) server {
	addr := net.JoinHostPort(c.Host, strconv.Itoa(int(c.Port)))
	if strings.HasPrefix(c.Host, "/") {
		addr = fmt.Sprintf("%s/.s.PGSQL.%d", c.Host, c.Port)
	}
	return server{addr: addr, timeout: c.ConnectTimeout.String()}
}

// opError is a *govern.Error, safe to show, that still unwraps to its
// cause, so that callers can tell context.Canceled. Its message never
// includes the cause's text, which may list connection parameters.
type opError struct {
	safe  *govern.Error
	cause error
}

func (e *opError) Error() string   { return e.safe.Message }
func (e *opError) Unwrap() []error { return []error{e.safe, e.cause} }

// fail turns err, met while doing op, into one line that is safe to show.
func (s *AuditStore) fail(op string, err error) error {
	return &opError{safe: describe(op, s.where, err), cause: err}
}

func describe(op string, w server, err error) *govern.Error {
	if e, ok := errors.AsType[*govern.Error](err); ok {
		return govern.Errorf(e.Code, "%s: %s", op, e.Message)
	}
	if pe, ok := errors.AsType[*pgconn.PgError](err); ok {
		return govern.Errorf(pgCode(pe.Code), "%s: PostgreSQL at %s: %s", op, w.addr, pe.Message)
	}
	if _, ok := errors.AsType[*pgconn.ConnectError](err); ok || isNetwork(err) {
		return govern.Errorf(govern.EUnavailable, "%s: cannot reach PostgreSQL at %s: %s", op, w.addr, netReason(err, w))
	}
	switch {
	case errors.Is(err, context.Canceled):
		return govern.Errorf(govern.EUnavailable, "%s: canceled", op)
	case errors.Is(err, context.DeadlineExceeded), pgconn.Timeout(err):
		return govern.Errorf(govern.EUnavailable, "%s: PostgreSQL at %s did not answer in time", op, w.addr)
	}
	return govern.Errorf(govern.EInternal, "%s: %s", op, oneLine(err.Error()))
}

func isNetwork(err error) bool {
	_, op := errors.AsType[*net.OpError](err)
	_, dns := errors.AsType[*net.DNSError](err)
	return op || dns
}

// netReason says in a few words why a connection failed.
func netReason(err error, w server) string {
	if de, ok := errors.AsType[*net.DNSError](err); ok {
		return fmt.Sprintf("cannot resolve host %q", de.Name)
	}
	for _, c := range []struct {
		errno syscall.Errno
		say   string
	}{
		{syscall.ECONNREFUSED, "connection refused"},
		{syscall.ECONNRESET, "connection reset"},
		{syscall.EHOSTUNREACH, "host unreachable"},
		{syscall.ENETUNREACH, "network unreachable"},
		{syscall.ENOENT, "no server is listening on that socket"},
	} {
		if errors.Is(err, c.errno) {
			return c.say
		}
	}
	if errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err) {
		return "no answer within " + w.timeout
	}
	if errors.Is(err, context.Canceled) {
		return "canceled"
	}
	// The innermost error names the cause (a TLS failure, say) without
	// pgx's prefix, which lists connection parameters.
	inner := err
	for {
		next := errors.Unwrap(inner)
		if next == nil {
			break
		}
		inner = next
	}
	return oneLine(inner.Error())
}

// pgCode maps a PostgreSQL SQLSTATE to a govern error code.
func pgCode(code string) string {
	switch {
	case strings.HasPrefix(code, "28"): // invalid authorization
		return govern.EUnauthorized
	case code == "3D000", code == "3F000": // no such database, no such schema
		return govern.ENotFound
	case code == "42501": // insufficient privilege
		return govern.EForbidden
	case code == "23505": // unique violation
		return govern.EConflict
	case strings.HasPrefix(code, "08"), strings.HasPrefix(code, "53"), strings.HasPrefix(code, "57"):
		return govern.EUnavailable // connection, resources (disk full), shutdown
	}
	return govern.EInternal
}

// parseError reports a DSN that pgx cannot parse, without the password.
func parseError(dsn string, err error) error {
	reason := "cannot parse it"
	if pe, ok := errors.AsType[*pgconn.ParseConfigError](err); ok {
		reason = pe.Error()
		// "cannot parse `<redacted dsn>`: <reason>": keep the reason.
		if _, after, ok := strings.Cut(reason, "`: "); ok {
			reason = after
		}
		// net/url quotes the whole URL, password included.
		if ue, ok := errors.AsType[*url.Error](err); ok {
			reason = strings.ReplaceAll(reason, ue.Error(), ue.Err.Error())
		}
	}
	return govern.Errorf(govern.EInvalid, "open audit store: invalid PostgreSQL DSN: %s", redact(oneLine(reason), dsn))
}

// kvPassword finds a password in a key=value DSN; compiled on first use, so
// that processes that never open PostgreSQL do not pay for it.
var kvPassword = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)(?:^|\s)(?:ssl)?password\s*=\s*('(?:[^'\\]|\\.)*'|\S+)`)
})

// redact removes from msg anything in dsn that may be a password.
func redact(msg, dsn string) string {
	var secrets []string
	if u, err := url.Parse(dsn); err == nil {
		if p, ok := u.User.Password(); ok {
			secrets = append(secrets, p, url.PathEscape(p), url.QueryEscape(p))
		}
		for _, k := range []string{"password", "sslpassword"} {
			secrets = append(secrets, u.Query()[k]...)
		}
	}
	if rest, ok := strings.CutPrefix(dsn, "postgres://"); ok || strings.HasPrefix(dsn, "postgresql://") {
		if !ok {
			rest = strings.TrimPrefix(dsn, "postgresql://")
		}
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			if _, p, ok := strings.Cut(rest[:at], ":"); ok {
				secrets = append(secrets, p)
			}
		}
	}
	for _, m := range kvPassword().FindAllStringSubmatch(dsn, -1) {
		secrets = append(secrets, m[1], strings.Trim(m[1], "'"))
	}
	for _, s := range secrets {
		if len(s) >= 3 {
			msg = strings.ReplaceAll(msg, s, "xxxxx")
		}
	}
	return msg
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
