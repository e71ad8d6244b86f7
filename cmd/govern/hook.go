package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/audit"
	"github.com/govern-dev/govern/internal/claude"
	"github.com/govern-dev/govern/internal/engine"
	"github.com/govern-dev/govern/internal/policy"
	"github.com/govern-dev/govern/internal/session"
)

// hookDeadline is how long the hook may take before it blocks the call on
// its own: well inside any timeout Claude Code gives it, because Claude
// Code lets a call through when a hook times out.
const hookDeadline = 5 * time.Second

// sessionEndDeadline bounds the SessionEnd event's work: Claude Code gives
// all SessionEnd hooks 1.5 s together.
const sessionEndDeadline = time.Second

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
	var seed seedFlags
	fs := c.flags("hook", stderr)
	seed.register(fs)
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
		answer
		err error
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
		in, err := seed.input(stdin)
		if err != nil {
			r.err = err
			return
		}
		r.answer, r.err = c.hook(ctx, in, func(name string) { decoded.Store(name) })
	}()

	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
	}
	event, _ := decoded.Load().(string)
	blocking := event == "" || event == "PreToolUse" // an event not yet decoded may be a tool call
	if ctx.Err() != nil {
		r.err = fmt.Errorf("no decision within %s", deadline)
		if !blocking {
			r.err = fmt.Errorf("no answer within %s", deadline)
		}
	}
	if r.err != nil {
		if !blocking {
			// Nothing to block: never stand in the developer's way; say
			// what was skipped in Claude Code's debug log.
			fmt.Fprintf(stderr, "govern: skipped: %s\n", oneLine(r.err.Error()))
			return exitAnswer
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

// answer is what the hook says back to Claude Code.
type answer struct {
	out   []byte  // stdout: the JSON answer, or nothing
	block string  // a reason to block with: printed on stderr, exit 2
	notes []error // things skipped, for Claude Code's debug log (stderr, exit 0)
}

// hook reads one event and handles it. It reports the event's name through
// decoded as soon as it is known, so that a deadline or a panic still
// knows whether it must block.
func (c *config) hook(ctx context.Context, stdin io.Reader, decoded func(string)) (answer, error) {
	ev, err := claude.ReadEvent(stdin)
	if err != nil {
		return answer{}, err
	}
	decoded(ev.HookEventName)
	if ev.HookEventName == "SessionEnd" {
		// SessionEnd hooks share Claude Code's 1.5 s budget.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, sessionEndDeadline)
		defer cancel()
	}
	switch ev.HookEventName {
	case "PreToolUse":
		return c.preToolUse(ctx, ev)
	case "UserPromptSubmit":
		return c.userPrompt(ctx, ev)
	}
	return c.observe(ctx, ev), nil
}

// preToolUse decides a tool call and records the decision before it
// answers. Any error blocks the call.
func (c *config) preToolUse(ctx context.Context, ev *claude.Event) (answer, error) {
	eng, err := c.loadEngine()
	if err != nil {
		return answer{}, err
	}
	req, skipped := decisionRequest(ev, eng.Policy(), time.Now())
	d, err := c.decideAndRecord(ctx, eng, &req, true)
	if err != nil {
		return answer{}, err
	}
	return answer{out: claude.PreToolUseAnswer(&d), notes: skipped}, nil
}

// userPrompt stops a prompt that carries a credential; any other prompt
// goes on with the governance briefing as additionalContext. Only the
// credential check can block: a policy or store problem never stops a
// developer from talking to Claude.
func (c *config) userPrompt(ctx context.Context, ev *claude.Event) (answer, error) {
	// The credential check needs no policy: it runs first, so a prompt
	// with a credential is stopped even when the policy cannot be read.
	d := engine.CheckPrompt(ev.Prompt)
	p, err := c.loadPolicy()
	if d.Outcome == govern.Deny {
		// The prompt is stopped whether or not its record can be written;
		// the record keeps the prompt with the credential masked.
		if err == nil {
			req := request(ev, p, time.Now())
			d.PolicyRevision = p.Revision
			c.record(ctx, audit.FromDecision(&req, &d, 0))
		}
		return answer{block: claude.Explain(&d)}, nil
	}
	if err != nil {
		return answer{notes: []error{err}}, nil
	}
	req := request(ev, p, time.Now())
	a := answer{out: claude.ContextAnswer("UserPromptSubmit", engine.Briefing(p, req.Actor))}
	if level := audit.ParseLevel(p.File.Settings.AuditLevel); level.Records(ev.HookEventName) {
		rec := audit.FromEvent(&req, p.Revision)
		rec.Input = audit.Prompt(ev.Prompt, level)
		if err := c.record(ctx, rec); err != nil {
			a.notes = append(a.notes, err)
		}
	}
	return a, nil
}

// observe handles the events that cannot block: it keeps the session
// registry and records the event when the policy's auditLevel asks for
// it. Whatever fails is only noted.
func (c *config) observe(ctx context.Context, ev *claude.Event) answer {
	p, err := c.loadPolicy()
	if err != nil {
		return answer{notes: []error{err}}
	}
	level := audit.ParseLevel(p.File.Settings.AuditLevel)
	track := session.Limited(p.File.Settings) && (ev.HookEventName == "SessionStart" || ev.HookEventName == "SessionEnd")
	if !track && !level.Records(ev.HookEventName) {
		return answer{}
	}
	req := request(ev, p, time.Now())
	var a answer
	store, err := openRecorder(ctx, c.auditDSN())
	if err != nil {
		a.notes = append(a.notes, err)
		return a
	}
	defer store.Close()
	if track {
		text, err := c.trackSession(ctx, store, ev, &req, p.File.Settings)
		if err != nil {
			a.notes = append(a.notes, err)
		}
		if text != "" {
			a.out = claude.ContextAnswer(ev.HookEventName, text)
		}
	}
	if !level.Records(ev.HookEventName) {
		return a
	}
	rec := audit.FromEvent(&req, p.Revision)
	rec.Input = audit.EventFields(ev.Fields())
	switch ev.HookEventName {
	case "PostToolUse", "PostToolUseFailure":
		res := ev.Result()
		rec.Input = audit.Input(ev.ToolInput)
		rec.Result = audit.Result(res.Status, res.ExitCode, res.Duration, res.Output, level)
	}
	if err := store.Append(ctx, rec); err != nil {
		a.notes = append(a.notes, fmt.Errorf("record the %s event: %w", ev.HookEventName, err))
	}
	return a
}

// record appends one record to the trail.
func (c *config) record(ctx context.Context, rec *govern.AuditRecord) error {
	store, err := openRecorder(ctx, c.auditDSN())
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Append(ctx, rec); err != nil {
		return fmt.Errorf("record the %s event: %w", rec.Event, err)
	}
	return nil
}

// decideAndRecord decides req and records the decision durably before it
// is answered: no record, no answer. For a hook (inSession), the session
// registry first says where req's session stands, when the policy limits
// sessions.
func (c *config) decideAndRecord(ctx context.Context, eng *engine.Engine, req *govern.Request, inSession bool) (govern.Decision, error) {
	store, err := openRecorder(ctx, c.auditDSN())
	if err != nil {
		return govern.Decision{}, err
	}
	defer store.Close()
	if set := eng.Policy().File.Settings; inSession && session.Limited(set) {
		reg, done, err := c.registry(ctx, store)
		if err != nil {
			return govern.Decision{}, err
		}
		req.Session, err = session.Call(ctx, reg, sessionOf(req), set)
		done()
		if err != nil {
			return govern.Decision{}, fmt.Errorf("session registry: %w", err)
		}
	}
	start := time.Now()
	d := eng.Decide(ctx, req)
	if err := store.Append(ctx, audit.FromDecision(req, &d, time.Since(start))); err != nil {
		return d, fmt.Errorf("record the decision: %w", err)
	}
	return d, nil
}

// registry returns the session registry, which lives in the audit store:
// store's own, or, when store only appends, the whole store opened for
// it. done closes what registry opened.
func (c *config) registry(ctx context.Context, store recorder) (reg govern.SessionStore, done func(), err error) {
	if reg, ok := store.(govern.SessionStore); ok {
		return reg, func() {}, nil
	}
	full, err := openStore(ctx, c.auditDSN())
	if err != nil {
		return nil, nil, err
	}
	if reg, err = session.Registry(full); err != nil {
		full.Close()
		return nil, nil, err
	}
	return reg, func() { full.Close() }, nil
}

// trackSession keeps the registry on SessionStart and SessionEnd; see
// session.Start.
func (c *config) trackSession(ctx context.Context, store recorder, ev *claude.Event, req *govern.Request, set policy.Settings) (string, error) {
	reg, done, err := c.registry(ctx, store)
	if err != nil {
		return "", err
	}
	defer done()
	var text string
	if ev.HookEventName == "SessionEnd" {
		err = session.End(ctx, reg, req.SessionID, req.Time)
	} else {
		text, err = session.Start(ctx, reg, sessionOf(req), ev.Source, set)
	}
	if err != nil {
		return "", fmt.Errorf("session registry: %w", err)
	}
	return text, nil
}

// sessionOf is the registry's view of req's session, active now.
func sessionOf(req *govern.Request) govern.SessionRecord {
	return govern.SessionRecord{ID: req.SessionID, User: req.Actor.User, Host: req.Actor.Host,
		PID: claudePID(), Started: req.Time, LastSeen: req.Time}
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

// oneLine keeps the first line of s: Claude Code shows stderr's first line.
func oneLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
