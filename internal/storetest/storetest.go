package storetest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/govern-dev/govern"
)

// Harness is what the suite needs from a store's test.
type Harness struct {
	// Open returns a new, empty store on a database of its own. The
	// harness closes it (and drops the database) with t.Cleanup; the suite
	// may close it earlier, so Close must be safe twice.
	Open func(t *testing.T) govern.AuditStore
	// Reopen returns another, independent handle on s's database: for
	// SQLite, a second Open of the same file; for PostgreSQL, a second
	// pool. The concurrent-appender case appends through several such
	// handles at once. The harness closes it with t.Cleanup.
	Reopen func(t *testing.T, s govern.AuditStore) govern.AuditStore
	// Exec runs one SQL statement on s's database directly, bypassing the
	// store, and fails t on error. The tampering cases use it; see the
	// package documentation for the table they expect.
	Exec func(t *testing.T, s govern.AuditStore, sql string)

	// Writers and AppendsPerWriter size the concurrent-appender case;
	// zero means 8 writers of 50 appends each.
	Writers, AppendsPerWriter int
}

// Run runs the whole suite, each case a subtest of t.
func Run(t *testing.T, h Harness) {
	if h.Open == nil || h.Reopen == nil || h.Exec == nil {
		t.Fatal("storetest: Harness needs Open, Reopen and Exec")
	}
	t.Run("RoundTrip", func(t *testing.T) { t.Parallel(); testRoundTrip(t, h) })
	t.Run("InputCanonical", func(t *testing.T) { t.Parallel(); testInputCanonical(t, h) })
	t.Run("Sequence", func(t *testing.T) { t.Parallel(); testSequence(t, h) })
	t.Run("IDs", func(t *testing.T) { t.Parallel(); testIDs(t, h) })
	t.Run("AppendNothing", func(t *testing.T) { t.Parallel(); testAppendNothing(t, h) })
	t.Run("FailedAppendLeavesRecords", func(t *testing.T) { t.Parallel(); testFailedAppend(t, h) })
	t.Run("Scan", func(t *testing.T) { t.Parallel(); testScan(t, h) })
	t.Run("Batch1000", func(t *testing.T) { t.Parallel(); testBatch(t, h) })
	t.Run("List", func(t *testing.T) { t.Parallel(); testList(t, h) })
	t.Run("Paginate", func(t *testing.T) { t.Parallel(); testPaginate(t, h) })
	t.Run("Limit", func(t *testing.T) { t.Parallel(); testLimit(t, h) })
	t.Run("Checkpoints", func(t *testing.T) { t.Parallel(); testCheckpoints(t, h) })
	t.Run("VerifyIntact", func(t *testing.T) { t.Parallel(); testVerifyIntact(t, h) })
	t.Run("Tamper", func(t *testing.T) { t.Parallel(); testTamper(t, h) })
	t.Run("Reopen", func(t *testing.T) { t.Parallel(); testReopen(t, h) })
	t.Run("ConcurrentAppenders", func(t *testing.T) { t.Parallel(); testConcurrent(t, h) })
	t.Run("Canceled", func(t *testing.T) { t.Parallel(); testCanceled(t, h) })
	t.Run("CloseTwice", func(t *testing.T) { t.Parallel(); testCloseTwice(t, h) })
	t.Run("Sessions", func(t *testing.T) { t.Parallel(); testSessions(t, h) })
	t.Run("SessionsConcurrent", func(t *testing.T) { t.Parallel(); testSessionsConcurrent(t, h) })
}

// base is the time of the suite's first generated record.
var base = time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)

var (
	users    = []string{"alice", "bob", "carol"}
	teams    = []string{"eng", "sec"}
	tools    = []string{"Bash", "Edit", "WebFetch", "Read"}
	outcomes = []govern.Outcome{govern.Allow, govern.Ask, govern.Deny, govern.None, govern.Allow}
)

// gen returns record i of a deterministic sequence whose fields vary
// independently, one minute apart, with no ID (the store assigns it).
func gen(i int) *govern.AuditRecord {
	event := "PreToolUse"
	if i%7 == 3 {
		event = "PostToolUse"
	}
	tool := tools[i%len(tools)]
	input, _ := json.Marshal(map[string]any{"command": fmt.Sprintf("echo %d", i), "n": i})
	var result json.RawMessage
	if event == "PostToolUse" {
		result, _ = json.Marshal(map[string]any{"status": "succeeded", "exit_code": 0, "duration_ms": i})
	}
	return &govern.AuditRecord{
		Time:            base.Add(time.Duration(i) * time.Minute),
		Event:           event,
		Session:         fmt.Sprintf("session-%d", i/10),
		User:            users[i%len(users)],
		Team:            teams[i%len(teams)],
		Host:            "host-1",
		Tool:            tool,
		Input:           input,
		Result:          result,
		Outcome:         outcomes[i%len(outcomes)],
		Reason:          fmt.Sprintf("reason %d", i),
		Risk:            govern.RiskMedium,
		Rule:            tool + "(*)",
		Layer:           govern.LayerEnterprise,
		Personas:        []string{"security:approve"},
		Recommendations: []string{"use the sandbox"},
		PolicyRevision:  "rev-1",
		LatencyUS:       int64(100 + i),
	}
}

func genN(from, n int) []*govern.AuditRecord {
	recs := make([]*govern.AuditRecord, n)
	for i := range recs {
		recs[i] = gen(from + i)
	}
	return recs
}

// filled returns a new store holding n generated records, and the records
// as sealed by Append.
func filled(t *testing.T, h Harness, n int) (govern.AuditStore, []*govern.AuditRecord) {
	t.Helper()
	s := h.Open(t)
	recs := genN(0, n)
	mustAppend(t, s, recs...)
	return s, recs
}

func mustAppend(t *testing.T, s govern.AuditStore, recs ...*govern.AuditRecord) {
	t.Helper()
	if err := s.Append(t.Context(), recs...); err != nil {
		t.Fatalf("Append(%d records): %v", len(recs), err)
	}
}

// scanAll returns every stored record, by Seq.
func scanAll(t *testing.T, s govern.AuditStore) []govern.AuditRecord {
	t.Helper()
	var out []govern.AuditRecord
	err := s.Scan(t.Context(), 0, func(r *govern.AuditRecord) error {
		out = append(out, *r)
		return nil
	})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	return out
}

func mustList(t *testing.T, s govern.AuditStore, f govern.AuditFilter) []govern.AuditRecord {
	t.Helper()
	got, err := s.List(t.Context(), f)
	if err != nil {
		t.Fatalf("List(%+v): %v", f, err)
	}
	return got
}

func seqs(recs []govern.AuditRecord) []int64 {
	out := make([]int64, len(recs))
	for i, r := range recs {
		out[i] = r.Seq
	}
	return out
}

// quote returns s as an SQL string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
