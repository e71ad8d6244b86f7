package persona

import (
	"errors"
	"fmt"
	"slices"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/rule"
)

// customRule is one compiled RuleSpec.
type customRule struct {
	rule    *rule.Rule
	outcome govern.Outcome
	risk    govern.Risk
	reason  string
	rec     string
}

// compile checks and compiles a rule; errors start with the field path
// (".verdict: …").
func (rs *RuleSpec) compile() (customRule, error) {
	var cr customRule
	if rs.Match == "" {
		return cr, errors.New(".match: required")
	}
	r, err := rule.Parse(rs.Match)
	if err != nil {
		return cr, fmt.Errorf(".match: %v", err)
	}
	cr.rule = r
	switch rs.Verdict {
	case "approve":
		cr.outcome, cr.risk = govern.Allow, govern.RiskLow
	case "ask":
		cr.outcome, cr.risk = govern.Ask, govern.RiskMedium
	case "deny":
		cr.outcome, cr.risk = govern.Deny, govern.RiskHigh
	default:
		return cr, fmt.Errorf(".verdict: want \"approve\", \"ask\" or \"deny\", not %q", rs.Verdict)
	}
	switch govern.Risk(rs.Risk) {
	case "":
	case govern.RiskLow, govern.RiskMedium, govern.RiskHigh, govern.RiskCritical:
		cr.risk = govern.Risk(rs.Risk)
	default:
		return cr, fmt.Errorf(".risk: want low, medium, high or critical, not %q", rs.Risk)
	}
	if rs.Reason == "" && cr.outcome != govern.Allow {
		return cr, errors.New(".reason: required for ask and deny, to tell the developer why")
	}
	cr.reason, cr.rec = rs.Reason, rs.Recommendation
	return cr, nil
}

// matches reports whether the call does what the rule names. Command rules
// match any command of the line by what it does (or the whole line, for
// patterns spanning operators); path rules match the file or any written
// path, at any depth for relative patterns; domain rules the WebFetch host.
func matches(r *rule.Rule, c *Call) bool {
	if !r.AppliesTo(c.Tool) {
		return false
	}
	if r.Bare() {
		return true
	}
	switch r.Kind {
	case rule.Command:
		for i := range c.commands() {
			if r.MatchCommand(&c.Shell.Commands[i]) {
				return true
			}
		}
		return r.MatchLine(c.Command)
	case rule.Path:
		base := rule.Base{Root: c.Root, Home: c.Home}
		if c.Path != "" && r.MatchPath(c.Path, base, true) {
			return true
		}
		return slices.ContainsFunc(c.Writes, func(w string) bool { return r.MatchPath(w, base, true) })
	case rule.Domain:
		return c.Host != "" && r.MatchDomain(c.Host)
	}
	return false
}

// compile builds the personas cfg describes: the built-ins as changed,
// then the custom ones.
func (cfg Config) compile() ([]*Persona, error) {
	ps := Builtins()
	for _, s := range cfg.Personas {
		if err := s.check(); err != nil {
			return nil, fmt.Errorf("personas.%s%w", s.ID, err)
		}
		var p *Persona
		if i := slices.IndexFunc(ps, func(p *Persona) bool { return p.ID == s.ID }); i >= 0 {
			p = ps[i]
		} else {
			p = &Persona{ID: s.ID, Name: s.Name, Role: s.Role, Consult: Auto}
			ps = append(ps, p)
		}
		rules := make([]customRule, len(s.Rules))
		for i := range s.Rules {
			rules[i], _ = s.Rules[i].compile() // checked above
		}
		if s.Enabled != nil && !*s.Enabled {
			p.Consult = Never
		} else if s.Consult.Mode != "" {
			p.Consult = s.Consult.Mode
		}
		switch {
		case len(s.Consult.Tools) > 0 || len(s.Consult.Rules) > 0:
			p.Concerns = scoped(s.Consult)
		case p.Concerns == nil: // a custom persona: when one of its rules matches
			p.Concerns = func(c *Call) bool {
				return slices.ContainsFunc(rules, func(r customRule) bool { return matches(r.rule, c) })
			}
		}
		p.Check = withRules(p.ID, p.Check, rules)
	}
	return ps, nil
}

// scoped is the Concerns of a persona scoped to tools and rules.
func scoped(cs Consult) func(*Call) bool {
	rules := make([]*rule.Rule, 0, len(cs.Rules))
	for _, t := range cs.Rules {
		r, _ := rule.Parse(t) // checked
		rules = append(rules, r)
	}
	tools := make([]*rule.Rule, 0, len(cs.Tools))
	for _, t := range cs.Tools {
		r, _ := rule.Parse(t)
		tools = append(tools, r)
	}
	return func(c *Call) bool {
		for _, t := range tools {
			if t.Tool == c.Tool || t.AppliesTo(c.Tool) {
				return true
			}
		}
		return slices.ContainsFunc(rules, func(r *rule.Rule) bool { return matches(r, c) })
	}
}

// withRules adds rules to a persona's own check (nil for a custom persona).
func withRules(id string, check func(*Call) govern.Verdict, rules []customRule) func(*Call) govern.Verdict {
	if len(rules) == 0 {
		if check == nil {
			return func(*Call) govern.Verdict { return newVerdict(id).Verdict }
		}
		return check
	}
	return func(c *Call) govern.Verdict {
		v := newVerdict(id)
		if check != nil {
			v.Verdict = check(c)
		}
		for i := range rules {
			if r := &rules[i]; matches(r.rule, c) {
				v.flag(r.outcome, r.risk, r.reason, r.rec)
			}
		}
		return v.Verdict
	}
}
