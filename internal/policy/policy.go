package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"

	"github.com/govern-dev/govern/internal/rule"
)

// Policy is a compiled policy file: every rule parsed, every member set
// built, ready for the engine to evaluate many times.
type Policy struct {
	File     *File
	Name     string // the path it came from
	Revision string // "sha256:" + hex of the file's exact bytes

	// The enterprise rule lists, in file order.
	Allow, Ask, Deny []Entry
	// Conditions are the conditionalRules, in file order.
	Conditions []Conditional

	Teams  map[string]CompiledTeam
	Scopes []CompiledScope

	// Protected are the protectedPaths globs (doublestar syntax), added by the
	// engine to its built-in protected paths.
	Protected []string

	teamOf map[string]string // user → team
}

// Entry is one compiled rule and where it is written.
type Entry struct {
	Rule   *rule.Rule
	Source string // "permissions.denyList[3]"
}

// Conditional is a compiled conditionalRules entry: its rules apply while
// its Condition holds.
type Conditional struct {
	Condition         *Condition
	Description       string
	Allow, Ask, Deny  []Entry
	RequireValidation bool   // the call must also pass persona review
	Source            string // "permissions.conditionalRules[0]"
}

// CompiledTeam is a team's members and rules.
type CompiledTeam struct {
	Name             string
	Members          map[string]bool
	Allow, Ask, Deny []Entry
	Enforcement      string // the team's mode; "" when it has none of its own
}

// CompiledScope is a scope's actors and the rules that apply to them.
type CompiledScope struct {
	Name             string
	Users, Teams     map[string]bool
	Allow, Ask, Deny []Entry
	Conditions       []Conditional
}

// Applies reports whether the scope's rules apply to user in team.
func (s *CompiledScope) Applies(user, team string) bool {
	return user != "" && s.Users[user] || team != "" && s.Teams[team]
}

// Parse compiles a policy file's bytes; name is used in problems and kept
// in Policy.Name. When the file is invalid the error is Problems, every
// problem found. Conditions are checked for syntax and type only on first
// use (see Condition); use Validate to check them too.
func Parse(name string, data []byte) (*Policy, error) {
	p, ps := parse(name, data)
	if ps != nil {
		return nil, ps
	}
	return p, nil
}

// Load reads and parses a policy file. An unreadable file is a plain error;
// an invalid one is Problems.
func Load(path string) (*Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read policy: %w", err)
	}
	return Parse(path, data)
}

// Validate returns every problem in a policy file, conditions compiled and
// type-checked included; nil when the file is valid.
func Validate(name string, data []byte) Problems {
	p, ps := parse(name, data)
	if p == nil {
		return ps
	}
	return sortProblems(append(ps, p.CompileConditions()...))
}

// CompileConditions compiles every condition now instead of on first use
// and returns their problems. A long-running server calls it before it
// swaps in a reloaded policy.
func (p *Policy) CompileConditions() Problems {
	var ps Problems
	for _, c := range p.allConditions() {
		ps = append(ps, c.Compile()...)
	}
	return sortProblems(ps)
}

func (p *Policy) allConditions() []*Condition {
	var cs []*Condition
	for _, c := range p.Conditions {
		cs = append(cs, c.Condition)
	}
	for _, s := range p.Scopes {
		for _, c := range s.Conditions {
			cs = append(cs, c.Condition)
		}
	}
	return cs
}

// Team is the team a call is decided for: override when set (GOVERN_TEAM,
// a test case's team), else the team whose members list user, else "".
func (p *Policy) Team(user, override string) string {
	if override != "" {
		return override
	}
	return p.TeamOf(user)
}

// TeamOf returns the team whose members list user, or "".
func (p *Policy) TeamOf(user string) string {
	return p.teamOf[user]
}

// Enforcement returns the rollout mode for team: the team's own
// enforcement, else enforcement.teams[team], else enforcement.mode, else
// "enforce".
func (p *Policy) Enforcement(team string) string {
	if t, ok := p.Teams[team]; ok && t.Enforcement != "" {
		return t.Enforcement
	}
	if m := p.File.Enforcement.Teams[team]; m != "" {
		return m
	}
	if m := p.File.Enforcement.Mode; m != "" {
		return m
	}
	return "enforce"
}

// revision is the policy revision recorded with every decision.
func revision(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}
