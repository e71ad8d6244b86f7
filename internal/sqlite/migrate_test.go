package sqlite

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
)

// TestMigrateConcurrentOpen opens one new file from many handles at the
// same moment: each migration is applied once and every Open succeeds.
func TestMigrateConcurrentOpen(t *testing.T) {
	t.Parallel()
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "audit.db")
	const n = 16
	stores := make([]*AuditStore, n)
	errs := make([]error, n)
	var start, wg sync.WaitGroup
	start.Add(1)
	for i := range n {
		wg.Go(func() {
			start.Wait()
			stores[i], errs[i] = Open(context.Background(), path)
		})
	}
	start.Done()
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d: %v", i, err)
			continue
		}
		t.Cleanup(func() { stores[i].Close() })
	}
	if t.Failed() {
		t.FailNow()
	}
	s := stores[0]
	var rows, max int
	if err := s.db.QueryRow("SELECT count(*), max(version) FROM govern_schema").Scan(&rows, &max); err != nil {
		t.Fatal(err)
	}
	if rows != len(ms) || max != len(ms) {
		t.Fatalf("govern_schema has %d rows up to version %d, want %d", rows, max, len(ms))
	}
	var mode string
	if err := s.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v; want wal", mode, err)
	}
}

// TestPragmas checks that every pooled connection has the settings the
// store depends on, not only the first.
func TestPragmas(t *testing.T) {
	t.Parallel()
	s := open(t, filepath.Join(t.TempDir(), "audit.db"))
	conns := make([]interface{ Close() error }, 0, 4)
	for range 4 {
		c, err := s.db.Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		for pragma, want := range map[string]int{"synchronous": 2, "busy_timeout": BusyTimeoutMS, "journal_size_limit": walLimit} {
			var got int
			if err := c.QueryRowContext(t.Context(), "PRAGMA "+pragma).Scan(&got); err != nil || got != want {
				t.Errorf("PRAGMA %s = %d, %v; want %d", pragma, got, err, want)
			}
		}
	}
	for _, c := range conns {
		c.Close()
	}
}
