package install

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/govern-dev/govern/internal/policy"
)

func TestPreToolUseAnswer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		out, want string
		ok        bool
	}{
		{"", "no opinion", true},
		{"  \n", "no opinion", true},
		{`{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"no"}}`, "deny", true},
		{`{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow"}}` + "\n", "allow", true},
		{`{"hookSpecificOutput":{"hookEventName":"PostToolUse","permissionDecision":"allow"}}`, "", false},
		{`{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"maybe"}}`, "", false},
		{`{"hookSpecificOutput":{}}{}`, "", false},
		{"\ufeff{}", "", false},
		{"allow", "", false},
		{`{"hookSpecificOutput":`, "", false},
	}
	for _, tt := range tests {
		got, ok := preToolUseAnswer([]byte(tt.out))
		if got != tt.want || ok != tt.ok {
			t.Errorf("preToolUseAnswer(%q) = %q, %v; want %q, %v", tt.out, got, ok, tt.want, tt.ok)
		}
	}
}

// TestDoctorHooks finds govern's hook on each event, and notices what is
// missing, left fail-open, or runs it in a way that lets calls through.
func TestDoctorHooks(t *testing.T) {
	t.Parallel()
	seed := loadPolicy(t, "../../testdata/policies/seed.json") // auditLevel comprehensive
	standard := &policy.File{}
	s, _ := Render(standard, testHook)
	good, err := Merge([]byte(adminSettings), s)
	if err != nil {
		t.Fatal(err)
	}
	s, _ = Render(seed, testHook)
	goodSeed, err := Merge([]byte(adminSettings), s)
	if err != nil {
		t.Fatal(err)
	}
	// legacy is govern's hook as installs before exec form wrote it.
	legacy := `{"type": "command", "command": "'/usr/local/bin/govern' hook --policy '/etc/govern/policy.json'", "timeout": 10, "onFailure": "block"}`
	all := strings.Join(Events, ", ")
	tests := []struct {
		name     string
		settings string
		pf       *policy.File
		want     []string // status and detail of each check
	}{
		{"installed", string(good), standard, []string{"ok govern's hook runs on " + all}},
		{"installed, comprehensive", string(goodSeed), seed,
			[]string{"ok govern's hook runs on " + all + ", and on the 21 further events that auditLevel comprehensive records"}},
		{"comprehensive policy, standard wiring", string(good), seed,
			[]string{"FAIL govern's hook is not wired on " + strings.Join(ObservedEvents, ", ")}},
		{"no policy to read", string(goodSeed), nil, []string{"ok govern's hook runs on " + all}},
		{"fail-open", strings.Replace(string(good), `"onFailure": "block"`, `"onFailure": "continue"`, 1), standard,
			[]string{`warn govern's hook on PreToolUse lacks "onFailure": "block": Claude Code lets the action through when the hook fails`}},
		{"narrowed", strings.Replace(string(good), `"matcher": "*"`, `"matcher": "Bash"`, 1), standard,
			[]string{"FAIL govern's hook is not wired on PreToolUse"}},
		{"a matcher where Claude Code ignores one", strings.Replace(string(good), `"UserPromptSubmit": [
      {`, `"UserPromptSubmit": [
      {"matcher": "x",`, 1), standard, []string{"ok govern's hook runs on " + all}},
		{"gone", strings.ReplaceAll(string(good), `"hook",`, `"check",`), standard, []string{"FAIL govern's hook is not wired on " + all}},
		{"another program", strings.ReplaceAll(string(good), `"/usr/local/bin/govern"`, `"/usr/local/bin/governor"`), standard,
			[]string{"FAIL govern's hook is not wired on " + all}},
		{"shell form", `{"hooks": {"PreToolUse": [{"matcher": "*", "hooks": [` + legacy + `]}], "PostToolUse": [{"hooks": [` + legacy + `]}]}}`, standard, []string{
			"FAIL govern's hook is not wired on PostToolUseFailure, UserPromptSubmit, SessionStart, SessionEnd",
			"FAIL govern's hook on PreToolUse, PostToolUse is a shell command: Claude Code runs it through the developer's CLAUDE_CODE_SHELL_PREFIX, which can skip govern",
		}},
		{"async", strings.Replace(string(good), `"onFailure": "block"`, `"onFailure": "block", "async": true`, 1), standard,
			[]string{`FAIL govern's hook on PreToolUse runs "async": Claude Code goes on without its answer, so calls go through unchecked`}},
		{"asyncRewake", strings.Replace(string(good), `"timeout": 5`, `"timeout": 5, "asyncRewake": true`, 1), standard,
			[]string{`FAIL govern's hook on SessionEnd runs "async": Claude Code goes on without its answer, so calls go through unchecked`}},
		{"if", strings.Replace(string(good), `"onFailure": "block"`, `"onFailure": "block", "if": "Bash(git *)"`, 1), standard,
			[]string{`FAIL govern's hook on PreToolUse has an "if" condition: what it does not match goes through unchecked`}},
		{"a sound handler beside a shell one", strings.Replace(string(good), `"hooks": [
          {
            "type": "command",
            "command": "/usr/local/bin/govern",`, `"hooks": [`+legacy+`,
          {
            "type": "command",
            "command": "/usr/local/bin/govern",`, 1), standard, []string{"ok govern's hook runs on " + all}},
	}
	for _, tt := range tests {
		var settings map[string]json.RawMessage
		if err := json.Unmarshal([]byte(tt.settings), &settings); err != nil {
			t.Fatalf("%s: %v\n%s", tt.name, err, tt.settings)
		}
		w, err := readWiring(settings)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var got []string
		for _, c := range w.check(tt.pf) {
			got = append(got, string(c.Status)+" "+c.Detail)
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%s: checks (-want +got):\n%s", tt.name, d)
		}
		hc := w.first()
		if strings.HasPrefix(tt.want[0], "FAIL govern's hook is not wired on "+all) {
			if hc != nil {
				t.Errorf("%s: found a hook: %+v", tt.name, hc)
			}
			continue
		}
		if hc == nil || hc.policy != "/etc/govern/policy.json" || hc.argv[0] != "/usr/local/bin/govern" {
			t.Errorf("%s: hook command %+v", tt.name, hc)
		}
	}
}

// TestDoctorDropIns reads managed-settings.d as Claude Code does: visible
// *.json files after managed-settings.json, alphabetically, the last value
// of a setting winning.
func TestDoctorDropIns(t *testing.T) {
	t.Parallel()
	yes := true
	hooksOnly := &policy.File{}
	hooksOnly.Settings.AllowManagedHooksOnly = &yes
	tests := []struct {
		name     string
		settings string
		dropIns  map[string]string
		pf       *policy.File
		want     []string
	}{
		{"none", `{}`, nil, hooksOnly, []string{"ok none in DIR"}},
		{"harmless", `{"allowManagedHooksOnly": true}`, map[string]string{"10-proxy.json": `{"env": {"HTTPS_PROXY": "http://proxy"}}`, "README": "hi"}, hooksOnly,
			[]string{"ok the 1 in DIR leave govern's hook on"}},
		{"hooks off", `{}`, map[string]string{"50-off.json": `{"disableAllHooks": true}`}, nil,
			[]string{`FAIL DIR/50-off.json sets "disableAllHooks": true, which silences govern's hook too`}},
		{"hooks off, then on again", `{}`, map[string]string{"10-off.json": `{"disableAllHooks": true}`, "20-on.json": `{"disableAllHooks": false}`}, nil,
			[]string{"ok the 2 in DIR leave govern's hook on"}},
		{"hidden and other files are not read", `{}`, map[string]string{".off.json": `{"disableAllHooks": true}`, "off.json.bak": `{"disableAllHooks": true}`}, nil,
			[]string{"ok none in DIR"}},
		{"developers' hooks let in", `{"allowManagedHooksOnly": true}`, map[string]string{"90-dev.json": `{"allowManagedHooksOnly": false}`}, hooksOnly,
			[]string{`warn DIR/90-dev.json sets "allowManagedHooksOnly": false, where the policy sets it true: developers' own hooks run beside govern's`}},
		{"developers' hooks, as the policy leaves them", `{}`, map[string]string{"90-dev.json": `{"allowManagedHooksOnly": false}`}, &policy.File{},
			[]string{"ok the 1 in DIR leave govern's hook on"}},
		{"unreadable", `{}`, map[string]string{"bad.json": `{"disableAllHooks": `}, nil,
			[]string{"warn cannot read DIR/bad.json: unexpected end of JSON input"}},
	}
	for _, tt := range tests {
		m := newMachine(t)
		m.write(linux.Settings, tt.settings)
		dir := filepath.Join(filepath.Dir(linux.Settings), DropInDir)
		for name, content := range tt.dropIns {
			m.write(filepath.Join(dir, name), content)
		}
		var s map[string]json.RawMessage
		if err := json.Unmarshal([]byte(tt.settings), &s); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range (&Doctor{Root: m.root, Layout: linux}).dropIns(s, tt.pf) {
			got = append(got, strings.ReplaceAll(string(c.Status)+" "+c.Detail, m.path(dir), "DIR"))
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%s: checks (-want +got):\n%s", tt.name, d)
		}
	}
}

func TestDoctorServer(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	defer srv.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()

	d := &Doctor{Getenv: func(string) string { return "" }, Layout: LayoutFor("linux"), Root: t.TempDir()}
	d.Timeout = 2e9
	for _, tt := range []struct {
		url    string
		status Status
		detail string
	}{
		{"", OK, "not configured: the hook decides locally"},
		{srv.URL, OK, srv.URL + " answers (HTTP 204)"},
		{closed, Warn, closed + " does not answer"},
		{"localhost:8001", Fail, `GOVERNANCE_API_URL "localhost:8001" is not an http(s) URL`},
	} {
		c := d.server(context.Background(), map[string]string{"GOVERNANCE_API_URL": tt.url}, "/etc/govern/policy.json")
		if c.Status != tt.status || !strings.HasPrefix(c.Detail, tt.detail) {
			t.Errorf("server(%q) = %s %s; want %s %s…", tt.url, c.Status, c.Detail, tt.status, tt.detail)
		}
	}
}

func TestDoctorClaude(t *testing.T) {
	t.Parallel()
	d := &Doctor{Timeout: 5e9, LookPath: func(string) (string, error) { return "", errors.New("not found") }}
	if c := d.claude(context.Background()); c.Status != Warn || c.Detail != "Claude Code (claude) is not on PATH" {
		t.Errorf("without claude: %+v", c)
	}
	fake := filepath.Join(t.TempDir(), "claude")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\necho \"2.1.332 (Claude Code) $1\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	d.LookPath = func(string) (string, error) { return fake, nil }
	if c := d.claude(context.Background()); c.Status != OK || c.Detail != fake+": 2.1.332 (Claude Code) --version" {
		t.Errorf("with claude: %+v", c)
	}
}

func TestDoctorSettings(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		content string
		status  Status
		detail  string
	}{
		{`{"model": "opus"}`, OK, " is well-formed"},
		{`{"disableAllHooks": true}`, Fail, ` sets "disableAllHooks": true, which silences govern's hook too`},
		{`{"env": {"A": 1}}`, Fail, `: "env" is not an object of strings`},
		{`{"model": `, Fail, " is not a JSON object: unexpected end of JSON input"},
	} {
		m := newMachine(t)
		m.write(linux.Settings, tt.content)
		_, _, c := (&Doctor{Root: m.root, Layout: linux}).settings()
		if c.Status != tt.status || c.Detail != m.path(linux.Settings)+tt.detail {
			t.Errorf("settings %s: %s %s", tt.content, c.Status, c.Detail)
		}
	}
}
