package engine

import (
	"testing"

	"github.com/govern-dev/govern"
)

func TestConditionalRules(t *testing.T) {
	t.Parallel()
	e := engineFor(t, "conditions")
	as := func(user, team, mode string) func(*govern.Request) {
		return func(r *govern.Request) {
			r.Actor = govern.Actor{User: user, Team: team}
			if mode != "" {
				r.PermissionMode = mode
			}
		}
	}
	edit := func(p string) map[string]string {
		return map[string]string{"file_path": p, "old_string": "a", "new_string": "b"}
	}
	for _, tc := range []struct {
		name  string
		tool  string
		input any
		who   func(*govern.Request)
		want  govern.Outcome
		rule  string
	}{
		{"team condition holds", "Bash", bash("terraform plan -out plan.bin"), as("alice", "platform", ""), govern.Allow, "Bash(terraform plan:*)"},
		{"team condition fails", "Bash", bash("terraform plan -out plan.bin"), as("bob", "frontend", ""), govern.None, ""},
		{"plan mode denies edits", "Edit", edit("/home/dev/proj/src/a.go"), as("bob", "", "plan"), govern.Deny, "Edit"},
		{"default mode does not", "Edit", edit("/home/dev/proj/src/a.go"), as("bob", "", "default"), govern.None, ""},
		{"commands list: people ask", "Bash", bash("git status && kubectl get pods"), as("bob", "", ""), govern.Ask, "Bash(kubectl:*)"},
		{"commands list: the bot does not", "Bash", bash("kubectl get pods"), as("ops-bot", "", ""), govern.None, ""},
		{"file_path condition with require_validation", "Edit", edit("/home/dev/proj/src/app.py"), as("bob", "", ""), govern.Allow, "Edit(src/**)"},
		{"a condition is not evaluated when no rule of it matches", "Bash", bash("git status"), as("bob", "", ""), govern.Allow, "Bash(git status)"},
		{"a condition that fails at run time fails closed", "Bash", bash("make deploy ENV=prod"), as("bob", "", ""), govern.Deny, "conditionalRules"},
	} {
		d := decide(t, e, tc.tool, tc.input, tc.who)
		if d.Outcome != tc.want || d.Rule != tc.rule {
			t.Errorf("%s: %s (rule %q): %s; want %s (rule %q)", tc.name, d.Outcome, d.Rule, d.Reason, tc.want, tc.rule)
		}
	}
}

func TestDecisionsThatReadAConditionAreNotCached(t *testing.T) {
	t.Parallel()
	p := engineFor(t, "conditions").Policy()
	e, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	decide(t, e, "Bash", bash("terraform plan"), func(r *govern.Request) { r.Actor.Team = "platform" })
	decide(t, e, "Bash", bash("git status"), nil)
	if len(e.cache.m) != 1 {
		t.Errorf("cache holds %d decisions, want only the one no condition was read for", len(e.cache.m))
	}
}
