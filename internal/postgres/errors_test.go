package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/govern-dev/govern"
)

const secret = "s3cret-pw"

// Bad DSNs and servers that are away give one line, safe to show, with the
// right code, and never the password. None of these needs a server.
func TestOpenErrors(t *testing.T) {
	t.Parallel()
	silent := silentServer(t)
	cases := []struct {
		name, dsn, want, code string
	}{
		{"nothing listening", "postgres://alice:" + secret + "@127.0.0.1:1/test?sslmode=disable",
			"open audit store: cannot reach PostgreSQL at 127.0.0.1:1: connection refused", govern.EUnavailable},
		{"nothing listening, key=value", "host=127.0.0.1 port=1 user=alice password=" + secret + " connect_timeout=2",
			"open audit store: cannot reach PostgreSQL at 127.0.0.1:1: connection refused", govern.EUnavailable},
		{"server never answers", "postgres://alice:" + secret + "@" + silent + "/test?sslmode=disable&connect_timeout=1",
			"open audit store: cannot reach PostgreSQL at " + silent + ": no answer within 1s", govern.EUnavailable},
		{"no such Unix socket", "host=/nonexistent/govern port=5432 password=" + secret,
			"open audit store: cannot reach PostgreSQL at /nonexistent/govern/.s.PGSQL.5432: no server is listening on that socket", govern.EUnavailable},
		{"port not a number", "postgres://alice:" + secret + "@127.0.0.1:notaport/test",
			"open audit store: invalid PostgreSQL DSN: invalid port", govern.EInvalid},
		{"bad sslmode", "postgres://alice:" + secret + "@127.0.0.1/test?sslmode=sometimes",
			"open audit store: invalid PostgreSQL DSN: failed to configure TLS (sslmode is invalid)", govern.EInvalid},
		{"bad key=value", "host=127.0.0.1 password='" + secret,
			"open audit store: invalid PostgreSQL DSN: failed to parse as keyword/value (unterminated quoted string in connection info string)", govern.EInvalid},
		{"not PostgreSQL", "mysql://root:" + secret + "@localhost/audit",
			"open audit store: invalid PostgreSQL DSN: it must start with postgres:// or postgresql://, not mysql://", govern.EInvalid},
		{"bad connect_timeout", "postgres://alice:" + secret + "@127.0.0.1/test?connect_timeout=soon",
			`open audit store: invalid PostgreSQL DSN: invalid connect_timeout (strconv.ParseInt: parsing "soon": invalid syntax)`, govern.EInvalid},
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			s, err := Open(t.Context(), c.dsn)
			if err == nil {
				s.Close()
				t.Fatalf("Open(%s) succeeded", c.name)
			}
			if err.Error() != c.want || govern.ErrorCode(err) != c.code {
				t.Errorf("Open error = %q (code %s)\nwant        %q (code %s)", err, govern.ErrorCode(err), c.want, c.code)
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(fmt.Sprintf("%+v", err), secret) {
				t.Errorf("Open error shows the password: %v", err)
			}
			if d := time.Since(start); d > 4*time.Second {
				t.Errorf("Open took %v to fail", d)
			}
		})
	}
}

// silentServer accepts TCP connections and never says a word.
func silentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	return ln.Addr().String()
}

func TestOpenNoSuchDatabase(t *testing.T) {
	t.Parallel()
	dsn := baseDSN(t)
	cfg, err := pgconn.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	dsn = strings.Replace(dsn, "/"+cfg.Database, "/govern_no_such_db", 1)
	_, err = Open(t.Context(), dsn)
	want := fmt.Sprintf(`open audit store: PostgreSQL at %s:%d: database "govern_no_such_db" does not exist`, cfg.Host, cfg.Port)
	if err == nil || err.Error() != want || govern.ErrorCode(err) != govern.ENotFound {
		t.Fatalf("Open = %v (code %s), want %q", err, govern.ErrorCode(err), want)
	}
}

func TestOpenCanceled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := Open(ctx, "postgres://alice@"+silentServer(t)+"/test?sslmode=disable")
	if !errors.Is(err, context.Canceled) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("Open with a canceled context = %v, want context.Canceled", err)
	}
}

// What the server says about authentication and other failures reaches
// the user as its one-line message, with a code.
func TestDescribeServerErrors(t *testing.T) {
	t.Parallel()
	w := server{addr: "db.example.com:5432", timeout: "5s"}
	for _, c := range []struct {
		pe   pgconn.PgError
		want string
		code string
	}{
		{pgconn.PgError{Code: "28P01", Message: `password authentication failed for user "bob"`},
			`open audit store: PostgreSQL at db.example.com:5432: password authentication failed for user "bob"`, govern.EUnauthorized},
		{pgconn.PgError{Code: "28000", Message: `no pg_hba.conf entry for host "10.0.0.1", user "bob", database "audit", no encryption`},
			`open audit store: PostgreSQL at db.example.com:5432: no pg_hba.conf entry for host "10.0.0.1", user "bob", database "audit", no encryption`, govern.EUnauthorized},
		{pgconn.PgError{Code: "42501", Message: "permission denied for schema audit"},
			"open audit store: PostgreSQL at db.example.com:5432: permission denied for schema audit", govern.EForbidden},
		{pgconn.PgError{Code: "53100", Message: "could not extend file: No space left on device"},
			"open audit store: PostgreSQL at db.example.com:5432: could not extend file: No space left on device", govern.EUnavailable},
	} {
		err := describe("open audit store", w, fmt.Errorf("connect: %w", &c.pe))
		if err.Error() != c.want || err.Code != c.code {
			t.Errorf("describe(%s) = %q (%s), want %q (%s)", c.pe.Code, err, err.Code, c.want, c.code)
		}
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	for _, dsn := range []string{
		"postgres://u:" + secret + "@h/db",
		"postgresql://u:" + secret + "@h:bad/db",
		"postgres://u@h/db?password=" + secret,
		"host=h password=" + secret + " user=u",
		"host=h password = '" + secret + "' user=u",
		"host=h sslpassword=" + secret,
	} {
		if got := redact("message with "+secret+" inside", dsn); got != "message with xxxxx inside" {
			t.Errorf("redact(…, %q) = %q", dsn, got)
		}
	}
}
