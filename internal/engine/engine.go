package engine

import (
	"context"
	"sync"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/persona"
	"github.com/govern-dev/govern/internal/policy"
	"github.com/govern-dev/govern/internal/rule"
)

// Engine decides requests under one compiled policy. It is safe for
// concurrent use.
type Engine struct {
	policy    *policy.Policy
	protected []*rule.Rule // paths the agent may never write: its own governance

	cache   *cache         // nil when disabled
	panel   *persona.Panel // the personas calls are put before
	binding bool           // their consensus decides; false: advice only
	core    bool           // rules only: no persona review, no security scan (withoutReview)

	mu    sync.Mutex
	lower map[string]*rule.Rule // lower-layer rules, compiled once; nil for rules that do not parse
}

// Option configures an Engine.
type Option func(*Engine)

// WithoutCache turns the decision cache off: every call is decided afresh.
func WithoutCache() Option { return func(e *Engine) { e.cache = nil } }

// withoutReview leaves out the persona review and the security scan, so
// that a benchmark can measure the core that they add to.
func withoutReview() Option { return func(e *Engine) { e.core = true } }

// New compiles what the engine needs from p.
func New(p *policy.Policy, opts ...Option) (*Engine, error) {
	e := &Engine{policy: p, lower: map[string]*rule.Rule{}, cache: newCache()}
	for _, o := range opts {
		o(e)
	}
	prot, err := protectedRules(p)
	if err != nil {
		return nil, err
	}
	e.protected = prot
	if e.panel, e.binding, err = newPanel(p); err != nil {
		return nil, err
	}
	return e, nil
}

// Policy returns the policy the engine decides under.
func (e *Engine) Policy() *policy.Policy { return e.policy }

// Decide returns the enterprise's explained answer to req. It never fails:
// a request it cannot understand is denied, with the reason. The slices of
// the decision may be shared with the decision cache: read, do not modify.
func (e *Engine) Decide(ctx context.Context, req *govern.Request) govern.Decision {
	d := e.decide(req)
	d.PolicyRevision = e.policy.Revision
	if d.Risk == "" {
		d.Risk = riskOf(d.Outcome)
	}
	return d
}

func (e *Engine) decide(req *govern.Request) govern.Decision {
	if req.Event == "UserPromptSubmit" {
		return promptDecision(req.Prompt)
	}
	if d, ok := e.bypassGuard(req); ok {
		return d
	}
	if d, ok := e.sessionGuard(req); ok {
		return d
	}
	var key string
	if e.cache != nil {
		key = cacheKey(e.policy.Revision, req)
		if d, ok := e.cache.get(key); ok {
			return d
		}
	}
	d, cacheable := e.decideFresh(req)
	if e.cache != nil && cacheable {
		e.cache.put(key, d)
	}
	return d
}

// decideFresh decides what the guards in front of the cache let through,
// and says whether the decision may be cached: not when a condition was
// evaluated, since conditions read the clock and the session, which the
// cache key leaves out.
func (e *Engine) decideFresh(req *govern.Request) (govern.Decision, bool) {
	s, bad := normalize(req)
	if bad != "" {
		return govern.Decision{
			Outcome: govern.Deny, Layer: govern.LayerEngine, Risk: govern.RiskHigh,
			Reason:          bad + "; govern does not let through what it cannot analyze",
			Recommendations: []string{"Rewrite the call in plain, literal form (no unbalanced quotes or exotic syntax) and try again."},
		}, true
	}
	d := e.judge(req, s)
	s.describe(&d)
	return d, len(s.conds) == 0
}

// judge runs the guards and the rules on a normalized request.
func (e *Engine) judge(req *govern.Request, s *subject) govern.Decision {
	if d, ok := e.protectedGuard(s); ok {
		return d
	}
	sets := e.ruleSets(req)
	if h, ok := firstMatch(sets, s, deny); ok {
		d := h.decision(govern.Deny)
		if h.layer == govern.LayerEnterprise {
			d.Conflicts = e.conflicts(sets, s)
		}
		return d
	}
	d, validate := e.lenient(sets, s)
	if !e.core {
		d = scan(s, e.review(s, d, validate))
	}
	if s.condErr != nil { // what was decided may hang on the condition that failed
		return govern.Decision{
			Outcome: govern.Deny, Layer: govern.LayerEngine, Risk: govern.RiskHigh, Rule: "conditionalRules",
			Reason:          "a conditional rule could not be evaluated (" + s.condErr.Error() + "); govern does not decide without it",
			Recommendations: []string{"Ask your administrator to fix the condition; `govern policy validate` shows where it is."},
		}
	}
	return d
}

// lenient decides what no deny rule stopped: code only known at run time,
// then ask rules, then allow rules. It also says whether an allow still
// needs persona review (require_validation).
func (e *Engine) lenient(sets []ruleSet, s *subject) (govern.Decision, bool) {
	if d, ok := dynamicGuard(s); ok {
		return d, false
	}
	if h, ok := firstMatch(sets, s, ask); ok {
		return h.decision(govern.Ask), false
	}
	if h, ok := allowed(sets, s); ok {
		return h.decision(govern.Allow), h.validate
	}
	return govern.Decision{Outcome: govern.None, Reason: "no enterprise rule applies"}, false
}

// riskOf is the default risk of an outcome.
func riskOf(o govern.Outcome) govern.Risk {
	switch o {
	case govern.Deny:
		return govern.RiskHigh
	case govern.Ask:
		return govern.RiskMedium
	}
	return govern.RiskLow
}
