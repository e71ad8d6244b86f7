package audit

import (
	"context"
	"errors"
	"fmt"

	"github.com/govern-dev/govern"
)

// Problem kinds that Verify reports.
const (
	Edited    = "edited"    // a record's content no longer matches its hash
	Deleted   = "deleted"   // records are missing from the chain
	Broken    = "broken"    // a record does not follow the one before it: inserted, reordered or replaced
	Truncated = "truncated" // the chain ends before a signed checkpoint
	Rewritten = "rewritten" // the chain no longer matches a signed checkpoint
)

// Problem is the first thing wrong with a chain.
type Problem struct {
	Kind string
	Seq  int64 // the first record concerned
	Msg  string
}

func (p *Problem) Error() string { return p.Msg }

// Report is the outcome of verifying a chain.
type Report struct {
	Records int64    // records read
	Head    string   // hash of the last record
	Checked int      // checkpoints checked
	Problem *Problem // nil when intact
}

// Verify re-computes the whole chain in store, then checks it against the
// given checkpoints (already authenticated, see OpenCheckpoint). It reports
// the first problem; an error means verification itself could not run.
func Verify(ctx context.Context, store govern.AuditStore, checkpoints []govern.Checkpoint) (Report, error) {
	var rep Report
	prevSeq, prevHash := int64(0), Genesis
	hashes := map[int64]string{0: Genesis} // a checkpoint of the empty trail
	want := map[int64]bool{}
	for _, c := range checkpoints {
		want[c.Seq] = true
	}
	errStop := errors.New("stop")
	err := store.Scan(ctx, 1, func(r *govern.AuditRecord) error {
		rep.Records++
		h, err := Hash(r)
		switch {
		case err != nil || h != r.Hash:
			rep.Problem = &Problem{Edited, r.Seq, fmt.Sprintf("record %d (%s) was edited: its content does not match its hash", r.Seq, r.ID)}
		case r.Seq > prevSeq+1:
			rep.Problem = &Problem{Deleted, prevSeq + 1, fmt.Sprintf("records %d to %d were deleted", prevSeq+1, r.Seq-1)}
			if r.Seq == prevSeq+2 {
				rep.Problem.Msg = fmt.Sprintf("record %d was deleted", prevSeq+1)
			}
		case r.Seq <= prevSeq:
			rep.Problem = &Problem{Broken, r.Seq, fmt.Sprintf("record %d (%s) repeats or reorders the chain after record %d", r.Seq, r.ID, prevSeq)}
		case r.PrevHash != prevHash:
			rep.Problem = &Problem{Broken, r.Seq, fmt.Sprintf("record %d (%s) does not follow record %d: a record was inserted, reordered or replaced", r.Seq, r.ID, prevSeq)}
		}
		if rep.Problem != nil {
			return errStop
		}
		if want[r.Seq] {
			hashes[r.Seq] = r.Hash
		}
		prevSeq, prevHash = r.Seq, r.Hash
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return rep, fmt.Errorf("read audit trail: %w", err)
	}
	rep.Head = prevHash
	if rep.Problem != nil {
		return rep, nil
	}
	for _, c := range checkpoints {
		rep.Checked++
		h, ok := hashes[c.Seq]
		switch {
		case c.Seq > prevSeq:
			rep.Problem = &Problem{Truncated, prevSeq + 1, fmt.Sprintf("the trail ends at record %d but a signed checkpoint covers %d records: it was truncated", prevSeq, c.Seq)}
		case !ok || h != c.Hash:
			rep.Problem = &Problem{Rewritten, c.Seq, fmt.Sprintf("record %d does not match the signed checkpoint of %s: the history was rewritten", c.Seq, c.Time.UTC().Format("2006-01-02T15:04:05Z"))}
		}
		if rep.Problem != nil {
			return rep, nil
		}
	}
	return rep, nil
}
