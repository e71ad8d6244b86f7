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
// missing or left fail-open.
func TestDoctorHooks(t *testing.T) {
	t.Parallel()
	s, _ := Render(loadPolicy(t, "../../testdata/policies/seed.json"), testHook)
	good, err := Merge([]byte(adminSettings), s)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		edit   func(string) string
		status Status
		detail string
	}{
		{"installed", func(s string) string { return s }, OK, "govern's hook runs on PreToolUse, PostToolUse, PostToolUseFailure, UserPromptSubmit, SessionStart, SessionEnd"},
		{"fail-open", func(s string) string { return strings.Replace(s, `"onFailure": "block"`, `"onFailure": "continue"`, 1) }, Warn,
			`govern's hook on PreToolUse lacks "onFailure": "block": Claude Code lets the action through when the hook fails`},
		{"narrowed", func(s string) string { return strings.Replace(s, `"matcher": "*"`, `"matcher": "Bash"`, 1) }, Fail, "govern's hook is not wired on PreToolUse"},
		{"gone", func(s string) string { return strings.ReplaceAll(s, "' hook --policy", "' check --policy") }, Fail,
			"govern's hook is not wired on PreToolUse, PostToolUse, PostToolUseFailure, UserPromptSubmit, SessionStart, SessionEnd"},
	}
	for _, tt := range tests {
		var settings map[string]json.RawMessage
		if err := json.Unmarshal([]byte(tt.edit(string(good))), &settings); err != nil {
			t.Fatal(err)
		}
		hc, c := (&Doctor{}).hooks(settings)
		if c.Status != tt.status || c.Detail != tt.detail {
			t.Errorf("%s: %s %s; want %s %s", tt.name, c.Status, c.Detail, tt.status, tt.detail)
		}
		if tt.status != Fail && (hc == nil || hc.policy != "/etc/govern/policy.json" || hc.argv[0] != "/usr/local/bin/govern") {
			t.Errorf("%s: hook command %+v", tt.name, hc)
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
