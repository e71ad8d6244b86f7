package session

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/policy"
	"github.com/govern-dev/govern/internal/sqlite"
)

// registry opens a real SQLite registry of its own.
func registry(t *testing.T) govern.SessionStore {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	reg, err := Registry(s)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

var t0 = time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)

func rec(id string, at time.Time, pid int) govern.SessionRecord {
	return govern.SessionRecord{ID: id, User: "dev", Host: "box", PID: pid, Started: at, LastSeen: at}
}

func TestCallPlacesSessionsByStart(t *testing.T) {
	ctx := context.Background()
	reg := registry(t)
	set := policy.Settings{MaxConcurrentSessions: 2, SessionTimeout: 3600}
	self := os.Getpid() // a process that exists

	for i, id := range []string{"a", "b", "c"} {
		got, err := Call(ctx, reg, rec(id, t0.Add(time.Duration(i)*time.Minute), self), set)
		if err != nil {
			t.Fatal(err)
		}
		if got.Place != i+1 || !got.Started.Equal(t0.Add(time.Duration(i)*time.Minute)) {
			t.Errorf("session %s: %+v, want place %d", id, got, i+1)
		}
	}
	// A later call of the oldest session keeps its start and its place.
	got, err := Call(ctx, reg, rec("a", t0.Add(10*time.Minute), self), set)
	if err != nil || got.Place != 1 || !got.Started.Equal(t0) {
		t.Errorf("a's later call: %+v, %v; want place 1, started %v", got, err, t0)
	}
	// Once a ends, c moves up.
	if err := End(ctx, reg, "a", t0.Add(11*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got, _ := Call(ctx, reg, rec("c", t0.Add(12*time.Minute), self), set); got.Place != 2 {
		t.Errorf("c after a ended: place %d, want 2", got.Place)
	}
	// A session idle for longer than Idle stops counting (b); without a
	// sessionTimeout, c still counts however old.
	noTimeout := policy.Settings{MaxConcurrentSessions: 2}
	if got, _ := Call(ctx, reg, rec("d", t0.Add(Idle+5*time.Minute), self), noTimeout); got.Place != 2 {
		t.Errorf("d after b went idle: place %d, want 2 (c, d)", got.Place)
	}
	// With it, c is past its timeout and no longer counts either.
	if got, _ := Call(ctx, reg, rec("d", t0.Add(Idle+6*time.Minute), self), set); got.Place != 1 {
		t.Errorf("d after c timed out: place %d, want 1", got.Place)
	}
}

func TestCallEndsSessionsWhoseProcessIsGone(t *testing.T) {
	ctx := context.Background()
	reg := registry(t)
	set := policy.Settings{MaxConcurrentSessions: 1}
	const gone = 2147483646 // no such process
	if _, err := Call(ctx, reg, rec("old", t0, gone), set); err != nil {
		t.Fatal(err)
	}
	elsewhere := rec("remote", t0.Add(time.Second), gone)
	elsewhere.Host = "other-box" // its process cannot be checked from here
	if _, err := Call(ctx, reg, elsewhere, set); err != nil {
		t.Fatal(err)
	}
	got, err := Call(ctx, reg, rec("new", t0.Add(time.Minute), os.Getpid()), set)
	if err != nil {
		t.Fatal(err)
	}
	if got.Place != 2 {
		t.Errorf("place %d, want 2: the session on this host whose process is gone ended, the remote one counts", got.Place)
	}
	open, _ := reg.OpenSessions(ctx, "dev", time.Time{})
	for _, s := range open {
		if s.ID == "old" {
			t.Errorf("session %q is still open", s.ID)
		}
	}
}

func TestStart(t *testing.T) {
	ctx := context.Background()
	reg := registry(t)
	set := policy.Settings{MaxConcurrentSessions: 1, SessionTimeout: 3600}
	if note, err := Start(ctx, reg, rec("a", t0, 0), "startup", set); note != "" || err != nil {
		t.Fatalf("first session: note %q, err %v", note, err)
	}
	note, err := Start(ctx, reg, rec("b", t0.Add(time.Minute), 0), "startup", set)
	if err != nil || !strings.Contains(note, "the user has 2 Claude Code sessions open, counting this one, and the enterprise allows 1") {
		t.Errorf("second session: note %q, err %v", note, err)
	}
	// Compacting goes on from the session's start; resuming starts again.
	Start(ctx, reg, rec("a", t0.Add(30*time.Minute), 0), "compact", set)
	if got, _ := Call(ctx, reg, rec("a", t0.Add(31*time.Minute), 0), set); !got.Started.Equal(t0) {
		t.Errorf("after compact: started %v, want %v", got.Started, t0)
	}
	Start(ctx, reg, rec("a", t0.Add(40*time.Minute), 0), "resume", set)
	if got, _ := Call(ctx, reg, rec("a", t0.Add(41*time.Minute), 0), set); !got.Started.Equal(t0.Add(40 * time.Minute)) {
		t.Errorf("after resume: started %v, want %v", got.Started, t0.Add(40*time.Minute))
	}
	// No session id, no user: nothing to register.
	if note, err := Start(ctx, reg, govern.SessionRecord{User: "dev", LastSeen: t0}, "startup", set); note != "" || err != nil {
		t.Errorf("anonymous session: %q, %v", note, err)
	}
	if got, err := Call(ctx, reg, govern.SessionRecord{ID: "x", LastSeen: t0}, set); got != (govern.Session{}) || err != nil {
		t.Errorf("session without a user: %+v, %v", got, err)
	}
}
