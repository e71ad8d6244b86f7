package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/audit"
)

// openAppender opens an Appender on path, closed when t ends.
func openAppender(t *testing.T, path string) *Appender {
	t.Helper()
	a, err := OpenAppender(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// spooled returns a new store's path and an Appender that appended n
// records to it: the first in the database, the others in the spool.
func spooled(t *testing.T, n int) (string, *Appender) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "audit.db")
	a := openAppender(t, path)
	for i := range n {
		if err := a.Append(t.Context(), record(i)); err != nil {
			t.Fatal(err)
		}
	}
	return path, a
}

// inDB counts the records the database itself holds, spool aside.
func inDB(t *testing.T, s *AuditStore) int {
	t.Helper()
	var n int
	if err := s.db.QueryRowContext(t.Context(), "SELECT count(*) FROM audit_records").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func spoolLineCount(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path + spoolSuffix)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(data), "\n")
}

func verified(t *testing.T, s govern.AuditStore, records int64) {
	t.Helper()
	rep, err := audit.Verify(t.Context(), s, nil)
	if err != nil || rep.Problem != nil || rep.Records != records {
		t.Fatalf("Verify = %+v (problem %v), %v; want %d records intact", rep, rep.Problem, err, records)
	}
}

// TestAppenderSpools: a hook's appends wait in the spool, sealed in the
// chain, and the database takes them in when enough wait; a store that
// reads sees them either way.
func TestAppenderSpools(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "audit.db")
	a := openAppender(t, path)
	ctx := t.Context()
	first := record(0)
	if err := a.Append(ctx, first); err != nil { // a new store: through the database
		t.Fatal(err)
	}
	reader := open(t, path)
	if first.Seq != 1 || inDB(t, reader) != 1 || spoolLineCount(t, path) != 1 {
		t.Fatalf("first append: seq %d, %d in the database, %d spool lines; want 1, 1, 1 (the anchor)",
			first.Seq, inDB(t, reader), spoolLineCount(t, path))
	}
	for i := 1; i <= maxPending; i++ {
		r := record(i)
		if err := a.Append(ctx, r); err != nil {
			t.Fatal(err)
		}
		if r.Seq != int64(i+1) || r.Hash == "" {
			t.Fatalf("append %d sealed seq %d hash %q", i, r.Seq, r.Hash)
		}
	}
	if n := inDB(t, reader); n != 1 {
		t.Fatalf("after %d spooled appends the database holds %d records, want 1", maxPending, n)
	}
	if n := spoolLineCount(t, path); n != maxPending+1 {
		t.Fatalf("the spool has %d lines, want %d", n, maxPending+1)
	}
	recs, err := reader.List(ctx, govern.AuditFilter{Limit: 1000}) // a read takes the spool in
	if err != nil || len(recs) != maxPending+1 {
		t.Fatalf("List = %d records, %v; want %d", len(recs), err, maxPending+1)
	}
	if n := spoolLineCount(t, path); n != 1 {
		t.Fatalf("after a read the spool has %d lines, want the anchor only", n)
	}
	for i := range maxPending + 1 { // past maxPending the append imports
		if err := a.Append(ctx, record(100+i)); err != nil {
			t.Fatal(err)
		}
	}
	if n := spoolLineCount(t, path); n > maxPending+1 {
		t.Fatalf("the spool has %d lines, want at most %d", n, maxPending+1)
	}
	verified(t, reader, 2*maxPending+2)
}

// TestSpoolTornLine: a line cut short by a writer that died before its
// append returned is dropped; the chain goes on from the line before.
func TestSpoolTornLine(t *testing.T) {
	t.Parallel()
	path, a := spooled(t, 3)
	ctx := t.Context()
	f, err := os.OpenFile(path+spoolSuffix, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"id":"01TORN","seq":4,"time":"2026-`)
	f.Close()
	r := record(3)
	if err := a.Append(ctx, r); err != nil {
		t.Fatal(err)
	}
	if r.Seq != 4 {
		t.Fatalf("the append after a torn line got seq %d, want 4", r.Seq)
	}
	verified(t, open(t, path), 4)
}

// TestSpoolFork: spooled records chained to a head that something else
// has since appended after are set aside in a file of their own, never
// dropped; the error says where, once, and the trail goes on.
func TestSpoolFork(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "audit.db")
	a := openAppender(t, path)
	ctx := t.Context()
	if err := a.Append(ctx, record(0)); err != nil {
		t.Fatal(err)
	}
	spooled := record(1)
	if err := a.Append(ctx, spooled); err != nil { // spooled: seq 2
		t.Fatal(err)
	}
	appendBehindTheSpool(t, path, record(2)) // another program appends seq 2

	s := open(t, path)
	_, err := s.List(ctx, govern.AuditFilter{})
	if err == nil || !strings.Contains(err.Error(), "1 records in it did not continue the database") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("List after a fork = %v, want one line saying a record was set aside", err)
	}
	files, err := s.SetAside()
	if err != nil || len(files) != 1 {
		t.Fatalf("SetAside = %v, %v; want one file", files, err)
	}
	data, _ := os.ReadFile(files[0])
	if !strings.Contains(string(data), spooled.ID) {
		t.Fatalf("%s does not hold the spooled record %s: %s", files[0], spooled.ID, data)
	}
	// The trail goes on from the database's head.
	if err := a.Append(ctx, record(3)); err != nil {
		t.Fatal(err)
	}
	verified(t, s, 3)
}

// TestSpoolStaleAnchor: when something else appended to the database and
// nothing waited in the spool, the next append goes on from the
// database's head: nothing to set aside, nothing refused.
func TestSpoolStaleAnchor(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "audit.db")
	s := open(t, path)
	ctx := t.Context()
	if err := s.Append(ctx, record(0)); err != nil {
		t.Fatal(err)
	}
	appendBehindTheSpool(t, path, record(1))
	r := record(2)
	if err := s.Append(ctx, r); err != nil {
		t.Fatalf("Append after another program appended: %v", err)
	}
	if r.Seq != 3 {
		t.Fatalf("Append got seq %d, want 3", r.Seq)
	}
	if files, _ := s.SetAside(); len(files) != 0 {
		t.Fatalf("records were set aside: %v", files)
	}
	verified(t, s, 3)
}

// appendBehindTheSpool appends r to the database at path directly, as an
// older govern would.
func appendBehindTheSpool(t *testing.T, path string, r *govern.AuditRecord) {
	t.Helper()
	raw := rawDB(t, path)
	defer raw.Close()
	var seq int64
	var hash string
	if err := raw.QueryRow("SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1").Scan(&seq, &hash); err != nil {
		t.Fatal(err)
	}
	if err := audit.Seal(r, seq, hash); err != nil {
		t.Fatal(err)
	}
	tx, err := raw.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := insertSealed(t.Context(), tx, []*govern.AuditRecord{r}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// TestSpoolPermissions: the spool holds the same records as the database
// and gets its permissions.
func TestSpoolPermissions(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "audit.db")
	open(t, path).Close()
	os.Remove(path + spoolSuffix)
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := openAppender(t, path).Append(t.Context(), record(0)); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path + spoolSuffix)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("spool mode = %v, %v; want 0600 as the database", fi.Mode().Perm(), err)
	}
}

// TestSpoolEdited: a spooled record edited before the import is stored as
// it is found, and Verify says which one was edited.
func TestSpoolEdited(t *testing.T) {
	t.Parallel()
	path, _ := spooled(t, 3)
	ctx := t.Context()
	data, err := os.ReadFile(path + spoolSuffix)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(data), `"outcome":"allow"`, `"outcome":"deny"`, 1)
	if edited == string(data) {
		t.Fatal("no outcome to edit in the spool")
	}
	if err := os.WriteFile(path+spoolSuffix, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := audit.Verify(ctx, open(t, path), nil)
	if err != nil || rep.Problem == nil || rep.Problem.Kind != audit.Edited || rep.Problem.Seq != 2 {
		t.Fatalf("Verify = %+v (problem %+v), %v; want record 2 edited", rep, rep.Problem, err)
	}
}

// TestAppenderImportFails: when the import an append has to make cannot
// finish, nothing is stored and the record is left unsealed.
func TestAppenderImportFails(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "audit.db")
	a := openAppender(t, path)
	if err := a.Append(t.Context(), record(0)); err != nil { // creates the store
		t.Fatal(err)
	}
	release := holdLock(t, path)
	defer release()
	for i := 1; i <= maxPending; i++ { // these wait in the spool: no lock needed
		if err := a.Append(t.Context(), record(i)); err != nil {
			t.Fatal(err)
		}
	}
	before := spoolLineCount(t, path)
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	r := record(99)
	err := a.Append(ctx, r)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Append that must import while the database is locked = %v, want context.DeadlineExceeded", err)
	}
	if r.Seq != 0 || r.Hash != "" {
		t.Errorf("the failed Append sealed the record: seq %d", r.Seq)
	}
	if n := spoolLineCount(t, path); n != before {
		t.Errorf("the spool has %d lines after the failed Append, want %d as before", n, before)
	}
}

// rawDB opens the database at path directly, without its spool, as
// another program would.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// FuzzSpool reads whatever a spool file may hold, edited or cut short:
// reading it never panics, and it keeps only whole lines.
func FuzzSpool(f *testing.F) {
	f.Add([]byte(`{"seq":3,"hash":"ab"}` + "\n"))
	f.Add([]byte(`{"seq":3,"hash":"ab"}` + "\n" + `{"id":"X","seq":4,"time":"2026-01-01T00:00:00Z","event":"PreToolUse","latency_us":0,"prev_hash":"ab","hash":"cd"}` + "\n"))
	f.Add([]byte("{\"seq\":1,\"ha"))
	f.Add([]byte("\n\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "audit.db")
		if err := os.WriteFile(path+spoolSuffix, data, 0o644); err != nil {
			t.Fatal(err)
		}
		sp, err := openSpool(path)
		if err != nil {
			t.Fatal(err)
		}
		defer sp.close()
		l, err := sp.read()
		if err != nil {
			t.Fatal(err)
		}
		if len(l.data) > 0 && l.data[len(l.data)-1] != '\n' {
			t.Fatalf("read kept a cut-off line: %q", l.data)
		}
		if h, ok, err := l.head(); ok && (err != nil || h.Hash == "") {
			t.Fatalf("head = %+v, %v, %v", h, ok, err)
		}
		if recs, err := l.records(); err == nil && len(recs) != l.lines {
			t.Fatalf("records = %d, want %d lines", len(recs), l.lines)
		}
	})
}
