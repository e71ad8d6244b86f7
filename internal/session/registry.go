package session

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"time"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/policy"
)

// touchEvery is how stale a session's last activity may be before a tool
// call writes it again: the idle window is hours, so most calls only read
// the registry.
const touchEvery = time.Minute

// Limited reports whether the policy limits sessions, which is when the
// hook keeps the registry.
func Limited(set policy.Settings) bool {
	return set.MaxConcurrentSessions > 0 || set.SessionTimeout > 0
}

// Registry is the session registry of an audit store.
func Registry(store govern.AuditStore) (govern.SessionStore, error) {
	r, ok := store.(govern.SessionStore)
	if !ok {
		return nil, fmt.Errorf("audit store %T keeps no session registry", store)
	}
	return r, nil
}

// Call registers a tool call of session this (active at this.LastSeen) and
// says where the session stands among its user's open sessions, for
// Decide's session limits. Sessions whose Claude Code process on this
// machine is gone are ended on the way. A session without an ID or user
// is unknown: the zero Session, which no limit applies to.
func Call(ctx context.Context, reg govern.SessionStore, this govern.SessionRecord, set policy.Settings) (govern.Session, error) {
	if this.ID == "" || this.User == "" {
		return govern.Session{}, nil
	}
	now := this.LastSeen
	open, err := reg.OpenSessions(ctx, this.User, now.Add(-Idle))
	if err != nil {
		return govern.Session{}, err
	}
	i := index(open, this.ID)
	if i < 0 || now.Sub(open[i].LastSeen) > touchEvery {
		stored, err := reg.TouchSession(ctx, this, false)
		if err != nil {
			return govern.Session{}, err
		}
		if i < 0 {
			open, i = append(open, stored), len(open)
		}
		open[i] = stored
	}
	this = open[i]
	open = endGone(ctx, reg, open, this, now)
	return Place(this, open, now, timeout(set)), nil
}

// Start registers session this on SessionStart: a started, resumed,
// cleared or forked session starts its sessionTimeout again, a compacted
// one (source "compact") goes on. When the session is beyond
// maxConcurrentSessions it returns a note for Claude, so the developer
// learns at once rather than at the first tool call.
func Start(ctx context.Context, reg govern.SessionStore, this govern.SessionRecord, source string, set policy.Settings) (string, error) {
	if this.ID == "" || this.User == "" {
		return "", nil
	}
	now := this.LastSeen
	this, err := reg.TouchSession(ctx, this, source != "compact")
	if err != nil {
		return "", err
	}
	if set.MaxConcurrentSessions == 0 {
		return "", nil
	}
	open, err := reg.OpenSessions(ctx, this.User, now.Add(-Idle))
	if err != nil {
		return "", err
	}
	open = endGone(ctx, reg, open, this, now)
	place := Place(this, open, now, timeout(set)).Place
	if place <= set.MaxConcurrentSessions {
		return "", nil
	}
	return fmt.Sprintf("Enterprise governance: the user has %d Claude Code sessions open, counting this one, and the enterprise allows %d at a time, "+
		"so every tool call in this session will be denied. Tell the user to end a session they no longer use (/exit in it) before asking for work here.",
		place, set.MaxConcurrentSessions), nil
}

// End ends session id at t, on SessionEnd.
func End(ctx context.Context, reg govern.SessionStore, id string, t time.Time) error {
	if id == "" {
		return nil
	}
	return reg.EndSession(ctx, id, t)
}

func timeout(set policy.Settings) time.Duration {
	return time.Duration(set.SessionTimeout) * time.Second
}

func index(list []govern.SessionRecord, id string) int {
	for i := range list {
		if list[i].ID == id {
			return i
		}
	}
	return -1
}

// endGone ends the sessions of open, other than self, that ran on self's
// host in a Claude Code process that no longer exists: Claude Code did not
// get to send SessionEnd. It returns the sessions still open. A session it
// cannot end stays counted.
func endGone(ctx context.Context, reg govern.SessionStore, open []govern.SessionRecord, self govern.SessionRecord, now time.Time) []govern.SessionRecord {
	kept := open[:0:0]
	for _, s := range open {
		if s.ID != self.ID && s.Host == self.Host && s.PID > 0 && !alive(s.PID) && reg.EndSession(ctx, s.ID, now) == nil {
			continue
		}
		kept = append(kept, s)
	}
	return kept
}

// alive reports whether process pid exists on this machine.
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
