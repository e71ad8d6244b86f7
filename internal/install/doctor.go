package install

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// Status is a check's result.
type Status string

const (
	OK   Status = "ok"
	Warn Status = "warn"
	Fail Status = "FAIL"
)

// Check is one thing doctor looked at: what it found and, for a problem,
// how to fix it.
type Check struct {
	Status Status
	Name   string
	Detail string
	Fix    string
}

// Doctor checks an installation end to end.
type Doctor struct {
	Root   string // where the installation's files are; "" or "/" is this machine
	Layout Layout
	// OpenAudit opens and closes the audit store a DSN names.
	OpenAudit func(ctx context.Context, dsn string) error
	// DefaultAudit is the hook's audit DSN when nothing names one.
	DefaultAudit func() string
	Getenv       func(string) string
	LookPath     func(string) (string, error)
	Timeout      time.Duration // for each command run and the server check; 0 is 10 s
}

// hookCmd is govern's hook as the managed settings run it.
type hookCmd struct {
	command string   // as written, for sh -c
	argv    []string // as sh would split it
	policy  string   // --policy, as the target machine sees it
	audit   string   // --audit; "" when not given
}

// Run runs every check, in order.
func (d *Doctor) Run(ctx context.Context) []Check {
	if d.Timeout == 0 {
		d.Timeout = 10 * time.Second
	}
	var cs []Check
	add := func(c ...Check) { cs = append(cs, c...) }

	settings, env, c := d.settings()
	add(c)
	var hook *hookCmd
	if settings != nil {
		var hc Check
		hook, hc = d.hooks(settings)
		add(hc)
	}
	policyPath := d.Layout.Policy
	if hook != nil && hook.policy != "" {
		policyPath = hook.policy
	}
	add(d.permissions(policyPath, hook)...)
	if hook != nil {
		c := d.binary(hook)
		add(c)
		if c.Status != Fail {
			add(d.roundTrip(ctx, hook, env))
		}
	}
	add(d.policy(policyPath))
	add(d.audit(ctx, hook, env))
	add(d.server(ctx, env, policyPath))
	add(d.claude(ctx))
	return cs
}

// Print writes one line per check, a fix line under each problem, and a
// summary; it returns how many checks failed.
func Print(w io.Writer, cs []Check) (failed int) {
	warned := 0
	for _, c := range cs {
		fmt.Fprintf(w, "%-4s  %s: %s\n", c.Status, c.Name, c.Detail)
		if c.Fix != "" && c.Status != OK {
			fmt.Fprintf(w, "      fix: %s\n", c.Fix)
		}
		switch c.Status {
		case Fail:
			failed++
		case Warn:
			warned++
		}
	}
	fmt.Fprintf(w, "%d failed, %d warned, %d ok\n", failed, warned, len(cs)-failed-warned)
	return failed
}

func (d *Doctor) rooted(path string) string { return rooted(d.Root, path) }

const reinstall = "run `govern install --policy FILE` as root"

// settings reads the managed settings and the environment they give hooks.
func (d *Doctor) settings() (map[string]json.RawMessage, map[string]string, Check) {
	file := d.rooted(d.Layout.Settings)
	c := Check{Name: "managed settings"}
	data, err := os.ReadFile(file)
	if err != nil {
		c.Status, c.Detail, c.Fix = Fail, fmt.Sprintf("cannot read %s: %v", file, readReason(err)), reinstall
		return nil, nil, c
	}
	var s map[string]json.RawMessage
	if err := json.Unmarshal(data, &s); err != nil {
		c.Status, c.Detail, c.Fix = Fail, fmt.Sprintf("%s is not a JSON object: %v", file, err), "fix the file's syntax, or "+reinstall
		return nil, nil, c
	}
	var env map[string]string
	if raw, ok := s["env"]; ok && json.Unmarshal(raw, &env) != nil {
		c.Status, c.Detail, c.Fix = Fail, file+`: "env" is not an object of strings`, "fix it, or "+reinstall
		return nil, nil, c
	}
	var off bool
	if raw, ok := s["disableAllHooks"]; ok && json.Unmarshal(raw, &off) == nil && off {
		c.Status, c.Detail, c.Fix = Fail, file+` sets "disableAllHooks": true, which silences govern's hook too`, `remove "disableAllHooks" from `+file
		return s, env, c
	}
	c.Status, c.Detail = OK, file+" is well-formed"
	return s, env, c
}

// hooks finds govern's hook on each of its events.
func (d *Doctor) hooks(s map[string]json.RawMessage) (*hookCmd, Check) {
	c := Check{Name: "hooks"}
	var hooks map[string][]struct {
		Matcher *string `json:"matcher"`
		Hooks   []struct {
			Type      string `json:"type"`
			Command   string `json:"command"`
			OnFailure string `json:"onFailure"`
		} `json:"hooks"`
	}
	if raw, ok := s["hooks"]; ok {
		if err := json.Unmarshal(raw, &hooks); err != nil {
			c.Status, c.Detail, c.Fix = Fail, fmt.Sprintf(`"hooks" is not Claude Code's hook configuration: %v`, err), reinstall
			return nil, c
		}
	}
	var first *hookCmd
	var missing, open []string
	for _, ev := range Events {
		found := false
		for _, g := range hooks[ev] {
			if toolEvents[ev] && g.Matcher != nil && *g.Matcher != "" && *g.Matcher != "*" {
				continue // not every tool: not govern's group
			}
			for _, h := range g.Hooks {
				hc := parseHook(h.Command)
				if h.Type != "command" || hc == nil {
					continue
				}
				found = true
				if first == nil {
					first = hc
				}
				if blockOnFailure[ev] && h.OnFailure != "block" {
					open = append(open, ev)
				}
				break
			}
			if found {
				break
			}
		}
		if !found {
			missing = append(missing, ev)
		}
	}
	switch {
	case len(missing) > 0:
		c.Status, c.Detail, c.Fix = Fail, "govern's hook is not wired on "+strings.Join(missing, ", "), reinstall
	case len(open) > 0:
		c.Status, c.Detail, c.Fix = Warn, `govern's hook on `+strings.Join(open, ", ")+` lacks "onFailure": "block": Claude Code lets the action through when the hook fails`, reinstall
	default:
		c.Status, c.Detail = OK, "govern's hook runs on "+strings.Join(Events, ", ")
	}
	return first, c
}

// parseHook reads a command as sh would and returns it when it runs
// `govern hook`.
func parseHook(command string) *hookCmd {
	f, err := syntax.NewParser().Parse(strings.NewReader(command), "")
	if err != nil || len(f.Stmts) != 1 {
		return nil
	}
	call, ok := f.Stmts[0].Cmd.(*syntax.CallExpr)
	if !ok || len(call.Args) < 2 {
		return nil
	}
	argv, err := expand.Fields(nil, call.Args...) // quotes removed; no globbing without a ReadDir
	if err != nil || len(argv) < 2 || argv[1] != "hook" {
		return nil
	}
	hc := &hookCmd{command: command, argv: argv}
	for i := 2; i < len(hc.argv); i++ {
		a := hc.argv[i]
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") {
			continue
		}
		if !hasVal && i+1 < len(hc.argv) {
			i++
			val = hc.argv[i]
		}
		switch name {
		case "policy":
			hc.policy = val
		case "audit":
			hc.audit = val
		}
	}
	return hc
}
