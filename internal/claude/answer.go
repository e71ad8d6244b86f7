package claude

import (
	"encoding/json"
	"strings"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/clip"
)

// MaxContext is Claude Code's limit on additionalContext and reason texts;
// longer text is moved to a file and replaced by a preview.
const MaxContext = 10000

type preToolUseOutput struct {
	HookEventName            string `json:"hookEventName"`
	PermissionDecision       string `json:"permissionDecision"`
	PermissionDecisionReason string `json:"permissionDecisionReason,omitempty"`
	AdditionalContext        string `json:"additionalContext,omitempty"`
}

// PreToolUseAnswer renders a decision as a PreToolUse hook answer: one JSON
// object for allow, ask and deny, and nil for no opinion (Claude Code's own
// permission flow goes on).
func PreToolUseAnswer(d *govern.Decision) []byte {
	if d.Outcome == govern.None || d.Outcome == "" {
		return nil
	}
	out := struct {
		HookSpecificOutput preToolUseOutput `json:"hookSpecificOutput"`
	}{preToolUseOutput{
		HookEventName:            "PreToolUse",
		PermissionDecision:       string(d.Outcome),
		PermissionDecisionReason: clip.Bytes(Explain(d), MaxContext),
		AdditionalContext:        clip.Bytes(advice(d), MaxContext),
	}}
	b, err := json.Marshal(out)
	if err != nil { // strings and constants only: cannot happen
		panic(err)
	}
	return append(b, '\n')
}

// ContextAnswer renders text as the additionalContext of an event that
// takes one (UserPromptSubmit, SessionStart, PostToolUse, …), clipped to
// MaxContext; nil when text is empty.
func ContextAnswer(event, text string) []byte {
	if text == "" {
		return nil
	}
	type output struct {
		HookEventName     string `json:"hookEventName"`
		AdditionalContext string `json:"additionalContext"`
	}
	b, err := json.Marshal(struct {
		HookSpecificOutput output `json:"hookSpecificOutput"`
	}{output{event, clip.Bytes(text, MaxContext)}})
	if err != nil { // strings only: cannot happen
		panic(err)
	}
	return append(b, '\n')
}

// Explain is the text a developer reads: for a block, the seed's
// "ENTERPRISE POLICY VIOLATION: <reason>" and its recommendations, one per
// line.
func Explain(d *govern.Decision) string {
	var b strings.Builder
	switch d.Outcome {
	case govern.Deny:
		b.WriteString("ENTERPRISE POLICY VIOLATION: ")
	case govern.Ask:
		b.WriteString("ENTERPRISE POLICY: approval required: ")
	}
	b.WriteString(d.Reason)
	if len(d.Recommendations) > 0 && d.Outcome != govern.Allow {
		b.WriteString("\nRecommendations:")
		for _, r := range d.Recommendations {
			b.WriteString("\n- ")
			b.WriteString(r)
		}
	}
	return b.String()
}

// advice is what an allowed call carries to Claude: the personas'
// recommendations, so the agent learns the house rules as it works.
func advice(d *govern.Decision) string {
	if d.Outcome != govern.Allow || len(d.Recommendations) == 0 {
		return ""
	}
	return "Governance recommendations: " + strings.Join(d.Recommendations, "; ")
}
