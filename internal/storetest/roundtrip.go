package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/audit"
)

// equateEmpty lets an empty list or input read back as nil; inputs compare
// as bytes (fast for big ones).
var equateEmpty = cmp.Options{
	cmpopts.EquateEmpty(),
	cmp.FilterValues(func(x, y json.RawMessage) bool { return len(x)+len(y) > 0 }, cmp.Comparer(func(x, y json.RawMessage) bool {
		return bytes.Equal(x, y)
	})),
}

func testRoundTrip(t *testing.T, h Harness) {
	s := h.Open(t)
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		ny = time.FixedZone("EST", -5*3600)
	}
	big := strings.Repeat("0123456789abcdef", 1<<16) // 1 MiB
	full := &govern.AuditRecord{
		ID:              "01KB5Z1M2N3P4Q5R6S7T8V9W0X",
		Time:            time.Date(2026, 11, 29, 3, 20, 1, 123456789, ny),
		Event:           "PreToolUse",
		Session:         "sess-ünï-🚀",
		User:            "Zoë 山田",
		Team:            "sécurité",
		Host:            "build-01.example.com",
		Tool:            "Bash",
		Input:           canon(t, `{"command":"rm -rf / # ' \" \\ <&> \u2028 e\u0301","numbers":[1.50,12345678901234567890,-0.0,1e400],"nested":{"z":[],"a":{}}}`),
		Outcome:         govern.Deny,
		Reason:          "it's \"quoted\", back\\slash, tab\t, newline\n, مرحبا, 🚫",
		Risk:            govern.RiskCritical,
		Rule:            "Bash(rm -rf:*)",
		Layer:           govern.LayerEnterprise,
		Personas:        []string{"security:deny", "reviewer:ask", "ünïcode:approve"},
		Recommendations: []string{"use trash-cli instead", "ask your admin — 管理者"},
		PolicyRevision:  "sha256:" + strings.Repeat("ab", 32),
		LatencyUS:       1<<40 + 7,
	}
	empty := &govern.AuditRecord{
		Time:     base,
		Event:    "SessionStart",
		Personas: []string{},
	}
	large := &govern.AuditRecord{
		Time:  base.Add(time.Second),
		Event: "PostToolUse",
		Tool:  "Write",
		Input: canon(t, `{"content":"`+big+`","file_path":"/tmp/big.txt"}`),
	}
	// Text neither store can hold (NUL, invalid UTF-8): audit.Seal makes it
	// storable before hashing, and the store keeps what was sealed.
	raw := &govern.AuditRecord{
		Time:            base.Add(2 * time.Second),
		Event:           "PreToolUse",
		User:            "nul\x00byte",
		Reason:          "bad \xff\xfe utf-8",
		Personas:        []string{"ok", "bad\x00"},
		Recommendations: []string{"\xc3"},
		Input:           canon(t, `{"s":"nul \u0000 inside"}`),
	}
	recs := []*govern.AuditRecord{full, empty, large, raw}
	mustAppend(t, s, recs...)

	if full.ID != "01KB5Z1M2N3P4Q5R6S7T8V9W0X" {
		t.Errorf("Append replaced the caller's ID with %q", full.ID)
	}
	if want := time.Date(2026, 11, 29, 8, 20, 1, 123456000, time.UTC); !full.Time.Equal(want) || full.Time.Location() != time.UTC {
		t.Errorf("sealed time = %v, want %v in UTC truncated to microseconds", full.Time, want)
	}
	if raw.User != "nul\ufffdbyte" || raw.Personas[1] != "bad\ufffd" {
		t.Errorf("sealed text %q %q: want NUL replaced by U+FFFD", raw.User, raw.Personas)
	}
	want := make([]govern.AuditRecord, len(recs))
	for i, r := range recs {
		want[i] = *r
	}
	checkStored(t, "Scan", want, scanAll(t, s))
	checkStored(t, "List", want, mustList(t, s, govern.AuditFilter{}))
	rep, err := audit.Verify(t.Context(), s, nil)
	if err != nil || rep.Problem != nil || rep.Records != int64(len(recs)) {
		t.Fatalf("Verify = %+v (problem %v), %v", rep, rep.Problem, err)
	}
}

// checkStored compares records read back with the records as sealed.
func checkStored(t *testing.T, how string, want, got []govern.AuditRecord) {
	t.Helper()
	if diff := cmp.Diff(want, got, equateEmpty); diff != "" {
		t.Fatalf("%s returned other records than appended (-want +got):\n%s", how, diff)
	}
	for _, r := range got {
		if r.Time.Location() != time.UTC {
			t.Errorf("%s: record %d time %v is not in UTC", how, r.Seq, r.Time)
		}
		if h, err := audit.Hash(&r); err != nil || h != r.Hash {
			t.Errorf("%s: record %d as read back hashes to %s (err %v), stored hash %s", how, r.Seq, h, err, r.Hash)
		}
	}
}

func canon(t *testing.T, s string) json.RawMessage {
	t.Helper()
	c, err := audit.CanonicalJSON([]byte(s))
	if err != nil {
		t.Fatalf("CanonicalJSON(%.60q): %v", s, err)
	}
	return c
}

func testInputCanonical(t *testing.T, h Harness) {
	s := h.Open(t)
	r := gen(0)
	r.Input = json.RawMessage(`{ "b" : 1.50, "a": [true, null, "x<y"] }`)
	mustAppend(t, s, r)
	got := scanAll(t, s)
	if len(got) != 1 || string(got[0].Input) != `{"a":[true,null,"x<y"],"b":1.50}` {
		t.Fatalf("input read back as %s, want the canonical JSON", got[0].Input)
	}
	rep, err := audit.Verify(t.Context(), s, nil)
	if err != nil || rep.Problem != nil {
		t.Fatalf("Verify = %+v, %v; want intact", rep.Problem, err)
	}
}

func testSequence(t *testing.T, h Harness) {
	s := h.Open(t)
	recs := genN(0, 6)
	mustAppend(t, s, recs[0])
	mustAppend(t, s, recs[1])
	mustAppend(t, s, recs[2:]...)
	prev := audit.Genesis
	for i, r := range recs {
		if r.Seq != int64(i+1) || r.PrevHash != prev {
			t.Errorf("record %d sealed with seq %d prev %.8s, want seq %d prev %.8s", i, r.Seq, r.PrevHash, i+1, prev)
		}
		if h, _ := audit.Hash(r); h != r.Hash {
			t.Errorf("record %d: hash %s, want %s", i, r.Hash, h)
		}
		prev = r.Hash
	}
	want := make([]govern.AuditRecord, len(recs))
	for i, r := range recs {
		want[i] = *r
	}
	checkStored(t, "Scan", want, scanAll(t, s))
}

func testIDs(t *testing.T, h Harness) {
	s := h.Open(t)
	recs := genN(0, 50)
	for range 50 { // the same millisecond: unique still, sorted only by time
		r := gen(1000)
		r.Time = base.Add(2000 * time.Hour)
		recs = append(recs, r)
	}
	mustAppend(t, s, recs...)
	seen := map[string]bool{}
	for _, r := range recs {
		if len(r.ID) != 26 || seen[r.ID] {
			t.Fatalf("record %d: ID %q is not a fresh 26-character id", r.Seq, r.ID)
		}
		seen[r.ID] = true
	}
	ids := make([]string, 50)
	for i := range ids {
		ids[i] = recs[i].ID
	}
	if !sort.StringsAreSorted(ids) {
		t.Errorf("IDs of records appended one minute apart do not sort by time: %q", ids)
	}
	for i, r := range scanAll(t, s) {
		if r.ID != recs[i].ID {
			t.Fatalf("record %d stored with ID %q, sealed with %q", r.Seq, r.ID, recs[i].ID)
		}
	}
}

func testAppendNothing(t *testing.T, h Harness) {
	s := h.Open(t)
	if err := s.Append(t.Context()); err != nil {
		t.Fatalf("Append() = %v, want nil", err)
	}
	if got := scanAll(t, s); len(got) != 0 {
		t.Fatalf("Append() stored %d records", len(got))
	}
}

func testFailedAppend(t *testing.T, h Harness) {
	s := h.Open(t)
	mustAppend(t, s, gen(0))
	recs := genN(1, 3)
	recs[0].ID = "01KB5Z1M2N3P4Q5R6S7T8V9W0X"
	recs[1].Time = base.Add(time.Hour + 999*time.Nanosecond)
	recs[2].Input = json.RawMessage(`{"not json`)
	before := make([]govern.AuditRecord, len(recs))
	for i, r := range recs {
		before[i] = *r
	}
	if err := s.Append(t.Context(), recs...); err == nil {
		t.Fatal("Append of a record with invalid input JSON succeeded")
	}
	for i, r := range recs {
		if diff := cmp.Diff(before[i], *r); diff != "" {
			t.Errorf("failed Append left record %d changed (-before +after):\n%s", i, diff)
		}
	}
	if got := scanAll(t, s); len(got) != 1 {
		t.Fatalf("failed Append stored %d records, want the 1 from before", len(got)-1)
	}
	recs[2].Input = nil
	if err := s.Append(t.Context(), recs[0], nil); err == nil {
		t.Fatal("Append of a nil record succeeded")
	}
	if diff := cmp.Diff(before[0], *recs[0]); diff != "" {
		t.Errorf("Append with a nil record left record 0 changed (-before +after):\n%s", diff)
	}
	mustAppend(t, s, recs...)
	if recs[0].Seq != 2 || recs[2].Seq != 4 {
		t.Fatalf("after a failed Append, next seqs are %d..%d, want 2..4", recs[0].Seq, recs[2].Seq)
	}
}

func testScan(t *testing.T, h Harness) {
	s, recs := filled(t, h, 20)
	var got []int64
	err := s.Scan(t.Context(), 8, func(r *govern.AuditRecord) error {
		if r.ID != recs[r.Seq-1].ID || r.Hash != recs[r.Seq-1].Hash {
			t.Errorf("Scan: record %d is not the one appended", r.Seq)
		}
		got = append(got, r.Seq)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(span(8, 20), got); diff != "" {
		t.Errorf("Scan from 8 (-want +got):\n%s", diff)
	}
	stop := errors.New("stop here")
	calls := 0
	err = s.Scan(t.Context(), 1, func(r *govern.AuditRecord) error {
		calls++
		if r.Seq == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 3 {
		t.Errorf("Scan whose fn fails at record 3 = %v after %d calls, want %v after 3", err, calls, stop)
	}
	calls = 0
	if err := s.Scan(t.Context(), 21, func(*govern.AuditRecord) error { calls++; return nil }); err != nil || calls != 0 {
		t.Errorf("Scan past the head = %v with %d records, want nil with none", err, calls)
	}
}

func span(from, to int64) []int64 {
	var out []int64
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

func testBatch(t *testing.T, h Harness) {
	s, recs := filled(t, h, 1000)
	if recs[0].Seq != 1 || recs[999].Seq != 1000 {
		t.Fatalf("batch sealed seqs %d..%d, want 1..1000", recs[0].Seq, recs[999].Seq)
	}
	rep, err := audit.Verify(t.Context(), s, nil)
	if err != nil || rep.Problem != nil || rep.Records != 1000 || rep.Head != recs[999].Hash {
		t.Fatalf("Verify after a batch of 1000 = %+v, %v", rep, err)
	}
}

func testCheckpoints(t *testing.T, h Harness) {
	s, recs := filled(t, h, 5)
	if got, err := s.Checkpoints(t.Context()); err != nil || len(got) != 0 {
		t.Fatalf("Checkpoints of a new store = %v, %v; want none", got, err)
	}
	at := time.Date(2026, 11, 29, 9, 0, 0, 123456789, time.FixedZone("CET", 3600))
	note := "govern.example/audit\n5\n" + recs[4].Hash + "\n\n— govern.example/audit Az3rX0bV\n"
	c5 := govern.Checkpoint{Seq: 5, Hash: recs[4].Hash, Time: at, Note: note}
	c3 := govern.Checkpoint{Seq: 3, Hash: recs[2].Hash, Time: at.Add(-time.Hour), Note: "note for 3"}
	for _, c := range []govern.Checkpoint{c5, c3, c5} { // the same note twice is one checkpoint
		if err := s.AddCheckpoint(t.Context(), c); err != nil {
			t.Fatalf("AddCheckpoint(%d): %v", c.Seq, err)
		}
	}
	got, err := s.Checkpoints(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*govern.Checkpoint{&c3, &c5} {
		c.Time = c.Time.UTC().Truncate(time.Microsecond)
	}
	if diff := cmp.Diff([]govern.Checkpoint{c3, c5}, got); diff != "" {
		t.Errorf("Checkpoints (-want +got):\n%s", diff)
	}
	for _, c := range got {
		if c.Time.Location() != time.UTC {
			t.Errorf("checkpoint %d time %v is not in UTC", c.Seq, c.Time)
		}
	}
}

func testVerifyIntact(t *testing.T, h Harness) {
	rep, err := audit.Verify(t.Context(), h.Open(t), nil)
	if err != nil || rep.Problem != nil || rep.Records != 0 {
		t.Fatalf("Verify of an empty store = %+v, %v", rep, err)
	}
	s, recs := filled(t, h, 25)
	cps := []govern.Checkpoint{{Seq: 10, Hash: recs[9].Hash}, {Seq: 25, Hash: recs[24].Hash}}
	rep, err = audit.Verify(t.Context(), s, cps)
	if err != nil || rep.Problem != nil || rep.Records != 25 || rep.Checked != 2 || rep.Head != recs[24].Hash {
		t.Fatalf("Verify of an intact chain = %+v (problem %v), %v", rep, rep.Problem, err)
	}
}

func testReopen(t *testing.T, h Harness) {
	s, _ := filled(t, h, 5)
	s2 := h.Reopen(t, s)
	more := genN(5, 5)
	mustAppend(t, s2, more...)
	if more[0].Seq != 6 {
		t.Fatalf("second handle appended at seq %d, want 6", more[0].Seq)
	}
	if err := s2.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	mustAppend(t, s, gen(10))
	rep, err := audit.Verify(t.Context(), s, nil)
	if err != nil || rep.Problem != nil || rep.Records != 11 {
		t.Fatalf("Verify across two handles = %+v (problem %v), %v", rep, rep.Problem, err)
	}
}

func testCanceled(t *testing.T, h Harness) {
	s := h.Open(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	recs := genN(0, 3)
	if err := s.Append(ctx, recs...); !errors.Is(err, context.Canceled) {
		t.Fatalf("Append with a canceled context = %v, want context.Canceled", err)
	}
	for i, r := range recs {
		if r.Seq != 0 || r.Hash != "" || r.ID != "" {
			t.Errorf("canceled Append sealed record %d: seq %d id %q", i, r.Seq, r.ID)
		}
	}
	if _, err := s.List(ctx, govern.AuditFilter{}); err == nil {
		t.Error("List with a canceled context succeeded")
	}
	if got := scanAll(t, s); len(got) != 0 {
		t.Fatalf("canceled Append stored %d records", len(got))
	}
	mustAppend(t, s, recs...)
	if recs[0].Seq != 1 {
		t.Fatalf("after a canceled Append the chain starts at %d", recs[0].Seq)
	}
}

func testCloseTwice(t *testing.T, h Harness) {
	s := h.Open(t)
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := s.Append(t.Context(), gen(0)); err == nil {
		t.Fatal("Append after Close succeeded")
	}
}
