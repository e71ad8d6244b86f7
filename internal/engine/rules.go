package engine

import (
	"strings"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/clip"
	"github.com/govern-dev/govern/internal/policy"
	"github.com/govern-dev/govern/internal/rule"
	"github.com/govern-dev/govern/internal/shell"
)

// ruleSet is one group of rules from one layer: the enterprise policy, a
// team's or scope's additions, or a developer's settings file.
type ruleSet struct {
	layer, source    string
	allow, ask, deny []policy.Entry
	cond             *policy.Conditional // the rules apply only while its condition holds; nil for plain rules
}

type kind uint8

const (
	deny kind = iota
	ask
)

func (s *ruleSet) list(k kind) []policy.Entry {
	if k == deny {
		return s.deny
	}
	return s.ask
}

// ruleSets returns the rules that apply to req's actor, enterprise first,
// then the lower layers in precedence order.
func (e *Engine) ruleSets(req *govern.Request) []ruleSet {
	p := e.policy
	sets := make([]ruleSet, 0, 2+len(req.Layers))
	sets = append(sets, ruleSet{layer: govern.LayerEnterprise, source: p.Name, allow: p.Allow, ask: p.Ask, deny: p.Deny})
	team := req.Actor.Team
	if t, ok := p.Teams[team]; ok {
		sets = append(sets, ruleSet{layer: govern.LayerEnterprise, source: p.Name, allow: t.Allow, ask: t.Ask, deny: t.Deny})
	}
	for i := range p.Scopes {
		sc := &p.Scopes[i]
		if sc.Applies(req.Actor.User, team) {
			sets = append(sets, ruleSet{layer: govern.LayerEnterprise, source: p.Name, allow: sc.Allow, ask: sc.Ask, deny: sc.Deny})
			sets = appendConditional(sets, p.Name, sc.Conditions)
		}
	}
	sets = appendConditional(sets, p.Name, p.Conditions)
	for _, l := range req.Layers {
		sets = append(sets, ruleSet{layer: l.Name, source: l.Source,
			allow: e.compileLower(l.Allow), ask: e.compileLower(l.Ask), deny: e.compileLower(l.Deny)})
	}
	return sets
}

func appendConditional(sets []ruleSet, source string, conds []policy.Conditional) []ruleSet {
	for i := range conds {
		c := &conds[i]
		sets = append(sets, ruleSet{layer: govern.LayerEnterprise, source: source, allow: c.Allow, ask: c.Ask, deny: c.Deny, cond: c})
	}
	return sets
}

// maxLowerRules bounds the compiled lower-layer rules an engine keeps.
const maxLowerRules = 8192

// compileLower compiles a lower layer's rules, once per rule text. Rules
// that do not parse are skipped, as Claude Code skips them.
func (e *Engine) compileLower(texts []string) []policy.Entry {
	if len(texts) == 0 {
		return nil
	}
	out := make([]policy.Entry, 0, len(texts))
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.lower) > maxLowerRules { // developers' rules are many and varied: stay bounded
		clear(e.lower)
	}
	for _, t := range texts {
		r, seen := e.lower[t]
		if !seen {
			r, _ = rule.Parse(t)
			e.lower[t] = r
		}
		if r != nil {
			out = append(out, policy.Entry{Rule: r})
		}
	}
	return out
}

// hit is a rule that matched, and what in the request it matched.
type hit struct {
	layer, source string
	rule          string // the deciding rule; for a compound allow, every rule that allowed a part
	what          string
	rules         int                 // how many rules rule names
	cond          *policy.Conditional // the conditional rule that decided, if any
	validate      bool                // an allow that must still pass persona review (require_validation)
}

func (h hit) decision(o govern.Outcome) govern.Decision {
	var verb string
	switch o {
	case govern.Deny:
		verb = " is denied by "
	case govern.Ask:
		verb = " needs approval under "
	default:
		verb = " is allowed by "
	}
	noun := " rule "
	if h.rules > 1 {
		noun = " rules "
	}
	d := govern.Decision{Outcome: o, Layer: h.layer, Rule: h.rule,
		Reason: h.what + verb + h.layer + noun + h.rule}
	switch {
	case o == govern.Deny && h.layer == govern.LayerEnterprise:
		d.Recommendations = []string{"If the task really needs this, ask your administrator to review enterprise rule " + h.rule + "; do not work around it."}
	case o == govern.Deny:
		d.Recommendations = []string{"The rule comes from " + h.source + "; change it there if it no longer applies."}
	}
	return d
}

// firstMatch returns the first deny (or ask) rule, across sets in order,
// that matches s.
func firstMatch(sets []ruleSet, s *subject, k kind) (hit, bool) {
	for i := range sets {
		for _, e := range sets[i].list(k) {
			if what, ok := matchStrict(e.Rule, s); ok && s.holds(sets[i].cond) {
				return hit{layer: sets[i].layer, source: sets[i].source, rule: e.Rule.Text, what: what, cond: sets[i].cond}, true
			}
		}
	}
	return hit{}, false
}

// matchStrict matches a deny or ask rule: on shell text, against every
// command the line runs and every file it writes, by what the command does.
func matchStrict(r *rule.Rule, s *subject) (string, bool) {
	if isShell(s.tool) {
		if r.WritesPaths() {
			for _, w := range s.writes {
				if r.MatchPath(w, s.base, true) {
					return "writing " + w, true
				}
			}
			return "", false
		}
		if !r.AppliesTo(s.tool) {
			return "", false
		}
		if r.Bare() {
			return "any " + s.tool + " command", true
		}
		if r.Kind == rule.Param {
			return matchValue(r, s)
		}
		if s.analysis == nil {
			return "", false
		}
		for i := range s.analysis.Commands {
			if c := &s.analysis.Commands[i]; r.MatchCommand(c) {
				return commandWhat(c.Text, c.Via), true
			}
		}
		if r.MatchLine(s.line) {
			return commandWhat(s.line, ""), true
		}
		return "", false
	}
	if !r.AppliesTo(s.tool) && !(r.Kind == rule.Path && rule.IsReadTool(r.Tool) && rule.IsWriteTool(s.tool)) {
		return "", false // a Read deny also covers writing there
	}
	return matchTool(r, s, true)
}

// matchTool matches a rule that applies to a non-shell tool.
func matchTool(r *rule.Rule, s *subject, strict bool) (string, bool) {
	switch {
	case r.Bare():
		return s.tool + " calls", true
	case r.Kind == rule.Path:
		if s.path != "" && r.MatchPath(s.path, s.base, strict) {
			return verbOf(s.tool) + " " + s.path, true
		}
	case r.Kind == rule.Domain:
		if s.host != "" && r.MatchDomain(s.host) {
			return "fetching from " + s.host, true
		}
	case r.Kind == rule.Param || r.Kind == rule.Other:
		return matchValue(r, s)
	}
	return "", false
}

func matchValue(r *rule.Rule, s *subject) (string, bool) {
	if r.MatchValue(s.in.Scalar) {
		v, _ := s.in.Scalar(r.Field())
		return s.tool + " with " + r.Field() + "=" + v, true
	}
	return "", false
}

// allowed reports whether the enterprise allows s: a shell line only when
// every command in it, and every file it writes, is allowed on its own.
func allowed(sets []ruleSet, s *subject) (hit, bool) {
	enterprise := sets
	for i := range sets {
		if sets[i].layer != govern.LayerEnterprise {
			enterprise = sets[:i]
			break
		}
	}
	if !isShell(s.tool) {
		for i := range enterprise {
			for _, e := range enterprise[i].allow {
				if !e.Rule.AllowsTool(s.tool) {
					continue
				}
				if what, ok := matchTool(e.Rule, s, false); ok && s.holds(enterprise[i].cond) {
					c := enterprise[i].cond
					return hit{layer: govern.LayerEnterprise, rule: e.Rule.Text, what: what, cond: c, validate: c != nil && c.RequireValidation}, true
				}
			}
		}
		return hit{}, false
	}
	if s.analysis == nil || s.dynWrite != "" {
		return hit{}, false
	}
	// A variable set on its own line is in the environment of the commands
	// after it when it is already exported, as PATH always is
	// (PATH=./bin:$PATH; npm run build), or is exported later.
	if !safeEnv(s.analysis.Assigns) {
		return hit{}, false
	}
	var rules []string
	n, validate := 0, false
	for i := range s.analysis.Commands {
		c := &s.analysis.Commands[i]
		if !safeEnv(c.Env) { // before a transparent wrapper too: GIT_PAGER=… timeout 5 git log
			return hit{}, false
		}
		if c.Transparent {
			continue
		}
		if c.Dynamic {
			return hit{}, false
		}
		r, v, ok := allowRule(enterprise, s, func(r *rule.Rule) bool { return r.AppliesTo(s.tool) && r.MatchText(c.Text) })
		if !ok {
			return hit{}, false
		}
		rules = appendNew(rules, r)
		validate = validate || v
		n++
	}
	for _, w := range s.writes {
		r, v, ok := allowRule(enterprise, s, func(r *rule.Rule) bool { return r.WritesPaths() && r.MatchPath(w, s.base, false) })
		if !ok {
			return hit{}, false
		}
		rules = appendNew(rules, r)
		validate = validate || v
	}
	if n == 0 {
		return hit{}, false
	}
	what := commandWhat(s.line, "")
	if n > 1 {
		what = "every command of " + what[len("command "):]
	}
	return hit{layer: govern.LayerEnterprise, rule: strings.Join(rules, ", "), what: what, rules: len(rules), validate: validate}, true
}

// safeVars are the environment variables that may stand before an allowed
// command, as Claude Code strips known-safe variables before it matches
// allow rules: locale, terminal and output settings. Any other assignment
// can change what the command runs (GIT_PAGER, GIT_SSH_COMMAND, EDITOR,
// LD_PRELOAD, BASH_ENV, GOFLAGS=-toolexec=…), so a command behind one is
// not what the allow rule allowed.
var safeVars = map[string]bool{
	"LANG": true, "LANGUAGE": true, "LC_ALL": true, "TZ": true, "TERM": true, "NO_COLOR": true,
	"FORCE_COLOR": true, "CLICOLOR": true, "CLICOLOR_FORCE": true, "COLORTERM": true, "COLUMNS": true,
	"LINES": true, "LS_COLORS": true, "GREP_COLORS": true, "CI": true, "NODE_ENV": true,
	"RUST_BACKTRACE": true, "RUST_LOG": true, "PYTHONUNBUFFERED": true, "PYTHONDONTWRITEBYTECODE": true,
	"GIT_TERMINAL_PROMPT": true, "GOOS": true, "GOARCH": true, "CGO_ENABLED": true, "GO111MODULE": true,
	"GOEXPERIMENT": true,
}

// safeEnv reports whether every assignment in env is to a safe variable.
func safeEnv(env []string) bool {
	for _, a := range env {
		name, _, _ := shell.SplitAssign(a)
		if !safeVars[name] && !strings.HasPrefix(name, "LC_") {
			return false
		}
	}
	return true
}

// allowRule finds the allow rule that lets one part of a call through, and
// whether it asks for persona review.
func allowRule(sets []ruleSet, s *subject, match func(*rule.Rule) bool) (string, bool, bool) {
	for i := range sets {
		for _, e := range sets[i].allow {
			if match(e.Rule) && s.holds(sets[i].cond) {
				c := sets[i].cond
				return e.Rule.Text, c != nil && c.RequireValidation, true
			}
		}
	}
	return "", false, false
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// conflicts lists the lower-layer allow rules that would let s through,
// which the enterprise overrode.
func (e *Engine) conflicts(sets []ruleSet, s *subject) []string {
	var out []string
	for i := range sets {
		set := &sets[i]
		if set.layer == govern.LayerEnterprise {
			continue
		}
		for _, en := range set.allow {
			if lowerAllows(en.Rule, s) {
				out = append(out, set.layer+" settings ("+set.source+") allow "+en.Rule.Text+", which the enterprise denies")
			}
		}
	}
	return out
}

func lowerAllows(r *rule.Rule, s *subject) bool {
	if isShell(s.tool) {
		if !r.AppliesTo(s.tool) || s.analysis == nil {
			return false
		}
		for i := range s.analysis.Commands {
			if r.MatchText(s.analysis.Commands[i].Text) {
				return true
			}
		}
		return false
	}
	if !r.AllowsTool(s.tool) {
		return false
	}
	_, ok := matchTool(r, s, false)
	return ok
}

// commandWhat names a command in a reason.
func commandWhat(text, via string) string {
	text = clip.Bytes(text, 200)
	if via != "" {
		return "command `" + text + "` (run via " + via + ")"
	}
	return "command `" + text + "`"
}

func verbOf(tool string) string {
	switch {
	case rule.IsWriteTool(tool):
		return "writing"
	case tool == "Read":
		return "reading"
	}
	return tool + " on"
}
