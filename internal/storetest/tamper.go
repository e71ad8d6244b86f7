package storetest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/audit"
)

// tamperer changes a store of 10 records behind its back.
type tamperer struct {
	t    *testing.T
	h    Harness
	s    govern.AuditStore
	recs []*govern.AuditRecord // as sealed; recs[i].Seq == i+1
}

func (x *tamperer) exec(format string, args ...any) {
	x.t.Helper()
	x.h.Exec(x.t, x.s, fmt.Sprintf(format, args...))
}

// rec returns a copy of the record appended at seq.
func (x *tamperer) rec(seq int64) *govern.AuditRecord {
	r := *x.recs[seq-1]
	return &r
}

func (x *tamperer) checkpoint(seq int64) govern.Checkpoint {
	return govern.Checkpoint{Seq: seq, Hash: x.recs[seq-1].Hash}
}

// renumber moves the row at seq from to seq to (which must be free).
func (x *tamperer) renumber(from, to int64) {
	x.exec("UPDATE audit_records SET seq = %d WHERE seq = %d", to, from)
}

// swap exchanges the positions of the rows at seq a and b.
func (x *tamperer) swap(a, b int64) {
	x.renumber(a, 1000000)
	x.renumber(b, a)
	x.renumber(1000000, b)
}

// shift moves every row from seq on one place up, leaving seq free.
func (x *tamperer) shift(from int64) {
	x.exec("UPDATE audit_records SET seq = seq + 1000000 WHERE seq >= %d", from)
	x.exec("UPDATE audit_records SET seq = seq - 999999 WHERE seq >= 1000000")
}

// rehash stores r's hash recomputed over its content, as a forger who
// knows the canonical form would, for the row at r.Seq.
func (x *tamperer) rehash(r *govern.AuditRecord) {
	x.t.Helper()
	h, err := audit.Hash(r)
	if err != nil {
		x.t.Fatal(err)
	}
	r.Hash = h
	x.exec("UPDATE audit_records SET hash = %s WHERE seq = %d", quote(h), r.Seq)
}

// insert adds r as a new row, hash recomputed.
func (x *tamperer) insert(r *govern.AuditRecord) {
	x.t.Helper()
	h, err := audit.Hash(r)
	if err != nil {
		x.t.Fatal(err)
	}
	r.Hash = h
	list := func(l []string) string {
		if l == nil {
			l = []string{}
		}
		b, _ := json.Marshal(l)
		return quote(string(b))
	}
	orNull := func(raw json.RawMessage) string {
		if len(raw) == 0 {
			return "NULL"
		}
		return quote(string(raw))
	}
	x.exec(`INSERT INTO audit_records (id, seq, time, event, session, user_name, team, host, tool, input, result,
 outcome, reason, risk, rule, layer, personas, recommendations, policy_revision, latency_us, prev_hash, hash)
 VALUES (%s, %d, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %d, %s, %s)`,
		quote(r.ID), r.Seq, quote(r.Time.UTC().Format(audit.TimeFormat)), quote(r.Event), quote(r.Session),
		quote(r.User), quote(r.Team), quote(r.Host), quote(r.Tool), orNull(r.Input), orNull(r.Result), quote(string(r.Outcome)),
		quote(r.Reason), quote(string(r.Risk)), quote(r.Rule), quote(r.Layer), list(r.Personas),
		list(r.Recommendations), quote(r.PolicyRevision), r.LatencyUS, quote(r.PrevHash), quote(r.Hash))
}

// rewrite recomputes the chain from seq on with a different reason, so
// that it is consistent again: only a checkpoint can tell.
func (x *tamperer) rewrite(from int64, to int64) {
	prev := x.recs[from-1].PrevHash
	for seq := from; seq <= to; seq++ {
		r := x.rec(seq)
		r.Reason, r.PrevHash = "nothing to see here", prev
		x.exec("UPDATE audit_records SET reason = %s, prev_hash = %s WHERE seq = %d", quote(r.Reason), quote(prev), seq)
		x.rehash(r)
		prev = r.Hash
	}
}

// forged returns a record that was never appended, at seq, after prev.
func forged(seq int64, prev string) *govern.AuditRecord {
	r := gen(500)
	r.ID, r.Seq, r.PrevHash, r.Time = "01KB5ZZZZZZZZZZZZZZZZZZZZZ", seq, prev, r.Time.UTC()
	r.Outcome, r.Reason = govern.Allow, "approved"
	return r
}

var tamperCases = []struct {
	name string
	do   func(x *tamperer) []govern.Checkpoint
	kind string // "" when the chain alone cannot tell
	seq  int64
}{
	{"edit reason", func(x *tamperer) []govern.Checkpoint {
		x.exec("UPDATE audit_records SET reason = 'approved by admin' WHERE seq = 5")
		return nil
	}, audit.Edited, 5},
	{"edit outcome", func(x *tamperer) []govern.Checkpoint {
		o := govern.Deny
		if x.recs[4].Outcome == o {
			o = govern.Allow
		}
		x.exec("UPDATE audit_records SET outcome = %s WHERE seq = 5", quote(string(o)))
		return nil
	}, audit.Edited, 5},
	{"edit input", func(x *tamperer) []govern.Checkpoint {
		x.exec(`UPDATE audit_records SET input = '{"command":"ls"}' WHERE seq = 5`)
		return nil
	}, audit.Edited, 5},
	{"append a second value to input", func(x *tamperer) []govern.Checkpoint {
		x.exec(`UPDATE audit_records SET input = input || ' {"command":"ls"}' WHERE seq = 5`)
		return nil
	}, audit.Edited, 5},
	{"edit result", func(x *tamperer) []govern.Checkpoint {
		x.exec(`UPDATE audit_records SET result = '{"status":"failed"}' WHERE seq = 4`) // record 4 ran: gen(3)
		return nil
	}, audit.Edited, 4},
	{"drop result", func(x *tamperer) []govern.Checkpoint {
		x.exec(`UPDATE audit_records SET result = NULL WHERE seq = 4`)
		return nil
	}, audit.Edited, 4},
	{"edit time", func(x *tamperer) []govern.Checkpoint {
		x.exec("UPDATE audit_records SET time = '2020-01-01T00:00:00.000000Z' WHERE seq = 5")
		return nil
	}, audit.Edited, 5},
	{"edit user", func(x *tamperer) []govern.Checkpoint {
		x.exec("UPDATE audit_records SET user_name = 'mallory' WHERE seq = 5")
		return nil
	}, audit.Edited, 5},
	{"edit personas", func(x *tamperer) []govern.Checkpoint {
		x.exec("UPDATE audit_records SET personas = '[]' WHERE seq = 5")
		return nil
	}, audit.Edited, 5},
	{"edit personas into something that is not JSON", func(x *tamperer) []govern.Checkpoint {
		x.exec("UPDATE audit_records SET personas = 'security:approve' WHERE seq = 5")
		return nil
	}, audit.Edited, 5},
	{"edit latency", func(x *tamperer) []govern.Checkpoint {
		x.exec("UPDATE audit_records SET latency_us = 1 WHERE seq = 5")
		return nil
	}, audit.Edited, 5},
	{"edit hash", func(x *tamperer) []govern.Checkpoint {
		x.exec("UPDATE audit_records SET hash = %s WHERE seq = 5", quote(x.recs[5].Hash))
		return nil
	}, audit.Edited, 5},
	{"edit first record", func(x *tamperer) []govern.Checkpoint {
		x.exec("UPDATE audit_records SET reason = 'x' WHERE seq = 1")
		return nil
	}, audit.Edited, 1},
	{"edit last record", func(x *tamperer) []govern.Checkpoint {
		x.exec("UPDATE audit_records SET reason = 'x' WHERE seq = 10")
		return nil
	}, audit.Edited, 10},
	{"delete a row in the middle", func(x *tamperer) []govern.Checkpoint {
		x.exec("DELETE FROM audit_records WHERE seq = 5")
		return nil
	}, audit.Deleted, 5},
	{"delete the first row", func(x *tamperer) []govern.Checkpoint {
		x.exec("DELETE FROM audit_records WHERE seq = 1")
		return nil
	}, audit.Deleted, 1},
	{"delete three rows", func(x *tamperer) []govern.Checkpoint {
		x.exec("DELETE FROM audit_records WHERE seq >= 4 AND seq <= 6")
		return nil
	}, audit.Deleted, 4},
	{"swap two rows", func(x *tamperer) []govern.Checkpoint {
		x.swap(5, 6)
		return nil
	}, audit.Edited, 5},
	{"swap two rows and recompute their hashes", func(x *tamperer) []govern.Checkpoint {
		x.swap(5, 6)
		a, b := x.rec(6), x.rec(5)
		a.Seq, b.Seq = 5, 6
		x.rehash(a)
		x.rehash(b)
		return nil
	}, audit.Broken, 5},
	{"replay an old record at the end", func(x *tamperer) []govern.Checkpoint {
		r := x.rec(3)
		r.ID, r.Seq = "01KB5ZZZZZZZZZZZZZZZZZZZZZ", 11
		x.insert(r)
		return nil
	}, audit.Broken, 11},
	{"insert a forged row in the middle", func(x *tamperer) []govern.Checkpoint {
		x.shift(6)
		x.insert(forged(6, x.recs[4].Hash))
		return nil
	}, audit.Edited, 7},
	{"insert a forged row in the middle and rehash the rest", func(x *tamperer) []govern.Checkpoint {
		x.shift(6)
		x.insert(forged(6, x.recs[4].Hash))
		for seq := int64(6); seq <= 10; seq++ {
			r := x.rec(seq)
			r.Seq = seq + 1
			x.rehash(r)
		}
		return nil
	}, audit.Broken, 7},
	{"replace a row with a forged one", func(x *tamperer) []govern.Checkpoint {
		x.exec("DELETE FROM audit_records WHERE seq = 5")
		x.insert(forged(5, x.recs[3].Hash))
		return nil
	}, audit.Broken, 6},
	{"replace the last row, checkpointed", func(x *tamperer) []govern.Checkpoint {
		cp := x.checkpoint(10)
		x.exec("DELETE FROM audit_records WHERE seq = 10")
		x.insert(forged(10, x.recs[8].Hash))
		return []govern.Checkpoint{cp}
	}, audit.Rewritten, 10},
	{"truncate the tail, checkpointed", func(x *tamperer) []govern.Checkpoint {
		cp := x.checkpoint(10)
		x.exec("DELETE FROM audit_records WHERE seq > 7")
		return []govern.Checkpoint{cp}
	}, audit.Truncated, 8},
	{"truncate everything, checkpointed", func(x *tamperer) []govern.Checkpoint {
		cp := x.checkpoint(4)
		x.exec("DELETE FROM audit_records WHERE seq > 0")
		return []govern.Checkpoint{cp}
	}, audit.Truncated, 1},
	{"rewrite history, checkpointed", func(x *tamperer) []govern.Checkpoint {
		cp := x.checkpoint(10)
		x.rewrite(4, 10)
		return []govern.Checkpoint{cp}
	}, audit.Rewritten, 10},
	{"rewrite history past two checkpoints", func(x *tamperer) []govern.Checkpoint {
		cps := []govern.Checkpoint{x.checkpoint(5), x.checkpoint(10)}
		x.rewrite(4, 10)
		return cps
	}, audit.Rewritten, 5},
	{"rewrite history and truncate, checkpointed", func(x *tamperer) []govern.Checkpoint {
		cp := x.checkpoint(10)
		x.exec("DELETE FROM audit_records WHERE seq > 8")
		x.rewrite(2, 8)
		return []govern.Checkpoint{cp}
	}, audit.Truncated, 9},
	// What the chain alone cannot tell: these pass, which is why checkpoints
	// are signed and kept outside the store.
	{"truncate the tail, no checkpoint", func(x *tamperer) []govern.Checkpoint {
		x.exec("DELETE FROM audit_records WHERE seq > 7")
		return nil
	}, "", 7},
	{"rewrite history, no checkpoint", func(x *tamperer) []govern.Checkpoint {
		x.rewrite(1, 10)
		return nil
	}, "", 10},
	{"append a forged row linked to the head", func(x *tamperer) []govern.Checkpoint {
		x.insert(forged(11, x.recs[9].Hash))
		return []govern.Checkpoint{x.checkpoint(10)}
	}, "", 11},
}

func testTamper(t *testing.T, h Harness) {
	for _, c := range tamperCases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			t.Parallel()
			s, recs := filled(t, h, 10)
			x := &tamperer{t: t, h: h, s: s, recs: recs}
			cps := c.do(x)
			rep, err := audit.Verify(t.Context(), s, cps)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			switch {
			case c.kind == "" && rep.Problem != nil:
				t.Fatalf("Verify reports %s at %d (%s); the chain alone cannot tell this", rep.Problem.Kind, rep.Problem.Seq, rep.Problem.Msg)
			case c.kind == "" && rep.Records != c.seq:
				t.Fatalf("Verify read %d records, want %d", rep.Records, c.seq)
			case c.kind == "":
			case rep.Problem == nil:
				t.Fatalf("Verify found nothing wrong in %d records; want %s at %d", rep.Records, c.kind, c.seq)
			case rep.Problem.Kind != c.kind || rep.Problem.Seq != c.seq:
				t.Fatalf("Verify reports %s at %d (%s); want %s at %d", rep.Problem.Kind, rep.Problem.Seq, rep.Problem.Msg, c.kind, c.seq)
			}
		})
	}
}
