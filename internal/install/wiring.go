package install

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/govern-dev/govern/internal/policy"
	"github.com/govern-dev/govern/internal/shell"
)

// hookCmd is govern's hook as managed settings run it.
type hookCmd struct {
	argv []string // the program and its arguments
	// shell says it is written in shell form, one command line: Claude
	// Code runs it through sh and the developer's CLAUDE_CODE_SHELL_PREFIX.
	shell  bool
	policy string // --policy, as the target machine sees it
	audit  string // --audit; "" when not given
}

// governHandler reads one hook handler and returns the hook it runs when
// that is govern's: a command hook whose program's base name is govern
// and whose first argument is hook. It reads exec form (command and args),
// which govern install writes, and shell form (one command line), which
// earlier installs wrote.
func governHandler(raw json.RawMessage) (*hookCmd, bool) {
	var h struct {
		Type    string          `json:"type"`
		Command string          `json:"command"`
		Args    json.RawMessage `json:"args"`
	}
	if json.Unmarshal(raw, &h) != nil || h.Type != "command" {
		return nil, false
	}
	hc := &hookCmd{}
	if len(h.Args) > 0 && string(h.Args) != "null" {
		var args []string
		if json.Unmarshal(h.Args, &args) != nil {
			return nil, false
		}
		hc.argv = append([]string{h.Command}, args...)
	} else {
		hc.argv, _ = shell.Words(h.Command)
		hc.shell = true
	}
	if len(hc.argv) < 2 || !IsGovern(hc.argv[0]) || hc.argv[1] != "hook" {
		return nil, false
	}
	for i := 2; i < len(hc.argv); i++ {
		a := hc.argv[i]
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
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
	return hc, true
}

// IsGovern reports whether a program is govern: its base name is govern
// (govern.exe on Windows), whatever the directory.
func IsGovern(program string) bool {
	base := program[strings.LastIndexAny(program, `/\`)+1:]
	return base == "govern" || strings.EqualFold(base, "govern.exe")
}

// wiring is govern's hook as found on each event of managed settings: the
// handlers that run it in groups that send it every call of the event.
type wiring map[string][]wired

// wired is one handler that runs govern's hook.
type wired struct {
	*hookCmd
	async bool // "async" or "asyncRewake": Claude Code goes on without its answer
	cond  bool // an "if" condition: it runs on some calls only
	block bool // "onFailure": "block"
}

// sound reports whether the handler sees every call and Claude Code waits
// for its answer, with no shell in between.
func (h wired) sound() bool { return !h.shell && !h.async && !h.cond }

// noMatcher are the events whose groups take no matcher: Claude Code
// ignores one (claude-code-hooks.md §3.3, §5.2).
var noMatcher = map[string]bool{
	"UserPromptSubmit": true, "MessageDisplay": true, "PostToolBatch": true, "TaskCreated": true, "TaskCompleted": true,
	"Stop": true, "TeammateIdle": true, "CwdChanged": true, "WorktreeCreate": true, "WorktreeRemove": true,
}

// readWiring finds govern's hook in managed settings.
func readWiring(s map[string]json.RawMessage) (wiring, error) {
	w := wiring{}
	raw, ok := s["hooks"]
	if !ok {
		return w, nil
	}
	var hooks map[string][]struct {
		Matcher *string           `json:"matcher"`
		Hooks   []json.RawMessage `json:"hooks"`
	}
	if err := json.Unmarshal(raw, &hooks); err != nil {
		return nil, err
	}
	for ev, groups := range hooks {
		for _, g := range groups {
			if m := g.Matcher; m != nil && *m != "" && *m != "*" && !noMatcher[ev] {
				continue // not every call: not govern's group
			}
			for _, h := range g.Hooks {
				hc, ok := governHandler(h)
				if !ok {
					continue
				}
				var x struct {
					Async       json.RawMessage `json:"async"`
					AsyncRewake json.RawMessage `json:"asyncRewake"`
					If          json.RawMessage `json:"if"`
					OnFailure   json.RawMessage `json:"onFailure"`
				}
				json.Unmarshal(h, &x) // governHandler has read it: an object
				w[ev] = append(w[ev], wired{
					hookCmd: hc,
					async:   string(x.Async) == "true" || string(x.AsyncRewake) == "true",
					cond:    len(x.If) > 0 && string(x.If) != "null" && string(x.If) != `""`,
					block:   string(x.OnFailure) == `"block"`,
				})
			}
		}
	}
	return w, nil
}

// first returns govern's hook on the first of Events that has it, nil
// when none has.
func (w wiring) first() *hookCmd {
	for _, ev := range Events {
		if hs := w[ev]; len(hs) > 0 {
			i := max(slices.IndexFunc(hs, wired.sound), 0)
			return hs[i].hookCmd
		}
	}
	return nil
}

// check checks that govern's hook is wired, soundly, on each of its
// events, and on the further events the policy's auditLevel records (pf
// nil: none).
func (w wiring) check(pf *policy.File) []Check {
	events := Events
	var more []string
	if pf != nil {
		more = observed(pf)
		events = append(slices.Clip(Events), more...)
	}
	var missing, shell, async, cond, open []string
	for _, ev := range events {
		hs := w[ev]
		i := slices.IndexFunc(hs, wired.sound)
		switch {
		case len(hs) == 0:
			missing = append(missing, ev)
		case i < 0 && hs[0].shell:
			shell = append(shell, ev)
		case i < 0 && hs[0].async:
			async = append(async, ev)
		case i < 0:
			cond = append(cond, ev)
		case blockOnFailure[ev] && !slices.ContainsFunc(hs, func(h wired) bool { return h.sound() && h.block }):
			open = append(open, ev)
		}
	}
	var cs []Check
	on := func(evs []string) string { return "govern's hook on " + strings.Join(evs, ", ") }
	if len(missing) > 0 {
		cs = append(cs, Check{Status: Fail, Name: "hooks", Detail: "govern's hook is not wired on " + strings.Join(missing, ", "), Fix: reinstall})
	}
	if len(shell) > 0 {
		cs = append(cs, Check{Status: Fail, Name: "hooks",
			Detail: on(shell) + " is a shell command: Claude Code runs it through the developer's CLAUDE_CODE_SHELL_PREFIX, which can skip govern",
			Fix:    "re-run govern install (`govern install --policy FILE` as root): it wires the hook in exec form, command and args, with no shell"})
	}
	if len(async) > 0 {
		cs = append(cs, Check{Status: Fail, Name: "hooks",
			Detail: on(async) + ` runs "async": Claude Code goes on without its answer, so calls go through unchecked`, Fix: reinstall})
	}
	if len(cond) > 0 {
		cs = append(cs, Check{Status: Fail, Name: "hooks",
			Detail: on(cond) + ` has an "if" condition: what it does not match goes through unchecked`, Fix: reinstall})
	}
	if len(open) > 0 {
		cs = append(cs, Check{Status: Warn, Name: "hooks",
			Detail: on(open) + ` lacks "onFailure": "block": Claude Code lets the action through when the hook fails`, Fix: reinstall})
	}
	if len(cs) > 0 {
		return cs
	}
	detail := "govern's hook runs on " + strings.Join(Events, ", ")
	if len(more) > 0 {
		detail += fmt.Sprintf(", and on the %d further events that auditLevel %s records", len(more), pf.Settings.AuditLevel)
	}
	return []Check{{Status: OK, Name: "hooks", Detail: detail}}
}
