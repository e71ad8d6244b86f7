package install

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/govern-dev/govern/internal/policy"
)

var testHook = Hook{Bin: "/usr/local/bin/govern", Policy: "/etc/govern/policy.json"}

func loadPolicy(t *testing.T, path string) *policy.File {
	t.Helper()
	p, err := policy.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return p.File
}

// TestRenderSeed renders the seed's example policy: alternatives expanded,
// write rules as Edit, the bypass ban, the environment, govern's hook on
// its six events with onFailure where a failure must block, and, as the
// seed's auditLevel is comprehensive, on every event the trail then
// records; none of the seed's own keys.
func TestRenderSeed(t *testing.T) {
	t.Parallel()
	s, notes := Render(loadPolicy(t, "../../testdata/policies/seed.json"), testHook)
	out, err := Merge(nil, s)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	handler := func(timeout float64, block bool) map[string]any {
		h := map[string]any{"type": "command", "command": "/usr/local/bin/govern", "args": []any{"hook", "--policy", "/etc/govern/policy.json"}, "timeout": timeout}
		if block {
			h["onFailure"] = "block"
		}
		return h
	}
	group := func(matcher string, h map[string]any) []any {
		g := map[string]any{"hooks": []any{h}}
		if matcher != "" {
			g["matcher"] = matcher
		}
		return []any{g}
	}
	want := map[string]any{
		"permissions": map[string]any{
			"allow": []any{
				"Bash(npm run test:*)", "Bash(npm run build:*)", "Bash(npm run typecheck:*)",
				"Bash(git status)", "Bash(git diff)", "Bash(git log)", "Bash(git add)", "Bash(git commit)", "Bash(git push)",
				"Edit(src/**/*.js)", "Edit(src/**/*.ts)", "Edit(src/**/*.py)", "Edit(src/**/*.md)", "Edit(docs/**/*.md)",
				"Read(**/*.json)", "Read(**/*.yml)", "Read(**/*.yaml)", "Read(**/*.toml)", "Read(**/*.md)",
				"mcp__governance-server__*",
			},
			"deny": []any{
				"Bash(*rm -rf*)", "Bash(*sudo*)", "Bash(*chmod 777*)", "Edit(.env*)", "Edit(config/production*)",
				"Bash(*npm publish*)", "Bash(*docker run --privileged*)",
			},
			"disableBypassPermissionsMode": "disable",
		},
		"hooks": map[string]any{
			"PreToolUse":         group("*", handler(10, true)),
			"PostToolUse":        group("*", handler(10, false)),
			"PostToolUseFailure": group("*", handler(10, false)),
			"UserPromptSubmit":   group("", handler(10, true)),
			"SessionStart":       group("", handler(10, false)),
			"SessionEnd":         group("", handler(5, false)),
			// auditLevel comprehensive: every event the trail records.
			"PermissionRequest":   group("*", handler(5, false)),
			"PermissionDenied":    group("*", handler(5, false)),
			"PostToolBatch":       group("", handler(5, false)),
			"Notification":        group("", handler(5, false)),
			"UserPromptExpansion": group("", handler(5, false)),
			"Stop":                group("", handler(5, false)),
			"StopFailure":         group("", handler(5, false)),
			"SubagentStart":       group("", handler(5, false)),
			"SubagentStop":        group("", handler(5, false)),
			"TaskCreated":         group("", handler(5, false)),
			"TaskCompleted":       group("", handler(5, false)),
			"TeammateIdle":        group("", handler(5, false)),
			"PreCompact":          group("", handler(5, false)),
			"PostCompact":         group("", handler(5, false)),
			"ConfigChange":        group("", handler(5, false)),
			"InstructionsLoaded":  group("", handler(5, false)),
			"CwdChanged":          group("", handler(5, false)),
			"DirectoryAdded":      group("", handler(5, false)),
			"Elicitation":         group("", handler(5, false)),
			"ElicitationResult":   group("", handler(5, false)),
			"WorktreeRemove":      group("", handler(5, false)),
		},
		"env": map[string]any{
			"GOVERNANCE_MODE": "enterprise", "GOVERNANCE_API_URL": "http://localhost:8001",
			"ENTERPRISE_AUDIT_ENABLED": "true", "GOVERNANCE_REQUIRE_CONSENSUS": "true",
		},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("rendered seed (-want +got):\n%s", d)
	}

	wantNotes := []string{
		"permissions.conditionalRules[0]: enforced by govern's hook alone: Claude Code has no conditional rules",
		"hooks: not installed: govern's own hook takes their place on PreToolUse, PostToolUse, PostToolUseFailure, UserPromptSubmit, SessionStart, SessionEnd",
		"mcp.servers: not installed: configure these MCP servers in Claude Code yourself (govern writes no managed-mcp.json)",
	}
	var gotNotes []string
	for _, n := range notes {
		gotNotes = append(gotNotes, n.String())
	}
	if d := cmp.Diff(wantNotes, gotNotes); d != "" {
		t.Errorf("notes (-want +got):\n%s", d)
	}
}

// TestNativeRules translates one rule list at a time.
func TestNativeRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		allow    bool
		in, want []string
		hookOnly []string // rules left to the hook
	}{
		{name: "nested alternatives expand, cartesian",
			in:   []string{"Edit(src/{a,b/{c,d}}.{go,md})"},
			want: []string{"Edit(src/a.go)", "Edit(src/a.md)", "Edit(src/b/c.go)", "Edit(src/b/c.md)", "Edit(src/b/d.go)", "Edit(src/b/d.md)"}},
		{name: "braces without a comma are literal",
			in: []string{"Bash(echo {x})"}, want: []string{"Bash(echo {x})"}},
		{name: "duplicates after expansion are dropped",
			in: []string{"Bash(git status)", "Bash(git {status,log})"}, want: []string{"Bash(git status)", "Bash(git log)"}},
		{name: "denied writes become Edit, whichever tool",
			in:   []string{"Write(.env)", "MultiEdit(secrets/**)", "NotebookEdit(**/*.ipynb)", "Edit(.env)"},
			want: []string{"Edit(.env)", "Edit(secrets/**)", "Edit(**/*.ipynb)"}},
		{name: "allowed Write and MultiEdit are Edit", allow: true,
			in: []string{"Write(docs/**)", "MultiEdit(src/**)", "Edit(docs/**)"}, want: []string{"Edit(docs/**)", "Edit(src/**)"}},
		{name: "bare tools and Tool(*)",
			in: []string{"Write", "Bash(*)", "WebFetch"}, want: []string{"Write", "Bash", "WebFetch"}},
		{name: "paths Claude Code anchors differently or ignores",
			in:   []string{"Read(/src/**)", "Read(//etc/shadow)", "Read(~/.ssh/**)", "Glob(secret/**)", "Grep(secret/**)"},
			want: []string{"Read(//etc/shadow)", "Read(~/.ssh/**)"}, hookOnly: []string{"Read(/src/**)", "Glob(secret/**)", "Grep(secret/**)"}},
		{name: "tools and specifiers the schema cannot express",
			in:   []string{"*", "AskUserQuestion", "Task", "Bash(echo a)b)", "WebFetch(domain:example.com)"},
			want: []string{"WebFetch(domain:example.com)"}, hookOnly: []string{"*", "AskUserQuestion", "Task", "Bash(echo a)b)"}},
		{name: "parameter rules and tool-name globs in deny",
			in: []string{"Agent(model:opus)", "mcp__*", "mcp__github__delete_*"}, want: []string{"Agent(model:opus)", "mcp__*", "mcp__github__delete_*"}},
		{name: "parameter rules and loose globs in allow", allow: true,
			in: []string{"Agent(model:opus)", "mcp__*", "mcp__github__get_*", "mcp__github"}, want: []string{"mcp__github__get_*", "mcp__github"},
			hookOnly: []string{"Agent(model:opus)", "mcp__*"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var notes []Note
			got := nativeRules(tt.in, "permissions.denyList", tt.allow, &notes)
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("rules (-want +got):\n%s", d)
			}
			var left []string
			for _, n := range notes {
				left = append(left, n.Rule)
			}
			if d := cmp.Diff(tt.hookOnly, left); d != "" {
				t.Errorf("left to the hook (-want +got):\n%s", d)
			}
		})
	}
}

// TestRenderSettings covers what Render takes from the policy's settings.
func TestRenderSettings(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	f := &policy.File{}
	f.Settings.DangerouslySkipPermissions = &yes
	f.Settings.AllowManagedHooksOnly = &yes
	s, _ := Render(f, testHook)
	if s.DisableBypass {
		t.Error("dangerouslySkipPermissions: true disabled bypass mode")
	}
	out, err := Merge(nil, s)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		AllowManagedHooksOnly *bool           `json:"allowManagedHooksOnly"`
		Permissions           json.RawMessage `json:"permissions"`
		Env                   json.RawMessage `json:"env"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if got.AllowManagedHooksOnly == nil || !*got.AllowManagedHooksOnly || got.Permissions != nil || got.Env != nil {
		t.Errorf("rendered %s", out)
	}

	f.Settings.DangerouslySkipPermissions, f.Settings.AllowManagedHooksOnly = nil, &no
	s, _ = Render(f, testHook)
	if out, _ = Merge([]byte(`{"allowManagedHooksOnly": true}`), s); json.Unmarshal(out, &got) != nil || *got.AllowManagedHooksOnly {
		t.Errorf("allowManagedHooksOnly: false rendered as %s", out)
	}
	f.Settings.AllowManagedHooksOnly = nil
	s, _ = Render(f, testHook)
	if out, _ = Merge([]byte(`{"allowManagedHooksOnly": true}`), s); json.Unmarshal(out, &got) != nil || !*got.AllowManagedHooksOnly {
		t.Errorf("no allowManagedHooksOnly in the policy changed the administrator's: %s", out)
	}
}

// TestHookArgs: the hook's words reach govern as they are, with no shell
// to quote them for.
func TestHookArgs(t *testing.T) {
	t.Parallel()
	h := Hook{Bin: "/opt/it's here/govern", Policy: "/etc/govern/policy.json", Audit: "postgres://u:p@db/govern?sslmode=require&x=$HOME"}
	if d := cmp.Diff([]string{"hook", "--policy", h.Policy, "--audit", h.Audit}, h.Args()); d != "" {
		t.Errorf("Args() (-want +got):\n%s", d)
	}
	out, err := Merge(nil, &Settings{Hook: h})
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Hooks map[string][]struct{ Hooks []json.RawMessage }
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	for _, ev := range Events {
		hc, ok := governHandler(got.Hooks[ev][0].Hooks[0])
		if !ok || hc.shell || hc.policy != h.Policy || hc.audit != h.Audit {
			t.Fatalf("%s: read back %+v, %v", ev, hc, ok)
		}
		if d := cmp.Diff(append([]string{h.Bin}, h.Args()...), hc.argv); d != "" {
			t.Errorf("%s: read back (-want +got):\n%s", ev, d)
		}
	}
}

// TestGovernHandler recognises govern's hook in exec form and in the shell
// form of earlier installs, and nothing else.
func TestGovernHandler(t *testing.T) {
	t.Parallel()
	tests := []struct {
		handler string
		argv    []string // nil: not govern's hook
		shell   bool
		policy  string
	}{
		{`{"type": "command", "command": "/usr/local/bin/govern", "args": ["hook", "--policy", "/p.json", "--audit", "/a.db"]}`,
			[]string{"/usr/local/bin/govern", "hook", "--policy", "/p.json", "--audit", "/a.db"}, false, "/p.json"},
		{`{"type": "command", "command": "'/opt/it'\\''s here/govern' hook --policy='/etc/govern/policy.json'", "timeout": 10}`,
			[]string{"/opt/it's here/govern", "hook", "--policy=/etc/govern/policy.json"}, true, "/etc/govern/policy.json"},
		{`{"type": "command", "command": "govern hook"}`, []string{"govern", "hook"}, true, ""},
		{`{"type": "command", "command": "C:\\govern\\Govern.EXE", "args": ["hook"]}`, []string{`C:\govern\Govern.EXE`, "hook"}, false, ""},
		{`{"type": "command", "command": "/usr/local/bin/govern", "args": ["check", "hook"]}`, nil, false, ""},
		{`{"type": "command", "command": "/usr/local/bin/governor", "args": ["hook"]}`, nil, false, ""},
		{`{"type": "command", "command": "/usr/local/bin/govern hook", "args": []}`, nil, false, ""},
		{`{"type": "command", "command": "/usr/local/bin/govern", "args": "hook"}`, nil, false, ""},
		{`{"type": "http", "command": "/usr/local/bin/govern", "args": ["hook"]}`, nil, false, ""},
		{`{"type": "command", "command": "govern hook; rm -rf /"}`, nil, false, ""},
		{`{"type": "command", "command": "/opt/sec/check.sh hook"}`, nil, false, ""},
		{`[1]`, nil, false, ""},
	}
	for _, tt := range tests {
		hc, ok := governHandler(json.RawMessage(tt.handler))
		if tt.argv == nil {
			if ok {
				t.Errorf("%s: recognised as govern's hook: %+v", tt.handler, hc)
			}
			continue
		}
		if !ok {
			t.Errorf("%s: not recognised", tt.handler)
			continue
		}
		if d := cmp.Diff(tt.argv, hc.argv); d != "" || hc.shell != tt.shell || hc.policy != tt.policy {
			t.Errorf("%s: argv (-want +got):\n%s\nshell %v policy %q", tt.handler, d, hc.shell, hc.policy)
		}
	}
}
