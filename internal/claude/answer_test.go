package claude

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/govern-dev/govern"
)

func TestPreToolUseAnswer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		d    govern.Decision
		want string
	}{
		{"none prints nothing", govern.Decision{Outcome: govern.None}, ""},
		{"deny", govern.Decision{Outcome: govern.Deny, Reason: "command `rm -rf x` is denied by enterprise rule Bash(*rm -rf*)",
			Recommendations: []string{"Delete specific files instead."}},
			`{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"ENTERPRISE POLICY VIOLATION: command ` + "`rm -rf x`" + ` is denied by enterprise rule Bash(*rm -rf*)\nRecommendations:\n- Delete specific files instead."}}` + "\n"},
		{"allow", govern.Decision{Outcome: govern.Allow, Reason: "allowed by enterprise rule Bash(git status)"},
			`{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow","permissionDecisionReason":"allowed by enterprise rule Bash(git status)"}}` + "\n"},
		{"allow with advice", govern.Decision{Outcome: govern.Allow, Reason: "allowed", Recommendations: []string{"Pin the version.", "Run the tests."}},
			`{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow","permissionDecisionReason":"allowed","additionalContext":"Governance recommendations: Pin the version.; Run the tests."}}` + "\n"},
		{"ask", govern.Decision{Outcome: govern.Ask, Reason: "dynamic"},
			`{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"ask","permissionDecisionReason":"ENTERPRISE POLICY: approval required: dynamic"}}` + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := string(PreToolUseAnswer(&tc.d)); got != tc.want {
				t.Errorf("answer =\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestPreToolUseAnswerClipsLongReasons(t *testing.T) {
	t.Parallel()
	d := govern.Decision{Outcome: govern.Deny, Reason: strings.Repeat("é", MaxContext)}
	var out struct {
		HookSpecificOutput struct {
			PermissionDecisionReason string `json:"permissionDecisionReason"`
		} `json:"hookSpecificOutput"`
	}
	if err := json.Unmarshal(PreToolUseAnswer(&d), &out); err != nil {
		t.Fatal(err)
	}
	r := out.HookSpecificOutput.PermissionDecisionReason
	if len(r) > MaxContext || !strings.HasSuffix(r, "…") || strings.ContainsRune(r, '\uFFFD') {
		t.Errorf("reason of %d bytes not clipped cleanly: …%q", len(r), r[len(r)-12:])
	}
}
