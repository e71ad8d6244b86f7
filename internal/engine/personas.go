package engine

import (
	"strings"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/persona"
	"github.com/govern-dev/govern/internal/policy"
	"github.com/govern-dev/govern/internal/rule"
)

// newPanel builds the persona panel the policy configures: the built-ins,
// the policy's changes and custom personas, and its consensus strategy.
func newPanel(p *policy.Policy) (*persona.Panel, bool, error) {
	cfg, err := persona.ParseConfig(p.File.Personas)
	if err != nil {
		return nil, false, err
	}
	strategy := persona.Strategy(p.File.Consensus.Strategy)
	if strategy == "" {
		strategy = persona.Unanimous
	}
	panel, err := persona.NewPanel(cfg, strategy)
	if err != nil {
		return nil, false, err
	}
	binding := p.File.Consensus.Required == nil || *p.File.Consensus.Required
	return panel, binding, nil
}

// review puts the call before the personas (seed §Step 4) when the rules
// left it open: no opinion, a question, or an allow that asks for
// validation. Their consensus can only tighten the decision; when it
// approves, their advice rides along. With consensus.required false the
// verdicts are advice only.
func (e *Engine) review(s *subject, d govern.Decision, validate bool) govern.Decision {
	if e.panel == nil || d.Outcome == govern.Deny || d.Outcome == govern.Allow && !validate {
		return d
	}
	r := e.panel.Review(s.call())
	d.Personas = r.Verdicts
	if !e.binding || !r.Outcome.Stricter(d.Outcome) || r.Outcome == govern.Allow {
		d.Recommendations = appendAll(d.Recommendations, r.Recommendations)
		return d
	}
	deciders := make([]string, 0, len(r.Verdicts))
	for _, v := range r.Verdicts {
		if v.Outcome == r.Outcome {
			deciders = append(deciders, v.Persona)
		}
	}
	return govern.Decision{
		Outcome: r.Outcome, Risk: r.Risk, Layer: govern.LayerPersonas, Rule: "consensus(" + string(e.panel.Strategy()) + "): " + strings.Join(deciders, ", "),
		Reason: r.Reason, Recommendations: r.Recommendations, Personas: r.Verdicts,
	}
}

// call is the subject as the personas see it, built once.
func (s *subject) call() *persona.Call {
	if s.pcall != nil {
		return s.pcall
	}
	c := &persona.Call{Tool: s.tool, Command: s.line, Shell: s.analysis, Path: s.path, Host: s.host,
		Root: s.base.Root, Home: s.base.Home, Cwd: s.cwd, Writes: s.writes}
	if rule.IsWriteTool(s.tool) && s.path != "" {
		c.Writes = []string{s.path}
	}
	if s.analysis == nil {
		c.Content, _ = s.written()
	}
	s.pcall = c
	return c
}

func appendAll(list, more []string) []string {
	for _, m := range more {
		list = appendNew(list, m)
	}
	return list
}
