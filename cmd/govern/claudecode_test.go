package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/claude"
	"github.com/govern-dev/govern/internal/install"
)

// The end-to-end test against the real Claude Code CLI (issue 5): Claude
// Code runs offline against a loopback fake of the model API
// (fakemodel_test.go), with the managed settings `govern install` renders,
// and the test checks what Claude Code did, what it told the model, and
// what govern recorded.
//
// Claude Code is proprietary and never committed: .ci/run installs it from
// npm and points GOVERN_TEST_CLAUDE at its executable. Without it the test
// skips, unless GOVERN_REQUIRE_CLAUDE=1 (set by CI) makes that a failure.

// claudeRunTimeout bounds one Claude Code run; it is killed after that.
const claudeRunTimeout = 120 * time.Second

// claudeCodeBinary returns the Claude Code executable to test against.
func claudeCodeBinary(t *testing.T) string {
	t.Helper()
	path := os.Getenv("GOVERN_TEST_CLAUDE")
	if path == "" {
		path, _ = exec.LookPath("claude")
	}
	var err error
	if path == "" {
		err = errors.New("GOVERN_TEST_CLAUDE is not set and there is no claude on PATH")
	} else if _, err = os.Stat(path); err == nil {
		return path
	}
	msg := "Claude Code not found (" + err.Error() + "); install @anthropic-ai/claude-code-linux-x64 with npm and set GOVERN_TEST_CLAUDE to its claude executable, as .ci/run does"
	if os.Getenv("GOVERN_REQUIRE_CLAUDE") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// claudeSession is one Claude Code installation in a temporary directory:
// govern installed under root as on a managed machine, a fresh home, a
// project directory and an audit store of its own.
type claudeSession struct {
	govern   string // the built govern binary
	root     string // what govern install treats as /
	home     string
	proj     string
	auditDB  string
	settings string   // the managed settings govern install wrote, staged (see stagedSettings)
	events   []string // the events govern install wires at the policy's auditLevel
}

func newClaudeSession(t *testing.T, governBin string) *claudeSession {
	t.Helper()
	return newClaudeSessionAt(t, governBin, "standard")
}

// newClaudeSessionAt is newClaudeSession with the test's policy at another
// auditLevel.
func newClaudeSessionAt(t *testing.T, governBin, auditLevel string) *claudeSession {
	t.Helper()
	dir := t.TempDir()
	s := &claudeSession{
		govern:  governBin,
		root:    filepath.Join(dir, "root"),
		home:    filepath.Join(dir, "home"),
		proj:    filepath.Join(dir, "proj"),
		auditDB: filepath.Join(dir, "audit.db"),
	}
	for _, d := range []string{s.root, s.home, s.proj} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile("testdata/claudecode/policy.json")
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.Replace(b, []byte(`"auditLevel": "standard"`), []byte(`"auditLevel": "`+auditLevel+`"`), 1)
	policy := filepath.Join(dir, "policy.json")
	if err := os.WriteFile(policy, b, 0o644); err != nil {
		t.Fatal(err)
	}
	s.events = slices.Clone(install.Events)
	if auditLevel == "comprehensive" {
		s.events = append(s.events, install.ObservedEvents...)
	}
	out, err := exec.Command(s.govern, "install", "--root", s.root, "--policy", policy, "--audit", s.auditDB, "--bin", s.govern).CombinedOutput()
	if err != nil {
		t.Fatalf("govern install: %v\n%s", err, out)
	}
	s.settings = s.stagedSettings(t)
	return s
}

// stagedSettings returns the managed settings govern install wrote under
// the root, made to work in place. The hook's --policy names the policy
// where the target machine keeps it (/etc/govern/policy.json), which here
// is only under the root: as `govern doctor --root` does, the test points
// the hook at the staged copy, and changes nothing else. It checks that
// govern wired its hook on each of its events in exec form, running the
// built binary on the installed policy and this test's audit store, with
// no shell between.
func (s *claudeSession) stagedSettings(t *testing.T) string {
	t.Helper()
	const target = "/etc/govern/policy.json"
	staged := filepath.Join(s.root, target)
	if _, err := os.Stat(staged); err != nil {
		t.Fatalf("govern install did not install the policy: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(s.root, "etc/claude-code/managed-settings.json"))
	if err != nil {
		t.Fatalf("govern install wrote no managed settings: %v", err)
	}
	var settings map[string]any
	if err := json.Unmarshal(b, &settings); err != nil {
		t.Fatalf("managed settings: %v\n%s", err, b)
	}
	hooks, _ := settings["hooks"].(map[string]any)
	var events []string
	for event, groups := range hooks {
		events = append(events, event)
		for _, g := range groups.([]any) {
			for _, h := range g.(map[string]any)["hooks"].([]any) {
				h := h.(map[string]any)
				args, _ := h["args"].([]any)
				for i := range args {
					if i > 0 && args[i-1] == "--policy" && args[i] == target {
						args[i] = staged
					}
				}
				want := []any{"hook", "--policy", staged, "--audit", s.auditDB}
				if h["type"] != "command" || h["command"] != s.govern || !cmp.Equal(args, want) {
					t.Errorf("%s hook runs %v %v, want exec form: %s %v", event, h["command"], h["args"], s.govern, want)
				}
			}
		}
	}
	slices.Sort(events)
	if want := slices.Sorted(slices.Values(s.events)); !slices.Equal(events, want) {
		t.Errorf("govern install wired %q, want %q", events, want)
	}
	b, err = json.MarshalIndent(settings, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(filepath.Dir(s.root), "managed-settings.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// claudeResult is the part of `claude -p --output-format json`'s result
// the test reads.
type claudeResult struct {
	Type              string `json:"type"`
	Subtype           string `json:"subtype"`
	IsError           bool   `json:"is_error"`
	Result            string `json:"result"`
	SessionID         string `json:"session_id"`
	NumTurns          int    `json:"num_turns"`
	TerminalReason    string `json:"terminal_reason"`
	PermissionDenials []struct {
		ToolName  string         `json:"tool_name"`
		ToolUseID string         `json:"tool_use_id"`
		ToolInput map[string]any `json:"tool_input"`
	} `json:"permission_denials"`
}

// claudeRun is what one `claude -p` run did.
type claudeRun struct {
	result   claudeResult
	requests []messagesRequest // what Claude Code sent the model
	audit    []auditEntry      // the audit trail afterwards, oldest first
}

// run runs `claude -p prompt` in the project directory, against a fake
// model that asks for one Bash call running command; env adds to Claude
// Code's environment.
func (s *claudeSession) run(t *testing.T, claudeBin, prompt, command string, env ...string) *claudeRun {
	t.Helper()
	model := newFakeModel(t, command)
	ctx, cancel := context.WithTimeout(t.Context(), claudeRunTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, claudeBin, "-p", prompt, "--settings", s.settings, "--output-format", "json")
	cmd.Dir = s.proj
	// Only what Claude Code needs, so that nothing from the developer's
	// environment (credentials, a proxy, GOVERN_*) leaks in; the model is
	// the loopback fake.
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + s.home,
		"SHELL=/bin/bash",
		"TMPDIR=" + os.TempDir(),
		"DISABLE_AUTOUPDATER=1",
		"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1",
		"ANTHROPIC_BASE_URL=" + model.URL,
		"ANTHROPIC_API_KEY=dummy",
	}
	cmd.Env = append(cmd.Env, env...)
	cmd.WaitDelay = 5 * time.Second // a hook or shell left holding the pipes
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	reqs, others := model.seen()
	t.Logf("claude -p %q: %s, %d model requests, exit %v", prompt, elapsed.Round(time.Millisecond), len(reqs), err)
	if len(others) > 0 {
		t.Logf("requests the fake model answered 404: %q", others)
	}
	if ctx.Err() != nil {
		t.Fatalf("claude did not finish within %s; killed\nstdout: %s\nstderr: %s", claudeRunTimeout, stdout.Bytes(), stderr.Bytes())
	}
	if err != nil {
		t.Fatalf("claude: %v\nstdout: %s\nstderr: %s", err, stdout.Bytes(), stderr.Bytes())
	}
	r := &claudeRun{requests: reqs}
	if err := json.Unmarshal(stdout.Bytes(), &r.result); err != nil {
		t.Fatalf("claude's JSON result: %v\nstdout: %s\nstderr: %s", err, stdout.Bytes(), stderr.Bytes())
	}
	if r.result.Type != "result" || r.result.Subtype != "success" || r.result.IsError || r.result.SessionID == "" {
		t.Errorf("claude's result is not a successful session:\n%s", stdout.Bytes())
	}
	r.audit = s.auditTrail(t)
	return r
}

// toolResult returns the one tool_result Claude Code sent the model for
// the fake's tool call.
func (r *claudeRun) toolResult(t *testing.T) contentBlock {
	t.Helper()
	var found []contentBlock
	for i := range r.requests {
		for _, b := range r.requests[i].toolResults() {
			if b.ToolUseID == fakeToolUseID {
				found = append(found, b)
				break
			}
		}
	}
	// Every request after the first carries the conversation so far: the
	// result of the one call must be there, and the same each time.
	if len(found) == 0 {
		t.Fatalf("Claude Code sent the model no tool_result for %s in %d requests", fakeToolUseID, len(r.requests))
	}
	for _, b := range found[1:] {
		if b.text() != found[0].text() || b.IsError != found[0].IsError {
			t.Errorf("the tool_result changed between requests: %q then %q", found[0].text(), b.text())
		}
	}
	return found[0]
}

// auditEntry is one line of `govern audit list --json`.
type auditEntry struct {
	Seq     int64           `json:"seq"`
	Event   string          `json:"event"`
	Session string          `json:"session"`
	Tool    string          `json:"tool"`
	Input   json.RawMessage `json:"input"`
	Result  json.RawMessage `json:"result"`
	Outcome string          `json:"outcome"`
	Reason  string          `json:"reason"`
	Rule    string          `json:"rule"`

	Recommendations []string `json:"recommendations"`
}

// field returns a top-level string field of the recorded input.
func (e *auditEntry) field(name string) string {
	var m map[string]any
	json.Unmarshal(e.Input, &m)
	s, _ := m[name].(string)
	return s
}

// auditTrail reads the session's audit trail with the built binary, as an
// administrator would, and checks that it verifies.
func (s *claudeSession) auditTrail(t *testing.T) []auditEntry {
	t.Helper()
	cmd := exec.Command(s.govern, "audit", "list", "--json", "--audit", s.auditDB, "--limit", "1000")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("govern audit list: %v\n%s", err, stderr.Bytes())
	}
	var trail []auditEntry
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var e auditEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("govern audit list --json: %v in %s", err, sc.Bytes())
		}
		trail = append(trail, e)
	}
	for _, e := range trail {
		t.Logf("audit %d: %s %s %s %s input %s result %s", e.Seq, e.Event, e.Tool, e.Outcome, e.Rule, e.Input, e.Result)
	}
	out, err = exec.Command(s.govern, "audit", "verify", "--audit", s.auditDB).CombinedOutput()
	if want := fmt.Sprintf("ok: %d records, chain intact", len(trail)); err != nil || !strings.HasPrefix(string(out), want) {
		t.Errorf("govern audit verify: %v, %q; want exit 0 and %q", err, out, want)
	}
	return trail
}

// checkTrail checks that the trail holds the records named in want
// ("Event" or "Event Tool"), in any order, and no others, all of the
// run's session.
func (r *claudeRun) checkTrail(t *testing.T, want ...string) {
	t.Helper()
	var got []string
	for _, e := range r.audit {
		got = append(got, strings.TrimSpace(e.Event+" "+e.Tool))
		if e.Session != r.result.SessionID {
			t.Errorf("audit record %d belongs to session %q, not the run's %q", e.Seq, e.Session, r.result.SessionID)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("audit trail records (-want +got):\n%s", diff)
	}
}

// record returns the trail's one record of event whose tool is tool (""
// for records without one), or nil.
func (r *claudeRun) record(event, tool string) *auditEntry {
	var found *auditEntry
	for i, e := range r.audit {
		if e.Event == event && e.Tool == tool {
			if found != nil {
				return nil
			}
			found = &r.audit[i]
		}
	}
	return found
}

// checkSessionAudited checks the records that standard audit level keeps
// of every session: its start, each prompt as its size and digest, and
// its end.
func (r *claudeRun) checkSessionAudited(t *testing.T, prompt string) {
	t.Helper()
	if e := r.record("SessionStart", ""); e == nil || e.field("source") != "startup" {
		t.Errorf("audit: want one SessionStart record, source startup; got %v", e)
	}
	sum := sha256.Sum256([]byte(prompt))
	want := fmt.Sprintf(`{"prompt":{"bytes":%d,"sha256":"%x"}}`, len(prompt), sum)
	if e := r.record("UserPromptSubmit", ""); e == nil || !jsonEqual(e.Input, want) {
		t.Errorf("audit: want one UserPromptSubmit record with input %s (the prompt %q as size and digest); got %v", want, prompt, e)
	}
	if e := r.record("SessionEnd", ""); e == nil || e.field("reason") != "other" {
		t.Errorf("audit: want one SessionEnd record, reason other (what claude -p sends); got %v", e)
	}
}

// checkBashDecision checks the trail's one PreToolUse decision: on the
// fake's Bash command, with outcome and rule.
func (r *claudeRun) checkBashDecision(t *testing.T, command, outcome, rule string) *auditEntry {
	t.Helper()
	e := r.record("PreToolUse", "Bash")
	if e == nil {
		t.Fatal("audit: want one PreToolUse Bash record")
	}
	if e.field("command") != command || e.Outcome != outcome || e.Rule != rule {
		t.Errorf("audit: PreToolUse record = command %q, outcome %q, rule %q; want %q, %q, %q",
			e.field("command"), e.Outcome, e.Rule, command, outcome, rule)
	}
	return e
}

func (e *auditEntry) String() string {
	b, _ := json.Marshal(e)
	return string(b)
}

func jsonEqual(a json.RawMessage, b string) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal([]byte(b), &y) == nil && cmp.Equal(x, y)
}

func TestClaudeCode(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end run of Claude Code skipped in -short mode")
	}
	claudeBin := claudeCodeBinary(t)
	governBin := builtGovern(t)

	t.Run("denied command is blocked with govern's reason", func(t *testing.T) {
		t.Parallel()
		checkDenied(t, claudeBin, newClaudeSession(t, governBin))
	})

	// A developer's CLAUDE_CODE_SHELL_PREFIX wraps every shell-form hook
	// (claude-code-hooks.md §5.4): one that exits 0 would skip govern, and
	// every call would go through unchecked and unrecorded. govern install
	// wires its hook in exec form, which Claude Code runs directly.
	t.Run("a shell prefix cannot skip govern", func(t *testing.T) {
		t.Parallel()
		s := newClaudeSession(t, governBin)
		dir := t.TempDir()
		log := filepath.Join(dir, "prefix.log")
		prefix := filepath.Join(dir, "prefix")
		if err := os.WriteFile(prefix, []byte("#!/bin/sh\necho \"$*\" >>'"+log+"'\nexit 0\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		checkDenied(t, claudeBin, s, "CLAUDE_CODE_SHELL_PREFIX="+prefix)
		b, err := os.ReadFile(log)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		t.Logf("the shell prefix ran %d times", bytes.Count(b, []byte("\n")))
		if bytes.Contains(b, []byte(governBin)) {
			t.Errorf("govern's hook ran through the shell prefix:\n%s", b)
		}
	})

	// At auditLevel comprehensive govern's hook is wired on every event the
	// trail records as well; Claude Code goes on as before, and the trail
	// has the turn's end and the tool batch too.
	t.Run("comprehensive audit", func(t *testing.T) {
		t.Parallel()
		s := newClaudeSessionAt(t, governBin, "comprehensive")
		const prompt, command = "create the marker file", "touch allowed-marker"
		r := s.run(t, claudeBin, prompt, command)
		if _, err := os.Stat(filepath.Join(s.proj, "allowed-marker")); err != nil {
			t.Errorf("the allowed command did not run: %v", err)
		}
		if tr := r.toolResult(t); tr.IsError {
			t.Errorf("tool_result is an error: %q", tr.text())
		}
		r.checkTrail(t, "SessionStart", "UserPromptSubmit", "PreToolUse Bash", "PostToolUse Bash", "PostToolBatch", "Stop", "SessionEnd")
		r.checkBashDecision(t, command, "allow", "Bash(touch allowed-marker), Write(allowed-marker)")
		want := fmt.Sprintf(`{"prompt":%q}`, prompt) // comprehensive: the prompt as text
		if e := r.record("UserPromptSubmit", ""); e == nil || !jsonEqual(e.Input, want) {
			t.Errorf("audit: want one UserPromptSubmit record with input %s; got %v", want, e)
		}
	})

	t.Run("allowed command runs", func(t *testing.T) {
		t.Parallel()
		s := newClaudeSession(t, governBin)
		const prompt, command = "create the marker file", "touch allowed-marker"
		r := s.run(t, claudeBin, prompt, command)

		if _, err := os.Stat(filepath.Join(s.proj, "allowed-marker")); err != nil {
			t.Errorf("the allowed command did not run: %v", err)
		}
		tr := r.toolResult(t)
		t.Logf("tool_result sent to the model: is_error %v, %q", tr.IsError, tr.text())
		if tr.IsError {
			t.Errorf("tool_result is an error: %q", tr.text())
		}
		if d := r.result.PermissionDenials; len(d) != 0 {
			t.Errorf("permission_denials = %+v, want none", d)
		}
		r.checkTrail(t, "SessionStart", "UserPromptSubmit", "PreToolUse Bash", "PostToolUse Bash", "SessionEnd")
		r.checkBashDecision(t, command, "allow", "Bash(touch allowed-marker), Write(allowed-marker)")
		// What ran: the command, and that it succeeded.
		var res struct {
			Status   string `json:"status"`
			ExitCode *int   `json:"exit_code"`
		}
		if e := r.record("PostToolUse", "Bash"); e == nil || e.field("command") != command ||
			json.Unmarshal(e.Result, &res) != nil || res.Status != "succeeded" || res.ExitCode == nil || *res.ExitCode != 0 {
			t.Errorf("audit: want one PostToolUse record of %q, succeeded with exit code 0; got %v", command, e)
		}
		r.checkSessionAudited(t, prompt)
	})
}

// checkDenied runs Claude Code on a prompt the fake model answers with
// `rm -rf`, and checks that govern's hook denied it with its reason and
// recorded it; env adds to Claude Code's environment.
func checkDenied(t *testing.T, claudeBin string, s *claudeSession, env ...string) {
	t.Helper()
	victim := filepath.Join(s.proj, "victim")
	if err := os.MkdirAll(victim, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(victim, "keep"), []byte("keep me\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const prompt = "clean up the victim directory"
	command := "rm -rf " + victim
	r := s.run(t, claudeBin, prompt, command, env...)

	if _, err := os.Stat(filepath.Join(victim, "keep")); err != nil {
		t.Errorf("the denied command ran: %v", err)
	}
	if d := r.result.PermissionDenials; len(d) != 1 || d[0].ToolName != "Bash" || d[0].ToolUseID != fakeToolUseID || d[0].ToolInput["command"] != command {
		t.Errorf("permission_denials = %+v, want the one Bash call", d)
	}
	r.checkTrail(t, "SessionStart", "UserPromptSubmit", "PreToolUse Bash", "SessionEnd")
	dec := r.checkBashDecision(t, command, "deny", "Bash(*rm -rf*)")

	// Claude Code tells the model govern's explanation of the recorded
	// decision, as a PreToolUse hook error (claude-code-hooks.md §4.4).
	tr := r.toolResult(t)
	t.Logf("tool_result sent to the model: is_error %v, %q", tr.IsError, tr.text())
	const prefix = "PreToolUse:Bash hook error: ENTERPRISE POLICY VIOLATION: "
	if !tr.IsError || !strings.HasPrefix(tr.text(), prefix) || !strings.Contains(tr.text(), "Bash(*rm -rf*)") {
		t.Errorf("tool_result = is_error %v, %q; want an error starting %q that names the rule Bash(*rm -rf*)", tr.IsError, tr.text(), prefix)
	}
	explained := claude.Explain(&govern.Decision{Outcome: govern.Deny, Reason: dec.Reason, Recommendations: dec.Recommendations})
	if want := "PreToolUse:Bash hook error: " + explained; tr.text() != want {
		t.Errorf("tool_result = %q, want the recorded decision explained: %q", tr.text(), want)
	}
	r.checkSessionAudited(t, prompt)
}
