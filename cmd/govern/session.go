package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/claude"
	"github.com/govern-dev/govern/internal/engine"
	"github.com/govern-dev/govern/internal/policy"
)

// touchEvery is how stale a session's last activity may be before a tool
// call writes it again: the idle window is hours, so most calls only read
// the registry.
const touchEvery = time.Minute

// sessionLimited reports whether the policy limits sessions, which is when
// the hook keeps the session registry.
func sessionLimited(set policy.Settings) bool {
	return set.MaxConcurrentSessions > 0 || set.SessionTimeout > 0
}

// registry is the session registry of an audit store.
func registry(store govern.AuditStore) (govern.SessionStore, error) {
	r, ok := store.(govern.SessionStore)
	if !ok {
		return nil, fmt.Errorf("audit store %T keeps no session registry", store)
	}
	return r, nil
}

// placeSession registers req's session as active and says where it stands
// among its user's open sessions, for Decide's session limits. Sessions
// whose Claude Code process on this machine is gone are ended on the way.
func placeSession(ctx context.Context, store govern.AuditStore, req *govern.Request, set policy.Settings) (govern.Session, error) {
	if req.SessionID == "" || req.Actor.User == "" {
		return govern.Session{}, nil
	}
	reg, err := registry(store)
	if err != nil {
		return govern.Session{}, err
	}
	now := req.Time
	open, err := reg.OpenSessions(ctx, req.Actor.User, now.Add(-engine.SessionIdle))
	if err != nil {
		return govern.Session{}, err
	}
	i := indexSession(open, req.SessionID)
	if i < 0 || now.Sub(open[i].LastSeen) > touchEvery {
		this, err := reg.TouchSession(ctx, sessionOf(req), false)
		if err != nil {
			return govern.Session{}, err
		}
		if i < 0 {
			open, i = append(open, this), len(open)
		}
		open[i] = this
	}
	this := open[i]
	open = endGone(ctx, reg, open, req.Actor.Host, this.ID, now)
	return engine.SessionPlace(this, open, now, time.Duration(set.SessionTimeout)*time.Second), nil
}

// trackSession keeps the registry on SessionStart and SessionEnd. On a
// start beyond maxConcurrentSessions it returns a note for Claude, so the
// developer learns at once rather than at the first tool call.
func trackSession(ctx context.Context, store govern.AuditStore, ev *claude.Event, req *govern.Request, set policy.Settings) (string, error) {
	if req.SessionID == "" || req.Actor.User == "" {
		return "", nil
	}
	reg, err := registry(store)
	if err != nil {
		return "", err
	}
	if ev.HookEventName == "SessionEnd" {
		return "", reg.EndSession(ctx, req.SessionID, req.Time)
	}
	// A compacted session goes on; a started, resumed, cleared or forked
	// one starts its sessionTimeout again.
	this, err := reg.TouchSession(ctx, sessionOf(req), ev.Source != "compact")
	if err != nil {
		return "", err
	}
	if set.MaxConcurrentSessions == 0 {
		return "", nil
	}
	open, err := reg.OpenSessions(ctx, req.Actor.User, req.Time.Add(-engine.SessionIdle))
	if err != nil {
		return "", err
	}
	open = endGone(ctx, reg, open, req.Actor.Host, this.ID, req.Time)
	place := engine.SessionPlace(this, open, req.Time, time.Duration(set.SessionTimeout)*time.Second).OpenSessions
	if place <= set.MaxConcurrentSessions {
		return "", nil
	}
	return fmt.Sprintf("Enterprise governance: the user has %d Claude Code sessions open, counting this one, and the enterprise allows %d at a time, "+
		"so every tool call in this session will be denied. Tell the user to end a session they no longer use (/exit in it) before asking for work here.",
		place, set.MaxConcurrentSessions), nil
}

// sessionOf is the registry's view of req's session, active now.
func sessionOf(req *govern.Request) govern.SessionRecord {
	return govern.SessionRecord{ID: req.SessionID, User: req.Actor.User, Host: req.Actor.Host,
		PID: claudePID(), Started: req.Time, LastSeen: req.Time}
}

func indexSession(list []govern.SessionRecord, id string) int {
	for i := range list {
		if list[i].ID == id {
			return i
		}
	}
	return -1
}

// endGone ends the sessions of open, other than self, that ran on host in
// a Claude Code process that no longer exists: Claude Code did not get to
// send SessionEnd. It returns the sessions still open. A session it cannot
// end stays counted.
func endGone(ctx context.Context, reg govern.SessionStore, open []govern.SessionRecord, host, self string, now time.Time) []govern.SessionRecord {
	kept := open[:0:0]
	for _, s := range open {
		if s.ID != self && s.Host == host && s.PID > 0 && !alive(s.PID) && reg.EndSession(ctx, s.ID, now) == nil {
			continue
		}
		kept = append(kept, s)
	}
	return kept
}

// claudePID is the Claude Code process the hook serves (CLAUDE_PID, Claude
// Code 2.1.214+), or 0.
func claudePID() int {
	pid, err := strconv.Atoi(os.Getenv("CLAUDE_PID"))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}

// alive reports whether process pid exists on this machine.
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
