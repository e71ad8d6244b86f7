package engine

import (
	"github.com/govern-dev/govern/internal/policy"
)

// holds reports whether a conditional rule's condition holds for the
// subject; plain rules (nil) always hold. Conditions are evaluated only
// when one of their rules already matched, and at most once per request.
// A condition that fails to evaluate does not hold, and the failure is
// kept: the engine denies the call rather than decide without it.
func (s *subject) holds(c *policy.Conditional) bool {
	if c == nil {
		return true
	}
	if v, ok := s.conds[c]; ok {
		return v
	}
	if s.conds == nil {
		s.conds = map[*policy.Conditional]bool{}
	}
	v, err := c.Condition.Eval(s.vars())
	if err != nil && s.condErr == nil {
		s.condErr = err
	}
	s.conds[c] = v && err == nil
	return s.conds[c]
}

// vars are the values a condition can read (policy.Condition documents them).
func (s *subject) vars() map[string]any {
	req := s.req
	v := map[string]any{
		"tool_name":       s.tool,
		"file_path":       s.path,
		"command":         s.line,
		"cwd":             s.cwd,
		"user":            req.Actor.User,
		"team":            req.Actor.Team,
		"session":         req.SessionID,
		"permission_mode": req.PermissionMode,
		"time":            req.Time,
	}
	if s.analysis != nil {
		cmds := make([]string, 0, len(s.analysis.Commands))
		for i := range s.analysis.Commands {
			cmds = append(cmds, s.analysis.Commands[i].Text)
		}
		v["commands"] = cmds
	}
	return v
}
