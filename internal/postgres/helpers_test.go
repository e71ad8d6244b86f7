package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// baseDSN returns the DSN of the test server from GOVERN_TEST_POSTGRES.
// Without it the test skips, or fails when GOVERN_REQUIRE_POSTGRES=1.
func baseDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("GOVERN_TEST_POSTGRES")
	if dsn == "" {
		const msg = "GOVERN_TEST_POSTGRES is not set: PostgreSQL tests need a DSN such as " +
			"postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
		if os.Getenv("GOVERN_REQUIRE_POSTGRES") == "1" {
			t.Fatal(msg + " (GOVERN_REQUIRE_POSTGRES=1)")
		}
		t.Skip(msg)
	}
	return dsn
}

// withParam returns dsn with one more connection parameter, in URL or
// key=value form as dsn is.
func withParam(t testing.TB, dsn, key, value string) string {
	t.Helper()
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatalf("GOVERN_TEST_POSTGRES: %v", err)
		}
		q := u.Query()
		q.Set(key, value)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " " + key + "=" + value
}

// freshSchema creates a schema of its own for the test, dropped at cleanup,
// and returns a DSN whose search_path is that schema.
func freshSchema(t testing.TB) string {
	t.Helper()
	dsn := baseDSN(t)
	b := make([]byte, 8)
	rand.Read(b)
	schema := "govern_test_" + hex.EncodeToString(b)
	admin(t, dsn, "CREATE SCHEMA "+schema)
	t.Cleanup(func() { admin(t, dsn, "DROP SCHEMA "+schema+" CASCADE") })
	return withParam(t, dsn, "search_path", schema)
}

// admin runs one statement on dsn outside any store.
func admin(t testing.TB, dsn, sql string) {
	t.Helper()
	// Not t.Context(): cleanups run after it is canceled.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect to test PostgreSQL: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// openAt opens a store on dsn, closed at cleanup.
func openAt(t testing.TB, dsn string) *AuditStore {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	dsns.Store(s, dsn)
	return s
}

// openFresh opens a store on a fresh schema.
func openFresh(t testing.TB) *AuditStore { return openAt(t, freshSchema(t)) }

// dsns maps each test store to its DSN, for second handles and raw SQL.
var dsns sync.Map

func dsnOf(t testing.TB, s any) string {
	t.Helper()
	dsn, ok := dsns.Load(s)
	if !ok {
		t.Fatalf("store %p was not opened by this test", s)
	}
	return dsn.(string)
}
