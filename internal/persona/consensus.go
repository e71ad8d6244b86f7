package persona

import (
	"fmt"
	"slices"
	"strings"

	"github.com/govern-dev/govern"
)

// Strategy is how a Panel combines its personas' verdicts (the policy's
// "consensus" setting).
type Strategy string

const (
	// Unanimous: any deny denies, any ask asks; all must approve. The
	// default.
	Unanimous Strategy = "unanimous"
	// Majority: the outcome most personas gave; a tie goes to the stricter
	// outcome.
	Majority Strategy = "majority"
	// SecurityVeto: a security persona's deny or ask stands alone (Marcus
	// Rodriguez, and any custom persona whose role is "security");
	// otherwise the majority decides.
	SecurityVeto Strategy = "security-veto"
)

// Panel is the set of personas a policy consults, compiled once, and how
// their verdicts are combined. It is safe for concurrent use.
type Panel struct {
	personas []*Persona
	strategy Strategy
}

// NewPanel builds the panel a policy describes: the built-in personas as
// cfg changes them, then cfg's custom personas in policy order. An empty
// strategy means Unanimous.
func NewPanel(cfg Config, strategy Strategy) (*Panel, error) {
	switch strategy {
	case "":
		strategy = Unanimous
	case Unanimous, Majority, SecurityVeto:
	default:
		return nil, fmt.Errorf("unknown consensus strategy %q (want unanimous, majority or security-veto)", strategy)
	}
	ps, err := cfg.compile()
	if err != nil {
		return nil, err
	}
	return &Panel{personas: ps, strategy: strategy}, nil
}

// Strategy returns how the panel combines verdicts.
func (p *Panel) Strategy() Strategy { return p.strategy }

// Personas returns the panel's personas, in consultation order, disabled
// ones included. The caller must not change them.
func (p *Panel) Personas() []*Persona { return p.personas }

// Review consults the personas c concerns and combines their verdicts.
func (p *Panel) Review(c *Call) Review {
	var who [16]*Persona
	consulted := who[:0]
	for _, ps := range p.personas {
		if ps.Consulted(c) {
			consulted = append(consulted, ps)
		}
	}
	r := Review{Outcome: govern.Allow, Risk: govern.RiskLow}
	if len(consulted) == 0 {
		return r
	}
	r.Verdicts = make([]govern.Verdict, len(consulted))
	for i, ps := range consulted {
		v := ps.Check(c)
		v.Persona = ps.ID
		if v.Outcome != govern.Deny && v.Outcome != govern.Ask {
			v.Outcome = govern.Allow
		}
		if v.Risk == "" {
			v.Risk = govern.RiskLow
		}
		r.Verdicts[i] = v
		if riskRank(v.Risk) > riskRank(r.Risk) {
			r.Risk = v.Risk
		}
		for _, rec := range v.Recommendations {
			if !slices.Contains(r.Recommendations, rec) {
				r.Recommendations = append(r.Recommendations, rec)
			}
		}
	}
	var deciding func(i int) bool
	r.Outcome, deciding = p.combine(consulted, r.Verdicts)
	if r.Outcome != govern.Allow {
		r.Reason = reason(consulted, r.Verdicts, deciding)
	}
	return r
}

// combine applies the strategy; deciding reports which verdicts decided.
func (p *Panel) combine(ps []*Persona, vs []govern.Verdict) (govern.Outcome, func(int) bool) {
	if p.strategy == SecurityVeto {
		veto := govern.Allow
		for i := range vs {
			if ps[i].Role == "security" && vs[i].Outcome.Stricter(veto) {
				veto = vs[i].Outcome
			}
		}
		if veto != govern.Allow {
			return veto, func(i int) bool { return ps[i].Role == "security" && vs[i].Outcome == veto }
		}
	}
	out := govern.Allow
	if p.strategy == Unanimous {
		for i := range vs {
			if vs[i].Outcome.Stricter(out) {
				out = vs[i].Outcome
			}
		}
	} else {
		// The outcome most personas gave; ties go to the stricter. A
		// verdict that is neither ask nor deny counts as allow.
		most := -1
		for _, o := range [...]govern.Outcome{govern.Allow, govern.Ask, govern.Deny} {
			n := 0
			for i := range vs {
				if vs[i].Outcome == o || o == govern.Allow && !vs[i].Outcome.Stricter(govern.Allow) {
					n++
				}
			}
			if n >= most {
				out, most = o, n
			}
		}
	}
	return out, func(i int) bool { return vs[i].Outcome == out }
}

// reason joins the deciding verdicts' reasons: "Marcus Rodriguez
// (security): …; Rachel Torres (data): …".
func reason(ps []*Persona, vs []govern.Verdict, deciding func(int) bool) string {
	var b strings.Builder
	for i := range vs {
		if !deciding(i) {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(ps[i].Name)
		if ps[i].Role != "" {
			b.WriteString(" (" + ps[i].Role + ")")
		}
		b.WriteString(": ")
		if len(vs[i].Reasons) == 0 {
			b.WriteString(string(vs[i].Outcome))
			continue
		}
		b.WriteString(strings.Join(vs[i].Reasons, "; "))
	}
	return b.String()
}
