package policy

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestConditionEval(t *testing.T) {
	t.Parallel()
	p, err := Parse("p.json", []byte(`{"permissions": {"conditionalRules": [
  {"condition": "file_path.endsWith('.py')", "allow": ["Bash(python -m pytest *)"]},
  {"condition": "commands.exists(c, c.startsWith('git push')) && time > timestamp('2025-01-01T00:00:00Z')", "deny": ["Bash"]},
  {"condition": "user.lowerAscii() == 'alice' && team == '' && permission_mode != 'plan'", "ask": ["Edit"]}
]}}`))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		cond int
		vars map[string]any
		want bool
	}{
		{0, map[string]any{"file_path": "/repo/src/app.py"}, true},
		{0, map[string]any{"file_path": "/repo/src/app.go"}, false},
		{0, nil, false}, // unset variables are empty
		{1, map[string]any{"commands": []string{"git status", "git push origin main"}, "time": now}, true},
		{1, map[string]any{"commands": []string{"git push"}, "time": time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}, false},
		{1, map[string]any{"time": now}, false},
		{2, map[string]any{"user": "Alice", "permission_mode": "default"}, true},
		{2, map[string]any{"user": "Alice", "permission_mode": "plan"}, false},
	}
	for _, c := range cases {
		got, err := p.Conditions[c.cond].Condition.Eval(c.vars)
		if err != nil || got != c.want {
			t.Errorf("Conditions[%d].Eval(%v) = %v, %v; want %v", c.cond, c.vars, got, err, c.want)
		}
	}
	if ps := p.CompileConditions(); ps != nil {
		t.Errorf("CompileConditions() = %v", ps)
	}
}

func TestConditionEvalWrongType(t *testing.T) {
	t.Parallel()
	p, err := Parse("p.json", []byte(`{"permissions": {"conditionalRules": [{"condition": "file_path.endsWith('x')", "deny": ["Bash"]}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := p.Conditions[0].Condition.Eval(map[string]any{"file_path": 3}); err == nil {
		t.Errorf("Eval(file_path: 3) = %v, nil; want an error", got)
	}
}

// Bad conditions: Parse accepts them (conditions compile lazily), Validate
// and CompileConditions report them at the character CEL names, and Eval
// fails.
func TestBadConditions(t *testing.T) {
	t.Parallel()
	data := []byte(`{"permissions": {"conditionalRules": [
  {"condition": "file_path == \"a\" && file_pth == 'x'", "deny": ["Bash"]},
  {"condition": "file_path.endsWith(1)", "deny": ["Bash"]},
  {"condition": "file_path", "deny": ["Bash"]},
  {"condition": "file_path.endsWith('.py'", "deny": ["Bash"]}
]},
 "scopes": [{"name": "s", "users": ["u"], "permissions": {"conditionalRules": [{"condition": "'\u00e9t\u00e9' == tool_name && nope", "deny": ["Bash"]}]}}]
}`)
	want := []string{
		`p.json:2:40: undeclared reference to 'file_pth' (in container '') in permissions.conditionalRules[0].condition`,
		`p.json:3:36: found no matching overload for 'endsWith' applied to 'string.(int)' in permissions.conditionalRules[1].condition`,
		`p.json:4:17: permissions.conditionalRules[2].condition must be a boolean expression, not string`,
		`p.json:5:42: syntax error: missing ')' at '<EOF>' in permissions.conditionalRules[3].condition`,
		`p.json:7:127: undeclared reference to 'nope' (in container '') in scopes[0].permissions.conditionalRules[0].condition`,
	}
	if diff := cmp.Diff(want, Validate("p.json", data).lines()); diff != "" {
		t.Errorf("Validate (-want +got):\n%s", diff)
	}
	p, err := Parse("p.json", data)
	if err != nil {
		t.Fatalf("Parse = %v; want conditions left to compile on first use", err)
	}
	if diff := cmp.Diff(want, p.CompileConditions().lines()); diff != "" {
		t.Errorf("CompileConditions (-want +got):\n%s", diff)
	}
	if _, err := p.Conditions[0].Condition.Eval(nil); err == nil || err.Error() != want[0] {
		t.Errorf("Eval = %v; want the compile problem %q", err, want[0])
	}
}
