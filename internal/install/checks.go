package install

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/govern-dev/govern/internal/policy"
)

// permissions checks that what the hook and Claude Code read cannot be
// changed by the developers they govern: govern's files, their directories
// and the hook's binary are not writable by group or others, and, when
// doctor runs as root, are owned by root.
func (d *Doctor) permissions(policyPath string, hook *hookCmd) []Check {
	paths := []string{d.rooted(d.Layout.Settings), d.rooted(policyPath), d.rooted(d.Layout.Record)}
	if hook != nil && filepath.IsAbs(hook.argv[0]) {
		paths = append(paths, hook.argv[0])
	}
	var cs []Check
	seen := map[string]bool{}
	for _, p := range paths {
		for _, q := range []string{p, filepath.Dir(p)} {
			if seen[q] {
				continue
			}
			seen[q] = true
			fi, err := os.Stat(q)
			if err != nil {
				continue // missing files are other checks' business
			}
			if fi.Mode().Perm()&0o022 != 0 {
				cs = append(cs, Check{Status: Fail, Name: "permissions",
					Detail: fmt.Sprintf("%s is writable by group or others (%s): anyone could change what govern enforces", q, fi.Mode()),
					Fix:    "chmod go-w " + shellQuote(q)})
			}
			if st, ok := fi.Sys().(*syscall.Stat_t); ok && os.Geteuid() == 0 && st.Uid != 0 {
				cs = append(cs, Check{Status: Fail, Name: "permissions",
					Detail: fmt.Sprintf("%s is owned by uid %d, not root", q, st.Uid),
					Fix:    "chown root:root " + shellQuote(q)})
			}
		}
	}
	if len(cs) == 0 {
		return []Check{{Status: OK, Name: "permissions", Detail: "no one but their owner can change govern's files"}}
	}
	return cs
}

// binary checks that the hook's program exists and runs.
func (d *Doctor) binary(hook *hookCmd) Check {
	c := Check{Name: "hook command"}
	bin := hook.argv[0]
	fix := "reinstall with `govern install --bin /absolute/path/to/govern --policy FILE`"
	if !filepath.IsAbs(bin) {
		c.Status, c.Detail, c.Fix = Fail, fmt.Sprintf("%s is not an absolute path: the hook runs in every project's directory", bin), fix
		return c
	}
	fi, err := os.Stat(bin)
	switch {
	case err != nil:
		c.Status, c.Detail, c.Fix = Fail, fmt.Sprintf("%s: %v", bin, readReason(err)), fix
	case !fi.Mode().IsRegular():
		c.Status, c.Detail, c.Fix = Fail, bin+" is not a file", fix
	case fi.Mode().Perm()&0o111 == 0 || syscall.Access(bin, 1) != nil:
		c.Status, c.Detail, c.Fix = Fail, fmt.Sprintf("%s is not executable (%s)", bin, fi.Mode()), "chmod 755 "+shellQuote(bin)
	default:
		c.Status, c.Detail = OK, bin+" is executable"
	}
	return c
}

// roundTrip runs the hook as Claude Code would, on a harmless PreToolUse
// event, and checks the answer follows Claude Code's protocol. It runs the
// hook's program directly, with its arguments, as Claude Code runs a hook
// in exec form. The event has no session_id: a session the hook registered
// would count against the policy's maxConcurrentSessions for hours, and
// might keep a developer from working.
func (d *Doctor) roundTrip(ctx context.Context, hook *hookCmd, env map[string]string) Check {
	c := Check{Name: "round trip"}
	argv := hook.argv
	if d.Root != "" && d.Root != "/" && hook.policy != "" {
		// Staged under a root: read the policy there.
		argv = append([]string{argv[0]}, Hook{Bin: argv[0], Policy: d.rooted(hook.policy), Audit: hook.audit}.Args()...)
	}
	cwd, _ := os.Getwd()
	event, _ := json.Marshal(map[string]any{
		"transcript_path": "", "cwd": cwd, "permission_mode": "default",
		"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_use_id": "govern-doctor",
		"tool_input": map[string]any{"command": "true", "description": "govern doctor round trip"},
	})
	ctx, cancel := context.WithTimeout(ctx, d.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stdin = bytes.NewReader(event)
	cmd.Env = os.Environ()
	for _, k := range sortedKeys(env) { // Claude Code gives hooks the settings' env
		cmd.Env = append(cmd.Env, k+"="+env[k])
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	reason := firstLine(stderr.String())
	code := cmd.ProcessState.ExitCode()
	fix := "run the hook by hand: echo '{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"true\"}}' | " + shellLine(argv)
	switch {
	case ctx.Err() != nil:
		c.Status, c.Detail, c.Fix = Fail, fmt.Sprintf("no answer within %s: Claude Code lets calls through when the hook times out", d.Timeout), fix
	case code == 2:
		c.Status, c.Detail, c.Fix = Fail, "the hook blocked a harmless call (exit 2): "+reason, "fix what the hook reports (the other checks say more): until then Claude Code blocks every tool call"
	case code != 0:
		if err != nil && code < 0 {
			reason = err.Error()
		}
		c.Status, c.Detail, c.Fix = Fail, fmt.Sprintf("the hook exited %d, which Claude Code treats as no decision: %s", code, reason), fix
	default:
		answer, ok := preToolUseAnswer(stdout.Bytes())
		if !ok {
			c.Status, c.Detail, c.Fix = Fail, fmt.Sprintf("the hook's answer is not Claude Code's protocol: %.100q", stdout.String()), fix
		} else {
			c.Status, c.Detail = OK, "the hook answered a harmless PreToolUse (Bash `true`): "+answer
		}
	}
	return c
}

// preToolUseAnswer reads a PreToolUse hook's stdout: nothing, or one JSON
// object whose hookSpecificOutput is a PreToolUse decision.
func preToolUseAnswer(out []byte) (string, bool) {
	if len(bytes.TrimSpace(out)) == 0 {
		return "no opinion", true
	}
	if bytes.TrimLeft(out, " \t\r\n")[0] != '{' {
		return "", false
	}
	var a struct {
		Out *struct {
			Event    string `json:"hookEventName"`
			Decision string `json:"permissionDecision"`
		} `json:"hookSpecificOutput"`
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	if err := dec.Decode(&a); err != nil || dec.More() {
		return "", false
	}
	if a.Out == nil {
		return "no opinion", true
	}
	if a.Out.Event != "PreToolUse" || !slices.Contains([]string{"allow", "ask", "deny", ""}, a.Out.Decision) {
		return "", false
	}
	if a.Out.Decision == "" {
		return "no opinion", true
	}
	return a.Out.Decision, true
}

// policy checks that the installed policy is valid.
func (d *Doctor) policy(path string) Check {
	c := Check{Name: "policy"}
	file := d.rooted(path)
	data, err := os.ReadFile(file)
	if err != nil {
		c.Status, c.Detail, c.Fix = Fail, fmt.Sprintf("cannot read %s: %v", file, readReason(err)), reinstall
		return c
	}
	if ps := policy.Validate(file, data); ps != nil {
		more := ""
		if len(ps) > 1 {
			more = fmt.Sprintf(" (and %d more)", len(ps)-1)
		}
		c.Status, c.Detail, c.Fix = Fail, ps[0].String()+more, "`govern policy validate "+file+"` lists every problem; fix them and reinstall"
		return c
	}
	c.Status, c.Detail = OK, file+" is valid"
	return c
}

// audit checks that the hook's audit store opens.
func (d *Doctor) audit(ctx context.Context, hook *hookCmd, env map[string]string) Check {
	c := Check{Name: "audit store"}
	dsn := ""
	if hook != nil {
		dsn = hook.audit
	}
	dsn = cmp.Or(dsn, env["GOVERN_AUDIT"], d.Getenv("GOVERN_AUDIT"))
	if dsn == "" {
		dsn = d.DefaultAudit()
	}
	shown := redact(dsn)
	ctx, cancel := context.WithTimeout(ctx, d.Timeout)
	defer cancel()
	notes, err := d.OpenAudit(ctx, dsn)
	if err != nil {
		c.Status, c.Detail, c.Fix = Fail, fmt.Sprintf("cannot open %s: %v", shown, err), "the hook blocks every tool call it cannot record: make the store writable for the developers, or reinstall with --audit DSN"
		return c
	}
	if len(notes) > 0 {
		c.Status, c.Detail, c.Fix = Warn, shown+" opens, but "+strings.Join(notes, "; "), "run govern audit verify, and find what else wrote to the audit database"
		return c
	}
	c.Status, c.Detail = OK, shown+" opens"
	return c
}

// server checks that the central server answers, when one is configured.
func (d *Doctor) server(ctx context.Context, env map[string]string, policyPath string) Check {
	c := Check{Name: "server"}
	u := cmp.Or(env["GOVERNANCE_API_URL"], d.Getenv("GOVERNANCE_API_URL"))
	if u == "" {
		if p, err := policy.Load(d.rooted(policyPath)); err == nil {
			u = p.File.EnvironmentVariables["GOVERNANCE_API_URL"]
		}
	}
	if u == "" {
		c.Status, c.Detail = OK, "not configured: the hook decides locally"
		return c
	}
	fix := "start `govern serve` there, or correct GOVERNANCE_API_URL; meanwhile the hook decides locally and keeps its records for forwarding"
	pu, err := url.Parse(u)
	if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
		c.Status, c.Detail, c.Fix = Fail, fmt.Sprintf("GOVERNANCE_API_URL %q is not an http(s) URL", u), fix
		return c
	}
	ctx, cancel := context.WithTimeout(ctx, min(d.Timeout, 3*time.Second))
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.Status, c.Detail, c.Fix = Warn, fmt.Sprintf("%s does not answer: %v", pu.Redacted(), err), fix
		return c
	}
	resp.Body.Close()
	c.Status, c.Detail = OK, fmt.Sprintf("%s answers (HTTP %d)", pu.Redacted(), resp.StatusCode)
	return c
}

// claude checks that Claude Code is installed, and which version.
func (d *Doctor) claude(ctx context.Context) Check {
	c := Check{Name: "claude"}
	path, err := d.LookPath("claude")
	if err != nil {
		c.Status, c.Detail, c.Fix = Warn, "Claude Code (claude) is not on PATH", "install it: npm install -g @anthropic-ai/claude-code"
		return c
	}
	ctx, cancel := context.WithTimeout(ctx, d.Timeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "--version").Output()
	if err != nil {
		c.Status, c.Detail, c.Fix = Warn, fmt.Sprintf("%s --version: %v", path, err), "reinstall Claude Code"
		return c
	}
	c.Status, c.Detail = OK, fmt.Sprintf("%s: %s", path, firstLine(string(out)))
	return c
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// redact hides a password in a postgres:// DSN.
func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		return u.Redacted()
	}
	return dsn
}

// readReason drops the "open FILE:" prefix that would repeat the name.
func readReason(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
