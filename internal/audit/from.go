package audit

import (
	"encoding/json"
	"time"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/secret"
)

// FromDecision is the record of one decision: who asked for what, what was
// decided and why, and how long deciding took. The store seals it.
func FromDecision(req *govern.Request, d *govern.Decision, latency time.Duration) *govern.AuditRecord {
	r := &govern.AuditRecord{
		Time:            req.Time,
		Event:           req.Event,
		Session:         req.SessionID,
		User:            req.Actor.User,
		Team:            req.Actor.Team,
		Host:            req.Actor.Host,
		Tool:            req.ToolName,
		Input:           Input(req.ToolInput),
		Outcome:         d.Outcome,
		Reason:          masked(d.Reason),
		Risk:            d.Risk,
		Rule:            d.Rule,
		Layer:           d.Layer,
		Recommendations: maskedAll(d.Recommendations),
		PolicyRevision:  d.PolicyRevision,
		LatencyUS:       latency.Microseconds(),
	}
	if req.Prompt != "" && len(req.ToolInput) == 0 {
		if raw, err := json.Marshal(map[string]string{"prompt": req.Prompt}); err == nil {
			r.Input = Input(raw) // masked like any other input
		}
	}
	for _, v := range d.Personas {
		r.Personas = append(r.Personas, v.Persona+":"+string(v.Outcome))
	}
	if r.Time.IsZero() {
		r.Time = time.Now()
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
