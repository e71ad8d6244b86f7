package persona

import (
	"encoding/json"
	"testing"

	"github.com/govern-dev/govern"
)

func TestParseConfigErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{`[]`, `personas: want an object keyed by persona ID`},
		{`{"emily_watson": {"enable": false}}`, `personas.emily_watson: unknown field "enable"`},
		{`{"emily_watson": {"consult": "sometimes"}}`, `personas.emily_watson: consult: want "always", "auto", "never" or {"tools", "rules"}, not "sometimes"`},
		{`{"emily_watson": {"consult": {}}}`, `personas.emily_watson: consult: give tools or rules`},
		{`{"emily_watson": {"consult": {"tool": ["Bash"]}}}`, `personas.emily_watson: consult: unknown field "tool"`},
		{`{"emily_watson": {"consult": {"tools": ["Bsh"]}}}`, `personas.emily_watson.consult.tools[0]: "Bsh" is not a tool name`},
		{`{"emily_watson": {"consult": {"rules": ["Bash(x"]}}}`, `personas.emily_watson.consult.rules[0]: rule "Bash(x" has no closing parenthesis`},
		{`{"marcus_rodriguez": {"name": "Marc"}}`, `personas.marcus_rodriguez.name: a built-in persona's name cannot change`},
		{`{"Ops Team": {"name": "Ops"}}`, `personas.Ops Team: persona IDs use lower-case letters, digits, '_' and '-'`},
		{`{"ops": {"rules": [{"match": "Bash(x)", "verdict": "ask", "reason": "r"}]}}`, `personas.ops.name: required for a custom persona`},
		{`{"ops": {"name": "Ops"}}`, `personas.ops.rules: a custom persona needs at least one rule`},
		{`{"ops": {"name": "Ops", "rules": [{"verdict": "ask"}]}}`, `personas.ops.rules[0].match: required`},
		{`{"ops": {"name": "Ops", "rules": [{"match": "Bash(x)", "verdict": "block"}]}}`, `personas.ops.rules[0].verdict: want "approve", "ask" or "deny", not "block"`},
		{`{"ops": {"name": "Ops", "rules": [{"match": "Bash(x)", "verdict": "ask", "risk": "severe", "reason": "r"}]}}`, `personas.ops.rules[0].risk: want low, medium, high or critical, not "severe"`},
		{`{"ops": {"name": "Ops", "rules": [{"match": "Bash(x)", "verdict": "deny"}]}}`, `personas.ops.rules[0].reason: required for ask and deny, to tell the developer why`},
		{`{"ops": {"name": "Ops", "rules": [{"match": "Bsh(x)", "verdict": "deny", "reason": "r"}]}}`, `personas.ops.rules[0].match: unknown tool "Bsh"`},
		{`{"emily_watson": {}, "emily_watson": {}}`, `personas.emily_watson: duplicate key`},
		{`{"emily_watson": {"enabled": "no"}}`, `personas.emily_watson: cannot unmarshal string into Go struct field Spec.enabled of type bool`},
	} {
		_, err := ParseConfig(json.RawMessage(tc.in))
		if err == nil || err.Error() != tc.want {
			t.Errorf("ParseConfig(%s):\n got %v\nwant %s", tc.in, err, tc.want)
		}
	}
	for _, in := range []string{``, `null`, `{}`} {
		if cfg, err := ParseConfig(json.RawMessage(in)); err != nil || len(cfg.Personas) != 0 {
			t.Errorf("ParseConfig(%q) = %+v, %v", in, cfg, err)
		}
	}
}

const testConfig = `{
  "emily_watson": {"enabled": false},
  "rachel_torres": {"consult": "never"},
  "marcus_rodriguez": {"consult": "always", "rules": [
    {"match": "Bash(npm publish *)", "verdict": "deny", "risk": "high", "reason": "publishing is done by CI", "recommendation": "Tag a release; CI publishes it"}
  ]},
  "platform_team": {
    "name": "Platform Team",
    "role": "infrastructure",
    "rules": [
      {"match": "Bash(*terraform apply*)", "verdict": "ask", "risk": "high",
       "reason": "terraform apply changes live infrastructure",
       "recommendation": "Run terraform plan and open a pull request; CI applies it"},
      {"match": "Edit(infra/**)", "verdict": "approve", "recommendation": "Run terraform fmt and plan"}
    ]
  },
  "compliance": {"name": "Compliance", "consult": {"tools": ["WebFetch"]},
    "rules": [{"match": "WebFetch(domain:pastebin.com)", "verdict": "deny", "reason": "paste sites leak code"}]}
}`

func TestConfiguredPanel(t *testing.T) {
	t.Parallel()
	cfg, err := ParseConfig(json.RawMessage(testConfig))
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPanel(cfg, Unanimous)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(r Review) (out []string) {
		for _, v := range r.Verdicts {
			out = append(out, v.Persona+":"+string(v.Outcome))
		}
		return out
	}
	for _, tc := range []struct {
		name string
		call *Call
		want []string
		out  govern.Outcome
	}{
		{"marcus always, emily off", file("Write", "src/a.py", "print(1)"), []string{"sarah_chen:allow", "marcus_rodriguez:allow"}, govern.Allow},
		{"rachel never", bash(t, `psql -c "DROP TABLE users"`), []string{"sarah_chen:allow", "marcus_rodriguez:allow"}, govern.Allow},
		{"marcus's added rule", bash(t, `cd pkg && npm publish --access public`), []string{"sarah_chen:allow", "marcus_rodriguez:deny"}, govern.Deny},
		{"custom persona, disguised", bash(t, `timeout 600 terraform -chdir=infra apply -auto-approve`), []string{"sarah_chen:allow", "marcus_rodriguez:allow", "platform_team:ask"}, govern.Ask},
		{"custom persona not consulted on plan", bash(t, `terraform plan`), []string{"sarah_chen:allow", "marcus_rodriguez:allow"}, govern.Allow},
		{"custom approve with advice", file("Edit", "infra/main.tf", "x"), []string{"sarah_chen:allow", "marcus_rodriguez:allow", "platform_team:allow"}, govern.Allow},
		{"scoped by tool", &Call{Tool: "WebFetch", Host: "pastebin.com", Root: testRoot}, []string{"sarah_chen:allow", "marcus_rodriguez:allow", "compliance:deny"}, govern.Deny},
		{"scoped by tool, other host", &Call{Tool: "WebFetch", Host: "go.dev", Root: testRoot}, []string{"sarah_chen:allow", "marcus_rodriguez:allow", "compliance:allow"}, govern.Allow},
	} {
		r := p.Review(tc.call)
		if got := ids(r); r.Outcome != tc.out || len(got) != len(tc.want) || func() bool {
			for i := range got {
				if got[i] != tc.want[i] {
					return true
				}
			}
			return false
		}() {
			t.Errorf("%s: %s %v, want %s %v", tc.name, r.Outcome, got, tc.out, tc.want)
		}
	}
	r := p.Review(bash(t, `terraform apply`))
	if r.Reason != "Platform Team (infrastructure): terraform apply changes live infrastructure" || r.Risk != govern.RiskHigh {
		t.Errorf("terraform apply: %q %s", r.Reason, r.Risk)
	}
}
