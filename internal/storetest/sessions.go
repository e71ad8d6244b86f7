package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/govern-dev/govern"
)

// sessions returns s's session registry; every audit store is one.
func sessions(t *testing.T, s govern.AuditStore) govern.SessionStore {
	t.Helper()
	r, ok := s.(govern.SessionStore)
	if !ok {
		t.Fatalf("%T does not implement govern.SessionStore", s)
	}
	return r
}

func touch(t *testing.T, r govern.SessionStore, s govern.SessionRecord, restart bool) govern.SessionRecord {
	t.Helper()
	got, err := r.TouchSession(context.Background(), s, restart)
	if err != nil {
		t.Fatalf("TouchSession(%s): %v", s.ID, err)
	}
	return got
}

func openIDs(t *testing.T, r govern.SessionStore, user string, since time.Time) []string {
	t.Helper()
	open, err := r.OpenSessions(context.Background(), user, since)
	if err != nil {
		t.Fatalf("OpenSessions(%s): %v", user, err)
	}
	ids := []string{}
	for _, s := range open {
		if !s.Ended.IsZero() {
			t.Errorf("OpenSessions returned ended session %s", s.ID)
		}
		ids = append(ids, s.ID)
	}
	return ids
}

func testSessions(t *testing.T, h Harness) {
	ctx := context.Background()
	r := sessions(t, h.Open(t))
	at := func(m int) time.Time { return base.Add(time.Duration(m)*time.Minute + 123456*time.Microsecond) }

	// A new session is registered as started when first seen.
	a := touch(t, r, govern.SessionRecord{ID: "a", User: "alice", Host: "h1", PID: 4242, Started: at(0), LastSeen: at(0)}, false)
	want := govern.SessionRecord{ID: "a", User: "alice", Host: "h1", PID: 4242, Started: at(0), LastSeen: at(0)}
	if diff := cmp.Diff(want, a); diff != "" {
		t.Errorf("new session (-want +got):\n%s", diff)
	}
	// Activity moves LastSeen, never Started; an unknown PID keeps the known one.
	a = touch(t, r, govern.SessionRecord{ID: "a", User: "alice", Host: "h1", Started: at(5), LastSeen: at(5)}, false)
	want.LastSeen = at(5)
	if diff := cmp.Diff(want, a); diff != "" {
		t.Errorf("touched session (-want +got):\n%s", diff)
	}
	touch(t, r, govern.SessionRecord{ID: "b", User: "alice", Started: at(2), LastSeen: at(2)}, false)
	touch(t, r, govern.SessionRecord{ID: "c", User: "alice", Started: at(1), LastSeen: at(3)}, false)
	touch(t, r, govern.SessionRecord{ID: "z", User: "bob", Started: at(0), LastSeen: at(9)}, false)

	if got, want := openIDs(t, r, "alice", time.Time{}), []string{"a", "c", "b"}; !cmp.Equal(got, want) {
		t.Errorf("open sessions = %v, want %v (oldest start first)", got, want)
	}
	if got, want := openIDs(t, r, "alice", at(3)), []string{"a", "c"}; !cmp.Equal(got, want) {
		t.Errorf("open sessions active since minute 3 = %v, want %v", got, want)
	}
	if got := openIDs(t, r, "nobody", time.Time{}); len(got) != 0 {
		t.Errorf("open sessions of a user with none = %v", got)
	}

	// An ended session is not open; activity opens it again.
	if err := r.EndSession(ctx, "c", at(6)); err != nil {
		t.Fatal(err)
	}
	if got, want := openIDs(t, r, "alice", time.Time{}), []string{"a", "b"}; !cmp.Equal(got, want) {
		t.Errorf("after ending c: open sessions = %v, want %v", got, want)
	}
	c := touch(t, r, govern.SessionRecord{ID: "c", User: "alice", Started: at(7), LastSeen: at(7)}, false)
	if !c.Ended.IsZero() || !c.Started.Equal(at(1)) {
		t.Errorf("reopened session = %+v, want open and started at minute 1", c)
	}
	// A restart starts the session again.
	c = touch(t, r, govern.SessionRecord{ID: "c", User: "alice", Started: at(8), LastSeen: at(8)}, true)
	if !c.Started.Equal(at(8)) {
		t.Errorf("restarted session started at %v, want %v", c.Started, at(8))
	}
	if got, want := openIDs(t, r, "alice", time.Time{}), []string{"a", "b", "c"}; !cmp.Equal(got, want) {
		t.Errorf("after restarting c: open sessions = %v, want %v", got, want)
	}
	// Ending a session nobody registered is not an error.
	if err := r.EndSession(ctx, "never-seen", at(9)); err != nil {
		t.Errorf("EndSession of an unknown session: %v", err)
	}
	// Another handle on the same database sees the same registry.
	if got, want := openIDs(t, sessions(t, h.Reopen(t, r.(govern.AuditStore))), "alice", time.Time{}), []string{"a", "b", "c"}; !cmp.Equal(got, want) {
		t.Errorf("through another handle: open sessions = %v, want %v", got, want)
	}
}

// testSessionsConcurrent touches sessions from many handles at once, as
// the hooks of many Claude Code sessions do: none may fail, and the
// registry ends up with every session once.
func testSessionsConcurrent(t *testing.T, h Harness) {
	s := h.Open(t)
	const writers, touches = 6, 20
	var wg sync.WaitGroup
	errs := make(chan error, writers*touches)
	for w := range writers {
		r := sessions(t, h.Reopen(t, s))
		wg.Go(func() {
			for i := range touches {
				at := base.Add(time.Duration(i) * time.Second)
				id := fmt.Sprintf("s-%d", (w+i)%4) // shared between writers
				if _, err := r.TouchSession(context.Background(), govern.SessionRecord{ID: id, User: "dev", Started: at, LastSeen: at}, i%5 == 0); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent TouchSession: %v", err)
	}
	if got := openIDs(t, sessions(t, s), "dev", time.Time{}); len(got) != 4 {
		t.Errorf("open sessions after concurrent touches = %v, want 4 sessions", got)
	}
}
