package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/storetest"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T) govern.AuditStore {
			return open(t, filepath.Join(t.TempDir(), "audit.db"))
		},
		Reopen: func(t *testing.T, s govern.AuditStore) govern.AuditStore {
			return open(t, s.(*AuditStore).path)
		},
		Exec: func(t *testing.T, s govern.AuditStore, sql string) {
			t.Helper()
			if _, err := s.(*AuditStore).db.ExecContext(t.Context(), sql); err != nil {
				t.Fatalf("exec %q: %v", sql, err)
			}
		},
		Writers:          16,
		AppendsPerWriter: 50,
	})
}

// open opens the store at path, closed when t ends.
func open(t testing.TB, path string) *AuditStore {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
