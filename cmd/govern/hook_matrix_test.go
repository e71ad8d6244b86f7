package main

import (
	"bytes"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// TestHookMatrix runs every kind of hook event through every failure the
// hook can meet and pins the exact exit code, stdout and stderr: PreToolUse
// blocks (exit 2) on any of them; no other event ever blocks or answers
// wrongly, and each says on stderr (Claude Code's debug log) what it
// skipped.
func TestHookMatrix(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "policy.json")
	broken := filepath.Join(dir, "broken.json")
	write(t, good, `{"organization": "Acme", "permissions": {"allowList": ["Bash(git status)"]}, "settings": {"auditLevel": "comprehensive", "maxConcurrentSessions": 5}}`)
	write(t, broken, `{"permissions": {"denyList": ["Bsh(x)"]}}`)
	t.Setenv("HOME", "/home/dev")
	t.Setenv("CLAUDE_PROJECT_DIR", "/home/dev/proj")

	const common = `"session_id":"m1","transcript_path":"/t.jsonl","cwd":"/home/dev/proj","permission_mode":"default",`
	events := map[string]string{
		"PreToolUse":         `{` + common + `"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"git status"},"tool_use_id":"t1"}`,
		"UserPromptSubmit":   `{` + common + `"hook_event_name":"UserPromptSubmit","prompt":"run the tests"}`,
		"PostToolUse":        `{` + common + `"hook_event_name":"PostToolUse","tool_name":"Bash","tool_input":{"command":"git status"},"tool_response":{"stdout":"clean","stderr":"","interrupted":false},"tool_use_id":"t1","duration_ms":9}`,
		"PostToolUseFailure": `{` + common + `"hook_event_name":"PostToolUseFailure","tool_name":"Bash","tool_input":{"command":"make"},"tool_use_id":"t2","error":"Exit code 2\nno rule","duration_ms":4}`,
		"SessionStart":       `{` + common + `"hook_event_name":"SessionStart","source":"startup"}`,
		"SessionEnd":         `{` + common + `"hook_event_name":"SessionEnd","reason":"other"}`,
		"Notification":       `{` + common + `"hook_event_name":"Notification","message":"waiting","notification_type":"idle_prompt"}`,
		"PermissionRequest":  `{` + common + `"hook_event_name":"PermissionRequest","tool_name":"Bash","tool_input":{"command":"ls"}}`,
	}
	// What a healthy hook prints on stdout for each event.
	okOut := map[string]string{
		"PreToolUse":       `^\{"hookSpecificOutput":\{"hookEventName":"PreToolUse","permissionDecision":"allow",`,
		"UserPromptSubmit": `^\{"hookSpecificOutput":\{"hookEventName":"UserPromptSubmit","additionalContext":"Enterprise governance: Acme's policy`,
	}
	failures := []struct {
		name   string
		policy string
		audit  string
		env    map[string]string
		// stderr: what the failure says; PreToolUse adds "; the call is
		// blocked", the other events are prefixed "govern: skipped: ".
		stderr string
		// answers: the failure still lets the hook answer (the prompt's
		// briefing needs no store).
		answers map[string]bool
	}{
		{name: "healthy", policy: good},
		{name: "unknown fields", policy: good, env: map[string]string{"unknown": "1"}},
		{name: "missing policy", policy: filepath.Join(dir, "nowhere.json"), stderr: `read policy: open .*nowhere.json: no such file or directory`},
		{name: "broken policy", policy: broken, stderr: `.*broken.json:1:32: unknown tool "Bsh" in denyList`},
		{name: "unwritable audit", policy: good, audit: filepath.Join(dir, "missing", "audit.db"),
			stderr: `open audit store .*missing/audit.db: directory .*missing does not exist`, answers: map[string]bool{"UserPromptSubmit": true}},
		// A store that accepts the connection and never answers: the
		// hook's own deadline ends the wait.
		{name: "hung audit store", policy: good, audit: "postgres://govern@" + silentListener(t) + "/audit?connect_timeout=30",
			env: map[string]string{"GOVERN_HOOK_DEADLINE": "300ms"}, stderr: `no (decision|answer) within 300ms`},
	}
	for _, f := range failures {
		for name, event := range events {
			t.Run(f.name+"/"+name, func(t *testing.T) {
				audit := f.audit
				if audit == "" {
					audit = filepath.Join(t.TempDir(), "audit.db")
				}
				t.Setenv("GOVERN_HOOK_DEADLINE", f.env["GOVERN_HOOK_DEADLINE"])
				if f.env["unknown"] != "" {
					event = strings.Replace(event, `{`, `{"future_field":{"x":[1,2]},"another":"y",`, 1)
				}
				var stdout, stderr bytes.Buffer
				code := run([]string{"hook", "--policy", f.policy, "--audit", audit}, strings.NewReader(event), &stdout, &stderr)

				wantCode, wantOut, wantErr := 0, okOut[name], ""
				switch {
				case f.stderr != "" && name == "PreToolUse":
					wantCode, wantOut, wantErr = 2, "", `^govern: `+f.stderr+`; the call is blocked\n$`
				case f.stderr != "":
					wantErr = `^govern: skipped: ` + f.stderr + `\n$`
					if !f.answers[name] {
						wantOut = ""
					}
				}
				if code != wantCode {
					t.Errorf("exit %d, want %d (stderr %q)", code, wantCode, stderr.String())
				}
				checkStream(t, "stdout", stdout.String(), wantOut)
				checkStream(t, "stderr", stderr.String(), wantErr)
			})
		}
	}
}

// TestHookDeadlineBeforeTheEventIsRead: when even reading the event takes
// too long, the hook cannot know it is not a tool call, so it blocks.
func TestHookDeadlineBeforeTheEventIsRead(t *testing.T) {
	t.Setenv("GOVERN_HOOK_DEADLINE", "50ms")
	stdin, w := io.Pipe() // Claude Code never finishes writing the event
	defer w.Close()
	var stdout, stderr bytes.Buffer
	code := run([]string{"hook", "--policy", "/nonexistent"}, stdin, &stdout, &stderr)
	if code != 2 || stdout.Len() != 0 || stderr.String() != "govern: no decision within 50ms; the call is blocked\n" {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and the deadline on stderr", code, stdout.String(), stderr.String())
	}
}

// silentListener accepts connections on a loopback port and never answers
// them, until the test ends. It returns its address.
func silentListener(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().String()
}

// checkStream checks a stream against a pattern; "" means it must be
// empty.
func checkStream(t *testing.T, name, got, pattern string) {
	t.Helper()
	if pattern == "" {
		if got != "" {
			t.Errorf("%s = %q, want nothing", name, got)
		}
		return
	}
	if !regexp.MustCompile(pattern).MatchString(got) {
		t.Errorf("%s = %q, want a match for %s", name, got, pattern)
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
