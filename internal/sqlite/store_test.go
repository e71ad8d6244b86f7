package sqlite

import (
	"context"
	"os"
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

// TestConformanceAppender runs the suite with every append going through
// an Appender, as hooks append, and reads through the store.
func TestConformanceAppender(t *testing.T) {
	t.Parallel()
	wrap := func(t *testing.T, path string) govern.AuditStore {
		return hookStore{open(t, path), openAppender(t, path)}
	}
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T) govern.AuditStore {
			return wrap(t, filepath.Join(t.TempDir(), "audit.db"))
		},
		Reopen: func(t *testing.T, s govern.AuditStore) govern.AuditStore {
			return wrap(t, s.(hookStore).path)
		},
		Exec: func(t *testing.T, s govern.AuditStore, sql string) {
			t.Helper()
			store := s.(hookStore).AuditStore
			if err := store.catchUp(t.Context()); err != nil { // tamper with what is stored
				t.Fatal(err)
			}
			if _, err := store.db.ExecContext(t.Context(), sql); err != nil {
				t.Fatalf("exec %q: %v", sql, err)
			}
		},
		Writers:          16,
		AppendsPerWriter: 50,
	})
}

// hookStore appends through its Appender and reads through its store.
type hookStore struct {
	*AuditStore
	app *Appender
}

func (h hookStore) Append(ctx context.Context, recs ...*govern.AuditRecord) error {
	return h.app.Append(ctx, recs...)
}

func (h hookStore) Close() error {
	h.app.Close()
	return h.AuditStore.Close()
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

// TestCloseKeepsAnEmptyWAL: a store closed by its last connection leaves
// its -wal and -shm files for the next process, the WAL cut to zero bytes,
// and every record in the database file itself.
func TestCloseKeepsAnEmptyWAL(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.db")
	for i := range 3 { // as three hook processes would
		s, err := Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Append(t.Context(), record(i)); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(path + "-wal"); err != nil || fi.Size() == 0 {
			t.Fatalf("before Close: %s-wal: %v, want records in it", path, err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		for _, suffix := range []string{"-wal", "-shm"} {
			if _, err := os.Stat(path + suffix); err != nil {
				t.Fatalf("after Close: %v", err)
			}
		}
		if fi, _ := os.Stat(path + "-wal"); fi.Size() != 0 {
			t.Fatalf("after Close: %s-wal holds %d bytes, want 0", path, fi.Size())
		}
	}

	// The database file alone, copied without its WAL, has all three.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	only := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(only, data, 0o600); err != nil {
		t.Fatal(err)
	}
	recs, err := open(t, only).List(t.Context(), govern.AuditFilter{})
	if err != nil || len(recs) != 3 {
		t.Fatalf("the copied file lists %d records, %v; want 3", len(recs), err)
	}
}
