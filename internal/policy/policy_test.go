package policy

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const seedPath = "../../testdata/policies/seed.json"

func readSeed(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile(seedPath)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func TestParseSeed(t *testing.T) {
	t.Parallel()
	data := readSeed(t)
	if ps := Validate("seed.json", data); ps != nil {
		t.Fatalf("Validate(seed) = \n%v", ps)
	}
	p, err := Parse("seed.json", data)
	if err != nil {
		t.Fatalf("Parse(seed) = %v", err)
	}

	// The decoded File is what encoding/json makes of the same bytes.
	var want File
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&want, p.File); diff != "" {
		t.Errorf("File differs from json.Unmarshal (-json +Parse):\n%s", diff)
	}

	type entry struct{ Text, Source string }
	entries := func(es []Entry) []entry {
		var out []entry
		for _, e := range es {
			out = append(out, entry{e.Rule.Text, e.Source})
		}
		return out
	}
	wantDeny := []entry{
		{"Bash(*rm -rf*)", "permissions.denyList[0]"},
		{"Bash(*sudo*)", "permissions.denyList[1]"},
		{"Bash(*chmod 777*)", "permissions.denyList[2]"},
		{"Write(.env*)", "permissions.denyList[3]"},
		{"Write(config/production*)", "permissions.denyList[4]"},
		{"Bash(*npm publish*)", "permissions.denyList[5]"},
		{"Bash(*docker run --privileged*)", "permissions.denyList[6]"},
	}
	if diff := cmp.Diff(wantDeny, entries(p.Deny)); diff != "" {
		t.Errorf("Deny (-want +got):\n%s", diff)
	}
	if got := entries(p.Allow); len(got) != 7 || got[6] != (entry{"mcp__governance-server__*", "permissions.allowList[6]"}) {
		t.Errorf("Allow = %v", got)
	}
	if p.Ask != nil || p.Teams != nil || p.Scopes != nil || p.Protected != nil {
		t.Errorf("Ask, Teams, Scopes, Protected = %v, %v, %v, %v; want all nil", p.Ask, p.Teams, p.Scopes, p.Protected)
	}
	if len(p.Conditions) != 1 {
		t.Fatalf("Conditions = %v", p.Conditions)
	}
	c := p.Conditions[0]
	if got := []any{c.Condition.Text, c.Condition.Source, c.Source, entries(c.Allow), c.RequireValidation}; !cmp.Equal(got, []any{
		"file_path.endsWith('.py')", "permissions.conditionalRules[0].condition", "permissions.conditionalRules[0]",
		[]entry{{"Bash(python -m pytest *)", "permissions.conditionalRules[0].allow[0]"}}, true,
	}) {
		t.Errorf("Conditions[0] = %v", got)
	}
	if !strings.HasPrefix(p.Revision, "sha256:") || len(p.Revision) != len("sha256:")+64 {
		t.Errorf("Revision = %q", p.Revision)
	}
	if got := p.File.Hooks["PreToolUse"]; got.Command != "/opt/governance/hooks/enterprise_pre_validation.sh" || got.Groups != nil {
		t.Errorf(`Hooks["PreToolUse"] = %+v`, got)
	}
	if s := p.File.Settings; s.DangerouslySkipPermissions == nil || *s.DangerouslySkipPermissions ||
		s.MaxConcurrentSessions != 3 || s.SessionTimeout != 3600 || s.AuditLevel != "comprehensive" {
		t.Errorf("Settings = %+v", s)
	}
}

func TestParseRevisionIsOfExactBytes(t *testing.T) {
	t.Parallel()
	a, err := Parse("a", []byte(`{"version":"1"}`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse("b", []byte(`{"version": "1"}`))
	if err != nil {
		t.Fatal(err)
	}
	// printf '{"version":"1"}' | sha256sum
	if want := "sha256:aa5bc61f44d5f633935d04cbccf2654c56806fc924b0083a6cb6b7545369ad64"; a.Revision != want {
		t.Errorf("Revision = %q, want %q", a.Revision, want)
	}
	if a.Revision == b.Revision {
		t.Errorf("two spellings of one policy share revision %q; want the revision of the exact bytes", a.Revision)
	}
}

func TestTeamsAndScopes(t *testing.T) {
	t.Parallel()
	p, err := Parse("p.json", []byte(`{
  "teams": {
    "backend": {"members": ["alice", "bob"], "enforcement": "warn",
                "permissions": {"denyList": ["Bash(terraform apply *)"]}},
    "frontend": {"members": ["carol"]}
  },
  "scopes": [
    {"name": "contractors", "users": ["dave"], "teams": ["frontend"],
     "permissions": {"askList": ["Bash(git push *)"],
                     "conditionalRules": [{"condition": "team == 'frontend'", "deny": ["WebFetch"]}]}}
  ],
  "enforcement": {"mode": "audit", "teams": {"frontend": "enforce"}}
}`))
	if err != nil {
		t.Fatal(err)
	}
	for user, want := range map[string]string{"alice": "backend", "bob": "backend", "carol": "frontend", "dave": "", "": ""} {
		if got := p.TeamOf(user); got != want {
			t.Errorf("TeamOf(%q) = %q, want %q", user, got, want)
		}
	}
	for team, want := range map[string]string{"backend": "warn", "frontend": "enforce", "": "audit", "ops": "audit"} {
		if got := p.Enforcement(team); got != want {
			t.Errorf("Enforcement(%q) = %q, want %q", team, got, want)
		}
	}
	be := p.Teams["backend"]
	if len(be.Deny) != 1 || be.Deny[0].Source != "teams.backend.permissions.denyList[0]" || !be.Members["bob"] {
		t.Errorf("Teams[backend] = %+v", be)
	}
	s := p.Scopes[0]
	if s.Name != "contractors" || len(s.Ask) != 1 || s.Ask[0].Source != "scopes[0].permissions.askList[0]" ||
		len(s.Conditions) != 1 || s.Conditions[0].Deny[0].Source != "scopes[0].permissions.conditionalRules[0].deny[0]" {
		t.Errorf("Scopes[0] = %+v", s)
	}
	for _, c := range []struct {
		user, team string
		want       bool
	}{{"dave", "", true}, {"erin", "frontend", true}, {"alice", "backend", false}, {"", "", false}} {
		if got := s.Applies(c.user, c.team); got != c.want {
			t.Errorf("Applies(%q, %q) = %v, want %v", c.user, c.team, got, c.want)
		}
	}
	if got := p.Enforcement("backend"); got != "warn" {
		t.Errorf("Enforcement(backend) = %q", got)
	}
}

func TestEnforcementDefault(t *testing.T) {
	t.Parallel()
	p, err := Parse("p.json", []byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Enforcement("any"); got != "enforce" {
		t.Errorf(`Enforcement("any") = %q, want "enforce"`, got)
	}
}

func TestClaudeCodeHookShape(t *testing.T) {
	t.Parallel()
	data := []byte(`{"hooks": {"PostToolUse": [{"matcher": "Edit|Write", "hooks": [
  {"type": "command", "command": "prettier --write", "timeout": 5, "if": "Edit(src/**)"},
  {"type": "http", "url": "https://audit.example.com/hook", "headers": {"X-Team": "a"}},
  {"type": "mcp_tool", "server": "governance-server", "tool": "record", "input": {"path": "${tool_input.file_path}"}}
]}]}}`)
	p, err := Parse("p.json", data)
	if err != nil {
		t.Fatal(err)
	}
	var want File
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&want, p.File); diff != "" {
		t.Errorf("File differs from json.Unmarshal (-json +Parse):\n%s", diff)
	}
	h := p.File.Hooks["PostToolUse"]
	if len(h.Groups) != 1 || len(h.Groups[0].Hooks) != 3 || h.Groups[0].Hooks[0].Timeout != 5 || h.Command != "" {
		t.Errorf(`Hooks["PostToolUse"] = %+v`, h)
	}
	// It writes back in the shape it was read in.
	out, err := json.Marshal(p.File.Hooks)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]HookSpec
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	compact := cmp.Transformer("compact", func(r json.RawMessage) string {
		var b bytes.Buffer
		if err := json.Compact(&b, r); err != nil {
			return "invalid: " + string(r)
		}
		return b.String()
	})
	if diff := cmp.Diff(p.File.Hooks, back, compact); diff != "" {
		t.Errorf("hooks round trip (-before +after):\n%s", diff)
	}
}

func TestFileRoundTrip(t *testing.T) {
	t.Parallel()
	p, err := Parse("seed.json", readSeed(t))
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.MarshalIndent(p.File, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	q, err := Parse("again.json", out)
	if err != nil {
		t.Fatalf("Parse(Marshal(seed)) = %v\n%s", err, out)
	}
	if diff := cmp.Diff(p.File, q.File, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("round trip (-before +after):\n%s", diff)
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "policy.json")
	if err := os.WriteFile(good, readSeed(t), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := Load(good)
	if err != nil || p.Name != good {
		t.Fatalf("Load(seed) = %v, %v", p, err)
	}

	_, err = Load(filepath.Join(dir, "missing.json"))
	if _, isProblems := err.(Problems); err == nil || isProblems || !os.IsNotExist(errorsUnwrap(err)) {
		t.Errorf("Load(missing) = %v; want a wrapped not-exist error", err)
	}

	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"version": 1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Load(bad)
	want := bad + ":1:13: version must be a string, not a number"
	if ps, ok := err.(Problems); !ok || ps.Error() != want {
		t.Errorf("Load(bad) = %v; want Problems %q", err, want)
	}
}

func errorsUnwrap(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
}
