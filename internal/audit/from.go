package audit

import (
	"encoding/json"
	"time"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/secret"
)

// FromEvent is the record of a hook event that is not a decision: who, when,
// which session and tool, under which policy revision. The caller adds
// what the event did (Input, Result); the store seals it.
func FromEvent(req *govern.Request, policyRevision string) *govern.AuditRecord {
	r := &govern.AuditRecord{
		Time:           req.Time,
		Event:          req.Event,
		Session:        req.SessionID,
		User:           req.Actor.User,
		Team:           req.Actor.Team,
		Host:           req.Actor.Host,
		Tool:           req.ToolName,
		PolicyRevision: policyRevision,
	}
	if r.Time.IsZero() {
		r.Time = time.Now()
	}
	return r
}

// FromDecision is the record of one decision: who asked for what, what was
// decided and why, and how long deciding took. The store seals it.
func FromDecision(req *govern.Request, d *govern.Decision, latency time.Duration) *govern.AuditRecord {
	r := FromEvent(req, d.PolicyRevision)
	r.Input = Input(req.ToolInput)
	r.Outcome, r.Reason, r.Risk, r.Rule, r.Layer = d.Outcome, masked(d.Reason), d.Risk, d.Rule, d.Layer
	r.Recommendations = maskedAll(d.Recommendations)
	r.LatencyUS = latency.Microseconds()
	if req.Prompt != "" && len(req.ToolInput) == 0 {
		if raw, err := json.Marshal(map[string]string{"prompt": req.Prompt}); err == nil {
			r.Input = Input(raw) // masked like any other input
		}
	}
	for _, v := range d.Personas {
		r.Personas = append(r.Personas, v.Persona+":"+string(v.Outcome))
	}
	return r
}

// masked hides credentials in text the engine wrote, which quotes commands.
func masked(s string) string {
	m, _ := secret.Mask(s)
	return m
}

func maskedAll(list []string) []string {
	if len(list) == 0 {
		return nil
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = masked(s)
	}
	return out
}
