package engine

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/claude"
	"github.com/govern-dev/govern/internal/corpus"
	"github.com/govern-dev/govern/internal/policy"
)

const testdata = "../../testdata"

var now = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

var engines sync.Map // policy name → *Engine

func engineFor(t testing.TB, name string) *Engine {
	t.Helper()
	if e, ok := engines.Load(name); ok {
		return e.(*Engine)
	}
	p, err := policy.Load(filepath.Join(testdata, "policies", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	engines.Store(name, e)
	return e
}

// requestFor builds the request a hook would build for the event on the
// corpus machine.
func requestFor(t testing.TB, event []byte) govern.Request {
	t.Helper()
	ev, err := claude.DecodeEvent(event)
	if err != nil {
		t.Fatal(err)
	}
	req := ev.Request()
	req.Time = now
	req.HomeDir = corpus.Home
	req.ProjectDir = corpus.ProjectDir
	req.Actor = govern.Actor{User: "dev", Host: "devbox"}
	return req
}

func TestCorpus(t *testing.T) {
	t.Parallel()
	cases, err := corpus.Load(filepath.Join(testdata, "corpus"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 400 {
		t.Errorf("corpus has %d cases, want at least 400", len(cases))
	}
	for _, c := range cases {
		e := engineFor(t, c.Policy)
		req := requestFor(t, c.Event())
		d := e.Decide(t.Context(), &req)
		if string(d.Outcome) != c.Expect || c.Rule != "" && d.Rule != c.Rule {
			t.Errorf("%s %s: %s %s\n  got  %s (rule %q, layer %s): %s\n  want %s (rule %q)",
				c.Pos, c.Name, c.Tool, c.Input, d.Outcome, d.Rule, d.Layer, d.Reason, c.Expect, c.Rule)
		}
	}
}

func decide(t testing.TB, e *Engine, tool string, input any, edit func(*govern.Request)) govern.Decision {
	t.Helper()
	in, err := json.Marshal(input)
	if err != nil {
		t.Fatal(err)
	}
	req := govern.Request{Event: "PreToolUse", ToolName: tool, ToolInput: in, Cwd: corpus.ProjectDir,
		ProjectDir: corpus.ProjectDir, HomeDir: corpus.Home, PermissionMode: "default", Time: now,
		Actor: govern.Actor{User: "dev"}}
	if edit != nil {
		edit(&req)
	}
	return e.Decide(context.Background(), &req)
}

func bash(cmd string) map[string]string { return map[string]string{"command": cmd} }

func TestLowerLayersOnlyTighten(t *testing.T) {
	t.Parallel()
	e := engineFor(t, "seed")
	project := govern.Layer{Name: govern.LayerProject, Source: "/home/dev/proj/.claude/settings.json",
		Allow: []string{"Bash(rm:*)", "Bash(sudo:*)"}, Deny: []string{"Bash(git push:*)", "Bash(curl:*)", "not a rule("}}
	withProject := func(r *govern.Request) { r.Layers = []govern.Layer{project} }

	d := decide(t, e, "Bash", bash("rm -rf build"), withProject)
	if d.Outcome != govern.Deny || d.Layer != govern.LayerEnterprise || d.Rule != "Bash(*rm -rf*)" {
		t.Errorf("enterprise deny undone by a project allow: %+v", d)
	}
	want := []string{"project settings (/home/dev/proj/.claude/settings.json) allow Bash(rm:*), which the enterprise denies"}
	if !slices.Equal(d.Conflicts, want) {
		t.Errorf("conflicts = %q, want %q", d.Conflicts, want)
	}

	d = decide(t, e, "Bash", bash("git push"), withProject)
	if d.Outcome != govern.Deny || d.Layer != govern.LayerProject || d.Rule != "Bash(git push:*)" {
		t.Errorf("project deny did not tighten an enterprise allow: %+v", d)
	}

	d = decide(t, e, "Bash", bash("git push"), nil)
	if d.Outcome != govern.Allow || d.Rule != "Bash(git {status,diff,log,add,commit,push})" {
		t.Errorf("git push without the project layer: %+v", d)
	}
}

// TestAllowNeedsSafeEnvironment: an assignment before a command can change
// what it runs (git runs GIT_PAGER and GIT_SSH_COMMAND, most tools run
// EDITOR), so only locale, terminal and CI variables may stand before an
// allowed command.
func TestAllowNeedsSafeEnvironment(t *testing.T) {
	t.Parallel()
	e := engineFor(t, "seed")
	for _, line := range []string{
		`GIT_PAGER='rm -r ~/notes' git log`,
		`GIT_SSH_COMMAND='sh -c id' git push`,
		`EDITOR=nano git commit`,
		`LANG=C GIT_EXTERNAL_DIFF=/tmp/x git diff`,
		`GIT_PAGER='rm -rf ~' timeout 5 git log`, // before a wrapper Claude Code strips
		`GIT_PAGER='sh -c id' nice git log`,
		`EDITOR='sh -c id' nohup git commit`,
		`GIT_SSH_COMMAND='sh -c id' time git push`,
	} {
		if d := decide(t, e, "Bash", bash(line), nil); d.Outcome == govern.Allow {
			t.Errorf("%s: allowed by %s", line, d.Rule)
		}
	}
	for _, line := range []string{`LANG=C git status`, `TERM=dumb NO_COLOR=1 git log`, `LC_MESSAGES=C git diff`,
		`CGO_ENABLED=0 GOOS=linux git status`, `LANG=C timeout 5 git log`} {
		if d := decide(t, e, "Bash", bash(line), nil); d.Outcome != govern.Allow {
			t.Errorf("%s: %s, want allow", line, d.Outcome)
		}
	}
}

func TestBypassModeRefused(t *testing.T) {
	t.Parallel()
	d := decide(t, engineFor(t, "seed"), "Bash", bash("git status"), func(r *govern.Request) { r.PermissionMode = "bypassPermissions" })
	if d.Outcome != govern.Deny || d.Layer != govern.LayerEngine || d.Rule != "settings.dangerouslySkipPermissions" || d.Risk != govern.RiskCritical {
		t.Errorf("bypass mode: %+v", d)
	}
}

func TestSessionLimits(t *testing.T) {
	t.Parallel()
	e := engineFor(t, "seed") // sessionTimeout 3600, maxConcurrentSessions 3
	for _, tc := range []struct {
		name    string
		session govern.Session
		rule    string
	}{
		{"fresh session", govern.Session{Started: now.Add(-time.Minute), Place: 1}, ""},
		{"unknown session", govern.Session{}, ""},
		{"timed out", govern.Session{Started: now.Add(-61 * time.Minute), Place: 1}, "settings.sessionTimeout"},
		{"at the session limit", govern.Session{Started: now, Place: 3}, ""},
		{"over the session limit", govern.Session{Started: now, Place: 4}, "settings.maxConcurrentSessions"},
	} {
		d := decide(t, e, "Bash", bash("git status"), func(r *govern.Request) { r.Session = tc.session })
		if tc.rule == "" && d.Outcome != govern.Allow || tc.rule != "" && (d.Outcome != govern.Deny || d.Rule != tc.rule) {
			t.Errorf("%s: %+v", tc.name, d)
		}
	}
}

func TestDecisionExplains(t *testing.T) {
	t.Parallel()
	d := decide(t, engineFor(t, "seed"), "Bash", bash(`git status && sudo rm -r -f /tmp/x > out.log`), nil)
	want := govern.Decision{
		Outcome: govern.Deny, Risk: govern.RiskHigh, Layer: govern.LayerEnterprise, Rule: "Bash(*rm -rf*)",
		Reason:          "command `rm -r -f /tmp/x` (run via sudo) is denied by enterprise rule Bash(*rm -rf*)",
		Recommendations: []string{"If the task really needs this, ask your administrator to review enterprise rule Bash(*rm -rf*); do not work around it."},
		Commands:        []string{"git status", "sudo rm -r -f /tmp/x", "rm -r -f /tmp/x"},
		Writes:          []string{"/home/dev/proj/out.log"},
	}
	d.PolicyRevision = ""
	if d.Rule != want.Rule || d.Reason != want.Reason || !slices.Equal(d.Commands, want.Commands) || !slices.Equal(d.Writes, want.Writes) ||
		d.Outcome != want.Outcome || d.Risk != want.Risk || !slices.Equal(d.Recommendations, want.Recommendations) {
		t.Errorf("decision =\n%+v\nwant\n%+v", d, want)
	}
}

func TestPowerShellRulesMatch(t *testing.T) {
	t.Parallel()
	p, err := policy.Parse("ps.json", []byte(`{"permissions": {"denyList": ["PowerShell(Remove-Item *)"], "allowList": ["PowerShell(Get-ChildItem *)"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	for cmd, want := range map[string]govern.Outcome{
		"Remove-Item -Recurse -Force C:/work":        govern.Deny,
		"Get-ChildItem -Path src; Remove-Item x.txt": govern.Deny,
		"Get-ChildItem -Path src":                    govern.Allow,
	} {
		if d := decide(t, e, "PowerShell", bash(cmd), nil); d.Outcome != want {
			t.Errorf("%s: %s (%s), want %s", cmd, d.Outcome, d.Reason, want)
		}
	}
}
