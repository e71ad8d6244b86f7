package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/govern-dev/govern"
)

// expect is what List(f) must return from recs (all of a store's records,
// by Seq), computed here from the filter's documented meaning.
func expect(recs []*govern.AuditRecord, f govern.AuditFilter) []int64 {
	var out []int64
	for _, r := range recs {
		switch {
		case !f.Since.IsZero() && r.Time.Before(f.Since),
			!f.Until.IsZero() && !r.Time.Before(f.Until),
			f.User != "" && r.User != f.User,
			f.Team != "" && r.Team != f.Team,
			f.Tool != "" && r.Tool != f.Tool,
			f.Session != "" && r.Session != f.Session,
			f.Event != "" && r.Event != f.Event,
			f.Outcome != "" && r.Outcome != f.Outcome,
			f.AfterSeq != 0 && r.Seq <= f.AfterSeq,
			f.BeforeSeq != 0 && r.Seq >= f.BeforeSeq:
			continue
		}
		out = append(out, r.Seq)
	}
	if f.Descending {
		slices.Reverse(out)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

func testList(t *testing.T, h Harness) {
	s, recs := filled(t, h, 60)
	at := func(i int) time.Time { return recs[i].Time }
	cases := []govern.AuditFilter{
		{},
		{User: "alice"},
		{Team: "sec"},
		{Tool: "Edit"},
		{Session: "session-2"},
		{Event: "PostToolUse"},
		{Outcome: govern.Deny},
		{User: "nobody"},
		{User: "bob", Team: "eng", Outcome: govern.Allow},
		{Tool: "Bash", Event: "PreToolUse", Session: "session-1"},
		{User: "carol", Tool: "Read", Team: "sec", Outcome: govern.Deny, Event: "PreToolUse"},
		{Since: at(10)},
		{Until: at(20)},
		{Since: at(10), Until: at(20)},
		{Since: at(10).Add(time.Nanosecond), Until: at(20).Add(time.Nanosecond)},
		{Since: at(10).Add(-time.Nanosecond), Until: at(20).Add(-time.Nanosecond)},
		{Since: at(30).In(time.FixedZone("X", 7*3600)), Until: at(40).In(time.FixedZone("Y", -3*3600))},
		{Since: at(20), Until: at(20)},
		{Since: at(10), Until: at(50), User: "alice", Descending: true},
		{Descending: true},
		{AfterSeq: 10, BeforeSeq: 20},
		{AfterSeq: 10, BeforeSeq: 20, Descending: true},
		{Limit: 7},
		{Limit: 7, Descending: true},
		{Limit: 3, Team: "eng", AfterSeq: 30},
		{Limit: 3, Team: "eng", BeforeSeq: 30, Descending: true},
	}
	for _, f := range cases {
		got := mustList(t, s, f)
		if diff := cmp.Diff(expect(recs, f), seqs(got), equateEmpty); diff != "" {
			t.Errorf("List(%s) (-want +got seqs):\n%s", show(f), diff)
		}
		for _, r := range got {
			if r.ID != recs[r.Seq-1].ID || r.Hash != recs[r.Seq-1].Hash {
				t.Fatalf("List(%s): record %d is not the one appended", show(f), r.Seq)
			}
		}
	}
}

// show prints a filter without its zero fields.
func show(f govern.AuditFilter) string {
	s := fmt.Sprintf("%+v", f)
	if !f.Since.IsZero() || !f.Until.IsZero() {
		s += fmt.Sprintf(" [since %s until %s]", f.Since.UTC().Format(time.RFC3339Nano), f.Until.UTC().Format(time.RFC3339Nano))
	}
	return s
}

func testPaginate(t *testing.T, h Harness) {
	s, recs := filled(t, h, 60)
	for _, f := range []govern.AuditFilter{
		{Limit: 7},
		{Limit: 7, Descending: true},
		{Limit: 4, User: "alice"},
		{Limit: 4, User: "alice", Descending: true},
		{Limit: 1, Tool: "Bash", Since: recs[5].Time, Until: recs[50].Time},
		{Limit: 60},
	} {
		all := f
		all.Limit = 10000
		want := expect(recs, all)
		var got []int64
		for page := 0; ; page++ {
			if page > len(recs)+1 {
				t.Fatalf("paging %s does not end", show(f))
			}
			p := seqs(mustList(t, s, f))
			if len(p) > f.Limit {
				t.Fatalf("page of %d records with Limit %d", len(p), f.Limit)
			}
			if len(p) == 0 {
				break
			}
			got = append(got, p...)
			if f.Descending {
				f.BeforeSeq = p[len(p)-1]
			} else {
				f.AfterSeq = p[len(p)-1]
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("pages of %s joined (-want +got):\n%s", show(all), diff)
		}
	}
}

func testLimit(t *testing.T, h Harness) {
	s, _ := filled(t, h, 10050)
	for _, c := range []struct {
		f           govern.AuditFilter
		first, last int64
		n           int
	}{
		{govern.AuditFilter{}, 1, 100, 100},
		{govern.AuditFilter{Descending: true}, 10050, 9951, 100},
		{govern.AuditFilter{Limit: 10000}, 1, 10000, 10000},
		{govern.AuditFilter{Limit: 20000}, 1, 10000, 10000},
		{govern.AuditFilter{Limit: 1 << 40, Descending: true}, 10050, 51, 10000},
	} {
		got := mustList(t, s, c.f)
		if len(got) != c.n || got[0].Seq != c.first || got[len(got)-1].Seq != c.last {
			t.Errorf("List(%s) returned %d records, want %d (seq %d..%d)", show(c.f), len(got), c.n, c.first, c.last)
		}
	}
}
