package storetest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/audit"
)

// testConcurrent appends from many handles on one database at once, some
// records alone (as hooks do) and some in small batches (as the server
// does), and checks that none is lost and the chain has no fork.
func testConcurrent(t *testing.T, h Harness) {
	writers, each := h.Writers, h.AppendsPerWriter
	if writers == 0 {
		writers = 8
	}
	if each == 0 {
		each = 50
	}
	s := h.Open(t)
	handles := make([]govern.AuditStore, writers)
	for w := range handles {
		handles[w] = h.Reopen(t, s)
	}
	ids := make([][]string, writers)
	errs := make(chan error, writers)
	var wg sync.WaitGroup
	for w, hs := range handles {
		wg.Go(func() {
			for i := 0; i < each; {
				n := 1
				if i%10 == 9 && i+3 <= each {
					n = 3
				}
				recs := make([]*govern.AuditRecord, n)
				for j := range recs {
					recs[j] = gen(i + j)
					recs[j].User = fmt.Sprintf("writer-%d", w)
				}
				if err := hs.Append(t.Context(), recs...); err != nil {
					errs <- fmt.Errorf("writer %d, append %d: %w", w, i, err)
					return
				}
				for _, r := range recs {
					ids[w] = append(ids[w], r.ID)
				}
				i += n
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		t.FailNow()
	}

	stored := map[string]int64{}
	for _, r := range scanAll(t, s) {
		stored[r.ID] = r.Seq
	}
	if len(stored) != writers*each {
		t.Errorf("%d writers × %d appends stored %d records, want %d", writers, each, len(stored), writers*each)
	}
	for w := range ids {
		for _, id := range ids[w] {
			if _, ok := stored[id]; !ok {
				t.Errorf("writer %d: record %s was appended but is not stored", w, id)
			}
		}
	}
	rep, err := audit.Verify(t.Context(), s, nil)
	if err != nil || rep.Problem != nil || rep.Records != int64(writers*each) {
		t.Fatalf("Verify after concurrent appends = %+v (problem %v), %v", rep, rep.Problem, err)
	}
}
