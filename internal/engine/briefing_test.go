package engine

import (
	"fmt"
	"strings"
	"testing"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/policy"
)

func briefingPolicy(t *testing.T, src string) *policy.Policy {
	t.Helper()
	p, err := policy.Parse("policy.json", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBriefing(t *testing.T) {
	var many []string
	for i := range 30 {
		many = append(many, fmt.Sprintf(`"Bash(tool%d *)"`, i))
	}
	p := briefingPolicy(t, `{"organization": "Acme", "permissions": {"denyList": [`+strings.Join(many, ",")+`, "Bash(tool0 *)"]},
		"teams": {"ops": {"members": ["olga"], "permissions": {"askList": ["Bash(kubectl apply:*)"]}, "enforcement": "warn"}},
		"scopes": [{"name": "contractors", "users": ["carl"], "permissions": {"denyList": ["WebFetch"]}}],
		"protectedPaths": ["//opt/gov/**"], "settings": {"maxConcurrentSessions": 2}}`)

	got := Briefing(p, govern.Actor{User: "dev"})
	for _, want := range []string{
		"Enterprise governance: Acme's policy is in enforce mode: govern checks every tool call",
		"Denied: Bash(tool0 *), Bash(tool1 *),",
		"Bash(tool19 *) (and 10 more).\n",
		"Never written by the agent: Claude Code's and govern's settings and the policy itself, //opt/gov/**.\n",
		"Session limits: at most 2 sessions open per user.\n",
		"do not retry it in another form or work around the policy",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("briefing lacks %q:\n%s", want, got)
		}
	}
	for _, absent := range []string{"Bash(tool20 *)", "kubectl", "WebFetch", "Needs the user's approval"} {
		if strings.Contains(got, absent) {
			t.Errorf("briefing for dev holds %q:\n%s", absent, got)
		}
	}

	// A team's own rules and rollout mode; a scope's rules for its users.
	ops := Briefing(p, govern.Actor{User: "olga", Team: "ops"})
	for _, want := range []string{"is in warn mode for team ops: calls it would deny run with a warning", "Needs the user's approval: Bash(kubectl apply:*)."} {
		if !strings.Contains(ops, want) {
			t.Errorf("briefing for ops lacks %q:\n%s", want, ops)
		}
	}
	if carl := Briefing(p, govern.Actor{User: "carl"}); !strings.Contains(carl, "(and 11 more)") {
		t.Errorf("briefing for carl does not count the scope's WebFetch deny:\n%s", carl)
	}
}

func TestBriefingIsBounded(t *testing.T) {
	long := strings.Repeat("x", 200)
	var many []string
	for i := range 25 {
		many = append(many, fmt.Sprintf(`"Bash(%s%d *)"`, long, i))
	}
	p := briefingPolicy(t, `{"permissions": {"denyList": [`+strings.Join(many, ",")+`], "askList": [`+strings.Join(many, ",")+`]}}`)
	got := Briefing(p, govern.Actor{User: "dev"})
	if len(got) > MaxBriefing || !strings.HasSuffix(got, "…") {
		t.Errorf("briefing of %d bytes, ending %q; want at most %d, clipped with …", len(got), got[len(got)-10:], MaxBriefing)
	}
}
