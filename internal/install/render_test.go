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
// its six events with onFailure where a failure must block, and none of
// the seed's own keys.
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
	cmd := "'/usr/local/bin/govern' hook --policy '/etc/govern/policy.json'"
	handler := func(timeout float64, block bool) map[string]any {
		h := map[string]any{"type": "command", "command": cmd, "timeout": timeout}
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

func TestHookCommandQuotes(t *testing.T) {
	t.Parallel()
	h := Hook{Bin: "/opt/it's here/govern", Policy: "/etc/govern/policy.json", Audit: "postgres://u:p@db/govern?sslmode=require&x=$HOME"}
	got := h.Command()
	want := `'/opt/it'\''s here/govern' hook --policy '/etc/govern/policy.json' --audit 'postgres://u:p@db/govern?sslmode=require&x=$HOME'`
	if got != want {
		t.Fatalf("Command() = %s, want %s", got, want)
	}
	// sh splits it back into exactly the words it was made of.
	hc := parseHook(got)
	if hc == nil {
		t.Fatal("parseHook did not recognise the command")
	}
	if d := cmp.Diff([]string{h.Bin, "hook", "--policy", h.Policy, "--audit", h.Audit}, hc.argv); d != "" || hc.policy != h.Policy || hc.audit != h.Audit {
		t.Errorf("parsed back (-want +got):\n%s\npolicy %q audit %q", d, hc.policy, hc.audit)
	}
}
