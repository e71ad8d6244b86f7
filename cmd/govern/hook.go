package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/audit"
	"github.com/govern-dev/govern/internal/claude"
	"github.com/govern-dev/govern/internal/engine"
)

// hookDeadline is how long the hook may take before it blocks the call on
// its own: well inside any timeout Claude Code gives it, because Claude
// Code lets a call through when a hook times out.
const hookDeadline = 5 * time.Second

// Exit codes of `govern hook` (claude-code-hooks.md §4.1): 0 answers, 2
// blocks. Never 1: Claude Code lets the call through on any other code.
const (
	exitAnswer = 0
	exitBlock  = 2
)

// runHook answers one Claude Code hook event read from stdin. On
// PreToolUse it fails closed: any problem (bad input, bad policy, a panic,
// the deadline) exits 2 with a one-line reason on stderr, which blocks the
// call. Other events always exit 0.
func runHook(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var c config
	fs := c.flags("hook", stderr)
	if err := fs.Parse(args); err != nil {
		return exitBlock
	}
	deadline := hookDeadline
	if v := os.Getenv("GOVERN_HOOK_DEADLINE"); v != "" {
		if d, err := time.ParseDuration(v); err == nil && d > 0 {
			deadline = d
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()

	type result struct {
		out   []byte
		event string
		block string // a decision that blocks by exit code: printed on stderr, exit 2
		notes []error
		err   error
	}
	done := make(chan result, 1)
	var decoded atomic.Value // the event's name, once known: a deadline or panic must not lose it
	go func() {
		var r result
		defer func() {
			if p := recover(); p != nil {
				r.err = fmt.Errorf("internal error: %v", p)
			}
			done <- r
		}()
		r.out, r.event, r.block, r.notes, r.err = c.hook(ctx, stdin, func(name string) { decoded.Store(name) })
	}()

	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
	}
	if ctx.Err() != nil {
		r.err = fmt.Errorf("no decision within %s", deadline)
	}
	if r.event == "" {
		r.event, _ = decoded.Load().(string)
	}
	if r.err != nil {
		if r.event != "" && r.event != "PreToolUse" {
			return exitAnswer // nothing to block: never stand in the developer's way
		}
		fmt.Fprintf(stderr, "govern: %s; the call is blocked\n", oneLine(r.err.Error()))
		return exitBlock
	}
	if r.block != "" {
		fmt.Fprintln(stderr, r.block)
		return exitBlock
	}
	for _, n := range r.notes { // on exit 0 stderr is Claude Code's debug log
		fmt.Fprintf(stderr, "govern: skipped: %s\n", oneLine(n.Error()))
	}
	if len(r.out) > 0 {
		if _, err := stdout.Write(r.out); err != nil {
			fmt.Fprintf(stderr, "govern: write answer: %s; the call is blocked\n", oneLine(err.Error()))
			return exitBlock
		}
	}
	return exitAnswer
}

// hook reads the event and decides it. It returns the answer to print, the
// event's name, and, for a prompt that must not be sent, the reason to
// block it with.
func (c *config) hook(ctx context.Context, stdin io.Reader, decoded func(string)) (out []byte, event, block string, notes []error, err error) {
	ev, err := claude.ReadEvent(stdin)
	if err != nil {
		return nil, "", "", nil, err
	}
	event = ev.HookEventName
	decoded(event)
	switch event {
	case "PreToolUse":
		eng, err := c.loadEngine()
		if err != nil {
			return nil, event, "", nil, err
		}
		req, skipped := request(ev, eng.Policy(), time.Now())
		d, err := c.decideAndRecord(ctx, eng, &req)
		if err != nil {
			return nil, event, "", nil, err
		}
		return claude.PreToolUseAnswer(&d), event, "", skipped, nil
	case "UserPromptSubmit":
		// The credential check needs no policy: it runs first, so a prompt
		// with a credential is stopped even when the policy cannot be read.
		d := engine.CheckPrompt(ev.Prompt)
		if d.Outcome != govern.Deny {
			return nil, event, "", nil, nil
		}
		// The prompt is stopped whether or not its record can be written;
		// the record keeps the prompt with the credential masked.
		if eng, err := c.loadEngine(); err == nil {
			req, _ := request(ev, eng.Policy(), time.Now())
			d.PolicyRevision = eng.Policy().Revision
			if store, err := openStore(ctx, c.auditDSN()); err == nil {
				store.Append(ctx, audit.FromDecision(&req, &d, 0))
				store.Close()
			}
		}
		return nil, event, claude.Explain(&d), nil, nil
	}
	return nil, event, "", nil, nil
}

// decideAndRecord decides req and records the decision durably before it
// is answered: no record, no answer.
func (c *config) decideAndRecord(ctx context.Context, eng *engine.Engine, req *govern.Request) (govern.Decision, error) {
	start := time.Now()
	d := eng.Decide(ctx, req)
	rec := audit.FromDecision(req, &d, time.Since(start))
	store, err := openStore(ctx, c.auditDSN())
	if err != nil {
		return d, err
	}
	defer store.Close()
	if err := store.Append(ctx, rec); err != nil {
		return d, fmt.Errorf("record the decision: %w", err)
	}
	return d, nil
}

// oneLine keeps the first line of s: Claude Code shows stderr's first line.
func oneLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
