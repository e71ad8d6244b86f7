package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// holdLock takes the write lock on s's file through a handle of its own,
// as another process would, and returns a function that releases it.
func holdLock(t *testing.T, path string) (release func()) {
	t.Helper()
	other := open(t, path)
	tx, err := other.db.BeginTx(t.Context(), nil) // BEGIN IMMEDIATE
	if err != nil {
		t.Fatal(err)
	}
	return func() { tx.Rollback() }
}

// TestAppendWaitsForLock: an append waits while another writer holds the
// lock briefly, then succeeds.
func TestAppendWaitsForLock(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "audit.db")
	s := open(t, path)
	release := holdLock(t, path)
	time.AfterFunc(300*time.Millisecond, release)
	start := time.Now()
	r := record(0)
	if err := s.Append(t.Context(), r); err != nil {
		t.Fatalf("Append while another writer holds the lock for 300ms: %v", err)
	}
	if waited := time.Since(start); waited < 250*time.Millisecond || r.Seq != 1 {
		t.Fatalf("Append returned seq %d after %v, want seq 1 after the lock was released", r.Seq, waited)
	}
}

// TestAppendDeadlineWhileLocked: a hook's deadline ends the wait for a
// lock that is not released, long before the busy timeout.
func TestAppendDeadlineWhileLocked(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "audit.db")
	s := open(t, path)
	release := holdLock(t, path)
	defer release()
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	r := record(0)
	err := s.Append(ctx, r)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Append past its deadline = %v, want context.DeadlineExceeded", err)
	}
	if waited := time.Since(start); waited > 2*time.Second {
		t.Errorf("Append gave up after %v, want about 200ms", waited)
	}
	if r.Seq != 0 || r.ID != "" {
		t.Errorf("failed Append sealed the record: seq %d id %q", r.Seq, r.ID)
	}
}
