package engine

import (
	"path/filepath"
	"strconv"
	"time"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/policy"
	"github.com/govern-dev/govern/internal/rule"
	"github.com/govern-dev/govern/internal/session"
	"github.com/govern-dev/govern/internal/shell"
)

// builtinProtected are the paths of the agent's own governance, which it
// may never write whatever the policy allows: Claude Code's managed and
// developer settings, and govern's own files. The policy file itself and
// the policy's protectedPaths are added.
var builtinProtected = []string{
	"//etc/govern/**",
	"//etc/claude-code/**",
	"//Library/Application Support/ClaudeCode/**",
	".claude/settings.json",
	".claude/settings.local.json",
	"~/.claude.json",
}

func protectedRules(p *policy.Policy) ([]*rule.Rule, error) {
	globs := append([]string(nil), builtinProtected...)
	if p.Name != "" {
		if abs, err := filepath.Abs(p.Name); err == nil {
			globs = append(globs, "/"+abs)
		}
	}
	globs = append(globs, p.Protected...)
	out := make([]*rule.Rule, 0, len(globs))
	for _, g := range globs {
		r, err := rule.Parse("Edit(" + g + ")")
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// bypassGuard refuses bypassPermissions mode when the policy sets
// dangerouslySkipPermissions to false.
func (e *Engine) bypassGuard(req *govern.Request) (govern.Decision, bool) {
	skip := e.policy.File.Settings.DangerouslySkipPermissions
	if req.PermissionMode != "bypassPermissions" || skip == nil || *skip {
		return govern.Decision{}, false
	}
	return govern.Decision{
		Outcome: govern.Deny, Layer: govern.LayerEngine, Risk: govern.RiskCritical,
		Rule:            "settings.dangerouslySkipPermissions",
		Reason:          "bypassPermissions mode is disabled by enterprise policy (settings.dangerouslySkipPermissions is false)",
		Recommendations: []string{"Restart Claude Code without --dangerously-skip-permissions and use the default or acceptEdits mode."},
	}, true
}

// sessionGuard enforces sessionTimeout and maxConcurrentSessions, when the
// door told the engine about the session.
func (e *Engine) sessionGuard(req *govern.Request) (govern.Decision, bool) {
	set := e.policy.File.Settings
	if set.SessionTimeout > 0 && !req.Session.Started.IsZero() {
		limit := time.Duration(set.SessionTimeout) * time.Second
		if age := req.Time.Sub(req.Session.Started); age > limit {
			return govern.Decision{
				Outcome: govern.Deny, Layer: govern.LayerEngine, Risk: govern.RiskMedium,
				Rule:            "settings.sessionTimeout",
				Reason:          "this session has run for " + age.Truncate(time.Second).String() + ", past the enterprise limit of " + limit.String(),
				Recommendations: []string{"Save your work and start a new Claude Code session."},
			}, true
		}
	}
	if max := set.MaxConcurrentSessions; max > 0 && req.Session.Place > max {
		return govern.Decision{
			Outcome: govern.Deny, Layer: govern.LayerEngine, Risk: govern.RiskMedium,
			Rule:            "settings.maxConcurrentSessions",
			Reason:          "you have " + strconv.Itoa(req.Session.Place) + " Claude Code sessions open, counting this one; the enterprise allows " + strconv.Itoa(max) + " at a time",
			Recommendations: []string{"End a Claude Code session you no longer use (/exit in it), then try again here; sessions idle for " + session.Idle.String() + " stop counting."},
		}, true
	}
	return govern.Decision{}, false
}

// protectedGuard denies writing the agent's own governance.
func (e *Engine) protectedGuard(s *subject) (govern.Decision, bool) {
	var targets []string
	switch {
	case isShell(s.tool):
		targets = s.writes
	case rule.IsWriteTool(s.tool):
		targets = []string{s.path}
	default:
		return govern.Decision{}, false
	}
	for _, t := range targets {
		for _, r := range e.protected {
			if r.MatchPath(t, s.base, true) {
				return govern.Decision{
					Outcome: govern.Deny, Layer: govern.LayerEngine, Risk: govern.RiskCritical,
					Rule:            "protectedPaths",
					Reason:          "writing " + t + " is not allowed: it is part of the agent's own governance (protected path " + r.Spec + ")",
					Recommendations: []string{"Governance settings are changed by your administrator, not from the agent."},
				}, true
			}
		}
	}
	return govern.Decision{}, false
}

// dynamicGuard asks about shell text that runs code only known at run
// time: nothing can say what it does.
func dynamicGuard(s *subject) (govern.Decision, bool) {
	if s.analysis == nil {
		return govern.Decision{}, false
	}
	what := ""
	for _, f := range s.analysis.Findings {
		if f.Kind == shell.DynamicName || f.Kind == shell.DynamicCode || f.Kind == shell.PipeToShell {
			what = f.Detail
			break
		}
	}
	if what == "" {
		for i := range s.analysis.Commands {
			if c := &s.analysis.Commands[i]; c.Dynamic {
				what = c.Text
				break
			}
		}
	}
	if what == "" && s.dynWrite != "" {
		return govern.Decision{
			Outcome: govern.Ask, Layer: govern.LayerEngine,
			Reason:          "the command writes to " + s.dynWrite + ", a path only known at run time",
			Recommendations: []string{"Spell the target path out literally."},
		}, true
	}
	if what == "" {
		return govern.Decision{}, false
	}
	return govern.Decision{
		Outcome: govern.Ask, Layer: govern.LayerEngine,
		Reason:          "the command runs code only known at run time (" + commandWhat(what, "") + ")",
		Recommendations: []string{"Spell the command out literally instead of building it in a variable, a substitution or a pipe into a shell."},
	}, true
}

// describe records what the engine saw in d.
func (s *subject) describe(d *govern.Decision) {
	if s.analysis != nil {
		d.Commands = make([]string, 0, len(s.analysis.Commands))
		for i := range s.analysis.Commands {
			d.Commands = append(d.Commands, s.analysis.Commands[i].Text)
		}
	}
	d.Writes = s.writes
	if s.dynWrite != "" {
		d.Writes = append(d.Writes, s.dynWrite)
	}
	if s.path != "" {
		d.Paths = []string{s.path}
	}
}
