package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/audit"
)

var t0 = time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)

func rec(i int) *govern.AuditRecord {
	return &govern.AuditRecord{
		Time: t0.Add(time.Duration(i) * time.Second), Event: "PreToolUse", User: "alice", Tool: "Bash",
		Input: json.RawMessage(fmt.Sprintf(`{"command":"echo %d"}`, i)), Outcome: govern.Allow,
		Reason: fmt.Sprintf("reason %d", i), Personas: []string{"security:approve"},
	}
}

func recs(from, n int) []*govern.AuditRecord {
	out := make([]*govern.AuditRecord, n)
	for i := range out {
		out[i] = rec(from + i)
	}
	return out
}

func verifyIntact(t *testing.T, s govern.AuditStore, want int64) {
	t.Helper()
	rep, err := audit.Verify(t.Context(), s, nil)
	if err != nil || rep.Problem != nil || rep.Records != want {
		t.Fatalf("Verify = %d records, problem %v, err %v; want %d intact", rep.Records, rep.Problem, err, want)
	}
}

// Eight replicas (eight pools) append at once, alone and in batches small
// and large (COPY): nothing is lost and the chain has no fork.
func TestReplicasAppendConcurrently(t *testing.T) {
	t.Parallel()
	dsn := freshSchema(t)
	const replicas, rounds = 8, 40
	stores := make([]*AuditStore, replicas)
	for i := range stores {
		stores[i] = openAt(t, dsn)
	}
	sizes := []int{1, 1, 1, 5, 1, copyMin + 6}
	var wg sync.WaitGroup
	var mu sync.Mutex
	appended := map[string]bool{}
	want := 0
	for w, s := range stores {
		for i := range rounds {
			want += sizes[(w+i)%len(sizes)]
		}
		wg.Go(func() {
			for i := range rounds {
				batch := recs(i*100, sizes[(w+i)%len(sizes)])
				if err := s.Append(t.Context(), batch...); err != nil {
					t.Errorf("replica %d: %v", w, err)
					return
				}
				mu.Lock()
				for _, r := range batch {
					appended[r.ID] = true
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	verifyIntact(t, stores[0], int64(want))
	err := stores[0].Scan(t.Context(), 1, func(r *govern.AuditRecord) error {
		delete(appended, r.ID)
		return nil
	})
	if err != nil || len(appended) != 0 {
		t.Fatalf("Scan = %v; %d appended records are not stored", err, len(appended))
	}
}

// Replicas that start together on a new database migrate it once.
func TestOpenMigratesOnceUnderConcurrency(t *testing.T) {
	t.Parallel()
	dsn := freshSchema(t)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			s, err := Open(t.Context(), dsn)
			if err != nil {
				t.Error(err)
				return
			}
			s.Close()
		})
	}
	wg.Wait()
	s := openAt(t, dsn)
	var n, max int
	if err := s.pool.QueryRow(t.Context(), `SELECT count(*), max(version) FROM govern_migrations`).Scan(&n, &max); err != nil {
		t.Fatal(err)
	}
	if n != SchemaVersion() || max != SchemaVersion() {
		t.Fatalf("govern_migrations holds %d rows up to version %d, want %d", n, max, SchemaVersion())
	}
	mustAppend(t, s, rec(0))
	verifyIntact(t, s, 1)
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	dsn := freshSchema(t)
	openAt(t, dsn).Close()
	next := SchemaVersion() + 1
	admin(t, dsn, fmt.Sprintf(`INSERT INTO govern_migrations (version, name) VALUES (%d, 'from the future')`, next))
	_, err := Open(t.Context(), dsn)
	want := fmt.Sprintf("open audit store: the audit database at 127.0.0.1:5432 has schema version %d, "+
		"newer than this govern knows (%d): upgrade govern", next, SchemaVersion())
	if err == nil || err.Error() != want {
		t.Fatalf("Open of a newer database = %v, want %q", err, want)
	}
}

func TestOpenMissingSchema(t *testing.T) {
	t.Parallel()
	dsn := withParam(t, baseDSN(t), "search_path", "govern_no_such_schema")
	_, err := Open(t.Context(), dsn)
	want := `open audit store: PostgreSQL at 127.0.0.1:5432: no schema in search_path "govern_no_such_schema" exists`
	if err == nil || err.Error() != want || govern.ErrorCode(err) != govern.ENotFound {
		t.Fatalf("Open = %v (code %s), want %q", err, govern.ErrorCode(err), want)
	}
}

func mustAppend(t *testing.T, s govern.AuditStore, rs ...*govern.AuditRecord) {
	t.Helper()
	if err := s.Append(t.Context(), rs...); err != nil {
		t.Fatal(err)
	}
}

// Append notifies govern_audit with the new head, for live streams.
func TestAppendNotifies(t *testing.T) {
	t.Parallel()
	dsn := freshSchema(t)
	s := openAt(t, dsn)
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(t.Context(), "LISTEN govern_audit"); err != nil {
		t.Fatal(err)
	}
	var schema string
	if err := conn.QueryRow(t.Context(), "SELECT current_schema()").Scan(&schema); err != nil {
		t.Fatal(err)
	}
	mustAppend(t, s, recs(0, 3)...)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	want := schema + ":3"
	for { // other tests' stores notify the same channel
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			t.Fatalf("no notification %q: %v", want, err)
		}
		if strings.HasPrefix(n.Payload, schema+":") {
			if n.Channel != "govern_audit" || n.Payload != want {
				t.Fatalf("notification = %+v; want govern_audit %q", n, want)
			}
			return
		}
	}
}

// PostgreSQL text holds neither NUL nor invalid UTF-8: those bytes become
// U+FFFD before sealing, the caller's slices stay untouched, and the chain
// verifies.
func TestAppendUnstorableBytes(t *testing.T) {
	t.Parallel()
	s := openFresh(t)
	personas := []string{"ok:approve", "bad\xff:ask", "nul\x00:deny"}
	r := rec(0)
	r.Reason, r.User, r.Personas = "a\x00b\xc3(", "m\xe2\x82allory", personas
	r.Input = json.RawMessage("{\"command\":\"echo \xff\"}")
	mustAppend(t, s, r)
	got, err := s.List(t.Context(), govern.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := rec(0)
	want.ID, want.Seq, want.PrevHash, want.Hash = r.ID, 1, audit.Genesis, r.Hash
	want.Reason, want.User = "a\uFFFDb\uFFFD(", "m\uFFFD\uFFFDallory"
	want.Personas = []string{"ok:approve", "bad\uFFFD:ask", "nul\uFFFD:deny"}
	want.Input = json.RawMessage(`{"command":"echo ` + "\uFFFD" + `"}`)
	if diff := cmp.Diff([]govern.AuditRecord{*want}, got); diff != "" {
		t.Errorf("stored record (-want +got):\n%s", diff)
	}
	if personas[1] != "bad\xff:ask" {
		t.Errorf("Append changed the caller's Personas slice in place: %q", personas)
	}
	verifyIntact(t, s, 1)
}

// A tail deleted behind the store's back does not let the next record
// reuse its place: the head row still points past it, so verification
// reports the deletion.
func TestHeadRemembersDeletedTail(t *testing.T) {
	t.Parallel()
	s := openFresh(t)
	mustAppend(t, s, recs(0, 5)...)
	admin(t, dsnOf(t, s), "DELETE FROM audit_records WHERE seq > 3")
	r := rec(5)
	mustAppend(t, s, r)
	if r.Seq != 6 {
		t.Fatalf("appended at seq %d after the tail was deleted, want 6", r.Seq)
	}
	rep, err := audit.Verify(t.Context(), s, nil)
	if err != nil || rep.Problem == nil || rep.Problem.Kind != audit.Deleted || rep.Problem.Seq != 4 {
		t.Fatalf("Verify = %+v, %v; want records 4 to 5 deleted", rep.Problem, err)
	}
}

// A row forged at the next position makes Append fail with a clear
// conflict, leaving the caller's record as it was.
func TestAppendConflictsWithForgedRow(t *testing.T) {
	t.Parallel()
	s := openFresh(t)
	first := recs(0, 2)
	mustAppend(t, s, first...)
	admin(t, dsnOf(t, s), `INSERT INTO audit_records (id, seq, time, prev_hash, hash)
		VALUES ('forged', 3, '2026-11-29T09:00:00.000000Z', 'x', 'y')`)
	for _, n := range []int{1, copyMin} {
		batch := recs(2, n)
		err := s.Append(t.Context(), batch...)
		want := "append audit records: the chain head (record 2) is behind the stored records: " +
			"audit_records was changed outside govern; run govern audit verify"
		if err == nil || err.Error() != want || govern.ErrorCode(err) != govern.EConflict {
			t.Errorf("Append of %d = %v, want %q", n, err, want)
		}
		if batch[0].Seq != 0 || batch[0].ID != "" {
			t.Errorf("failed Append left record sealed at %d", batch[0].Seq)
		}
	}
	admin(t, dsnOf(t, s), "DELETE FROM audit_records WHERE seq = 3")
	r := rec(9)
	r.ID = first[0].ID
	err := s.Append(t.Context(), r)
	if err == nil || !strings.Contains(err.Error(), "a record with the same ID is already stored (Key (id)=("+r.ID+") already exists.)") {
		t.Errorf("Append of a duplicate ID = %v", err)
	}
}

// Commits wait for the WAL flush even where synchronous_commit is off;
// stronger settings are kept.
func TestCommitsAreDurable(t *testing.T) {
	t.Parallel()
	dsn := freshSchema(t)
	for setting, want := range map[string]string{"off": "on", "local": "local", "remote_apply": "remote_apply"} {
		s := openAt(t, withParam(t, dsn, "synchronous_commit", setting))
		var got string
		if err := s.pool.QueryRow(t.Context(), "SHOW synchronous_commit").Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("with synchronous_commit=%s in the DSN, the store commits with %s, want %s", setting, got, want)
		}
	}
}

func TestClosedStore(t *testing.T) {
	t.Parallel()
	s := openFresh(t)
	s.Close()
	s.Close()
	ctx := t.Context()
	_, listErr := s.List(ctx, govern.AuditFilter{})
	_, cpErr := s.Checkpoints(ctx)
	for what, err := range map[string]error{
		"Append": s.Append(ctx, rec(0)), "List": listErr, "Checkpoints": cpErr,
		"Scan":          s.Scan(ctx, 1, func(*govern.AuditRecord) error { return nil }),
		"AddCheckpoint": s.AddCheckpoint(ctx, govern.Checkpoint{Seq: 1}),
	} {
		if err == nil || err.Error() != "audit store is closed" || govern.ErrorCode(err) != govern.EUnavailable {
			t.Errorf("%s after Close = %v, want audit store is closed", what, err)
		}
	}
}

// Connections the server dropped (a restart, a failover) are replaced: the
// next append succeeds on a new one.
func TestAppendAfterServerDroppedConnections(t *testing.T) {
	t.Parallel()
	dsn := freshSchema(t)
	app := "govern_test_drop_" + fmt.Sprint(time.Now().UnixNano())
	s := openAt(t, withParam(t, dsn, "application_name", app))
	mustAppend(t, s, rec(0))
	admin(t, dsn, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"+app+"'")
	r := rec(1)
	mustAppend(t, s, r)
	if r.Seq != 2 {
		t.Fatalf("appended at %d, want 2", r.Seq)
	}
	verifyIntact(t, s, 2)
}

// Columns edited into what the store would never write still read back,
// and verification reports the edit instead of failing to read.
func TestVerifyReadsMangledColumns(t *testing.T) {
	t.Parallel()
	for _, set := range []string{"personas = 'not a list'", `recommendations = '[1, 2]'`, "input = '{not json'"} {
		s := openFresh(t)
		mustAppend(t, s, recs(0, 3)...)
		admin(t, dsnOf(t, s), "UPDATE audit_records SET "+set+" WHERE seq = 2")
		rep, err := audit.Verify(t.Context(), s, nil)
		if err != nil || rep.Problem == nil || rep.Problem.Kind != audit.Edited || rep.Problem.Seq != 2 {
			t.Errorf("after SET %s, Verify = %+v, %v; want record 2 edited", set, rep.Problem, err)
		}
	}
}

// Two replicas publishing the same signed checkpoint store it once; a
// different note for the same head is kept beside it.
func TestAddCheckpointTwice(t *testing.T) {
	t.Parallel()
	s := openFresh(t)
	c := govern.Checkpoint{Seq: 1, Hash: "h", Time: t0, Note: "note"}
	other := c
	other.Note = "another signer"
	for _, cp := range []govern.Checkpoint{c, c, other} {
		if err := s.AddCheckpoint(t.Context(), cp); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Checkpoints(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]govern.Checkpoint{other, c}, got); diff != "" {
		t.Errorf("Checkpoints (-want +got):\n%s", diff)
	}
}
