package policy

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// badFiles are invalid policies and every problem each must report, in
// file order. They also seed FuzzParse.
var badFiles = []struct {
	name string
	data string
	want []string
}{
	{
		name: "several problems reported together",
		data: `{
  "permissions": {
    "allowlist": ["Bash(ls)"],
    "denyList": ["Bsh(rm -rf *)"]
  },
  "settings": {"auditLevel": "verbose", "maxConcurrentSessions": -1}
}`,
		want: []string{
			`p.json:3:5: unknown key "allowlist" in permissions (did you mean "allowList"?)`,
			`p.json:4:19: unknown tool "Bsh" in denyList`,
			`p.json:6:30: auditLevel must be one of minimal, standard, comprehensive`,
			`p.json:6:66: maxConcurrentSessions must not be negative`,
		},
	},
	{
		name: "rule errors point inside the string past escapes",
		data: `{"permissions": {"denyList": ["Edit()", "Bash(\u0022x\u0022", "mcp__a__b(x)"],
 "askList": ["\tBash"]}}`,
		want: []string{
			`p.json:1:37: empty specifier in "Edit()" in denyList`,
			`p.json:1:60: rule "Bash(\"x\"" has no closing parenthesis in denyList`,
			`p.json:1:74: mcp__a__b takes no specifier in denyList`,
			`p.json:2:15: rule "\tBash" has surrounding spaces in askList`,
		},
	},
	{
		name: "every persona's problem, each at its own place",
		data: `{"personas": {
  "emily_watson": {"enable": false},
  "ok_custom": {"name": "Ops", "rules": [{"match": "Bash(kubectl *)", "verdict": "ask", "reason": "cluster"}]},
  "Bad Id": {"name": "x"},
  "legal": {"name": "Legal"}
}}`,
		want: []string{
			`p.json:2:3: personas.emily_watson: unknown field "enable"`,
			`p.json:4:3: personas.Bad Id: persona IDs use lower-case letters, digits, '_' and '-'`,
			`p.json:5:3: personas.legal.rules: a custom persona needs at least one rule`,
		},
	},
	{
		name: "wrong types",
		data: `{"version": 1, "permissions": {"allowList": "Bash", "denyList": [1, null]},
 "settings": {"dangerouslySkipPermissions": "no", "sessionTimeout": 1.5, "maxConcurrentSessions": "3"},
 "hooks": {"PreToolUse": 3, "PreTooluse": ""}, "personas": [], "environmentVariables": {"A": true},
 "consensus": null}`,
		want: []string{
			`p.json:1:13: version must be a string, not a number`,
			`p.json:1:45: allowList must be an array, not a string`,
			`p.json:1:66: denyList[0] must be a string, not a number`,
			`p.json:1:69: denyList[1] must be a string, not null`,
			`p.json:2:45: dangerouslySkipPermissions must be a boolean, not a string`,
			`p.json:2:69: sessionTimeout must be an integer, not 1.5`,
			`p.json:2:99: maxConcurrentSessions must be an integer, not a string`,
			`p.json:3:26: hooks.PreToolUse must be a script path or an array of matcher groups, not a number`,
			`p.json:3:29: unknown hook event "PreTooluse" (did you mean "PreToolUse"?)`,
			`p.json:3:43: empty script path in hooks.PreTooluse`,
			`p.json:3:60: personas must be an object, not an array`,
			`p.json:3:94: environmentVariables.A must be a string, not a boolean`,
			`p.json:4:15: consensus must be an object, not null`,
		},
	},
	{
		name: "conditional rules",
		data: `{"permissions": {"conditionalRules": [
  {"description": "nothing to do"},
  {"condition": "  ", "allow": ["Bash(ls)"], "require_validation": "yes"}
]}}`,
		want: []string{
			`p.json:2:3: missing key "condition" in permissions.conditionalRules[0]`,
			`p.json:2:3: permissions.conditionalRules[0] needs at least one of allow, ask, deny`,
			`p.json:3:17: empty condition in permissions.conditionalRules[1]`,
			`p.json:3:68: require_validation must be a boolean, not a string`,
		},
	},
	{
		name: "teams, scopes and enforcement",
		data: `{
  "teams": {
    "backend": {"members": ["alice", "alice"], "enforcement": "block",
                "permissions": {"conditionalRules": []}},
    "ops": {"members": ["alice"], "lead": "bob"}
  },
  "scopes": [{"name": "x", "teams": ["backend", "qa"]}, {"name": "x"}, {"users": []}],
  "enforcement": {"mode": "strict", "teams": {"qa": "warn", "ops": "on"}},
  "consensus": {"strategy": "vote"}
}`,
		want: []string{
			`p.json:3:38: user "alice" is listed twice in teams.backend.members`,
			`p.json:3:63: enforcement must be one of enforce, warn, audit`,
			`p.json:4:33: conditionalRules is not allowed in teams.backend.permissions; use a scope`,
			`p.json:5:25: user "alice" is already a member of team "backend"; a user belongs to one team`,
			`p.json:5:35: unknown key "lead" in teams.ops`,
			`p.json:7:49: unknown team "qa" in scopes[0].teams`,
			`p.json:7:57: scopes[1] applies to no one: give it users or teams`,
			`p.json:7:66: duplicate scope name "x"`,
			`p.json:7:72: missing key "name" in scopes[2]`,
			`p.json:7:72: scopes[2] applies to no one: give it users or teams`,
			`p.json:8:27: mode must be one of enforce, warn, audit`,
			`p.json:8:47: unknown team "qa" in enforcement.teams`,
			`p.json:8:68: enforcement.teams.ops must be one of enforce, warn, audit`,
			`p.json:9:29: strategy must be one of unanimous, majority, security-veto`,
		},
	},
	{
		name: "other sections",
		data: `{"enforced_at": "2025-01-27", "protectedPaths": ["/etc/govern/**", "[a-", ""],
"environmentVariables": {"GOOD_1": "x", "1BAD": "y", "": "z"},
"mcp": {"servers": {"a": {"args": []}, "b": {"type": "http", "command": "x", "url": "https://b"}, "c": {"type": "ws"}},
        "server": {}},
"tests": [{"name": "t", "event": {"hook_event_name": "PreToolUse"}, "expect": {"outcome": "block", "layer": "team"}},
          {"name": "t", "event": {"hook_event_name": "preToolUse"}, "expect": {}},
          {"event": "x", "expect": {"outcome": "none"}, "extra": 1}]}`,
		want: []string{
			`p.json:1:17: enforced_at must be an RFC 3339 time such as 2025-01-27T00:00:00Z`,
			`p.json:1:68: invalid glob "[a-" in protectedPaths[1]`,
			`p.json:1:75: invalid glob "" in protectedPaths[2]`,
			`p.json:2:41: invalid environment variable name "1BAD" in environmentVariables`,
			`p.json:2:54: invalid environment variable name "" in environmentVariables`,
			`p.json:3:26: missing key "command" in mcp.servers.a`,
			`p.json:3:62: command is not allowed in mcp.servers.b: http servers take a url`,
			`p.json:3:104: missing key "command" in mcp.servers.c`,
			`p.json:3:113: type must be one of stdio, sse, http`,
			`p.json:4:9: unknown key "server" in mcp (did you mean "servers"?)`,
			`p.json:5:91: outcome must be one of allow, ask, deny, none`,
			`p.json:5:109: layer must be one of enterprise, project, local, user, engine, personas`,
			`p.json:6:20: duplicate test name "t"`,
			`p.json:6:54: unknown hook event "preToolUse" in tests[1].event (did you mean "PreToolUse"?)`,
			`p.json:6:79: missing key "outcome" in tests[1].expect`,
			`p.json:7:11: missing key "name" in tests[2]`,
			`p.json:7:21: event must be an object, not a string`,
			`p.json:7:57: unknown key "extra" in tests[2]`,
		},
	},
	{name: "empty file", data: "", want: []string{"p.json:1:1: empty file: a policy is a JSON object"}},
	{name: "blank file", data: "\n  \n", want: []string{"p.json:1:1: empty file: a policy is a JSON object"}},
	{name: "byte order mark", data: "\uFEFF{}", want: []string{"p.json:1:1: file starts with a byte order mark; save it as UTF-8 without one"}},
	{name: "not an object", data: "\n[]", want: []string{"p.json:2:1: a policy must be a JSON object, not an array"}},
	{name: "trailing data", data: "{}\n{}", want: []string{"p.json:2:1: unexpected data after the policy object"}},
	{name: "trailing comma", data: "{\"version\": \"1\",\n}", want: []string{`p.json:2:1: unexpected '}', expected a key in double quotes`}},
	{name: "unterminated", data: "{\"version\": \"1", want: []string{"p.json:1:13: string is not terminated"}},
	{name: "truncated", data: "{\"version\": \"1\"", want: []string{`p.json:1:16: unexpected end of file, expected "," or "}"`}},
	{name: "missing colon", data: "{\"version\" \"1\"}", want: []string{`p.json:1:12: unexpected '"', expected ":"`}},
	{name: "comment", data: "{ // policy\n}", want: []string{`p.json:1:3: unexpected '/', expected a key in double quotes`}},
	{name: "control character", data: "{\"version\": \"1\t\"}", want: []string{`p.json:1:15: control character in string; write it as an escape such as \n`}},
	{name: "bad escape", data: `{"version": "\x"}`, want: []string{`p.json:1:14: invalid escape character 'x' in string`}},
	{name: "bad unicode escape", data: `{"version": "\u12G4"}`, want: []string{`p.json:1:18: unexpected 'G', expected a hex digit`}},
	{name: "leading zero", data: `{"settings": {"sessionTimeout": 01}}`, want: []string{`p.json:1:34: unexpected '1', expected "," or "}"`}},
	{name: "bare word", data: `{"version": yes}`, want: []string{`p.json:1:13: unexpected 'y', expected a value`}},
	{name: "misspelled literal", data: `{"settings": {"dangerouslySkipPermissions": fals}}`, want: []string{`p.json:1:49: unexpected '}', expected "false"`}},
	{name: "invalid UTF-8 and duplicate keys", data: "{\"version\": \"1\xff\",\n \"version\": \"2\"}", want: []string{
		"p.json:1:15: invalid UTF-8 in string",
		`p.json:2:2: duplicate key "version"`,
	}},
	{name: "too deep", data: strings.Repeat("[", 600), want: []string{"p.json:1:514: nesting deeper than 512 levels"}},
}

func TestProblems(t *testing.T) {
	t.Parallel()
	for _, tt := range badFiles {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, p := range Validate("p.json", []byte(tt.data)) {
				got = append(got, p.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate problems (-want +got):\n%s", diff)
			}
			// Parse reports the same problems (none of these is a condition
			// that compiles lazily).
			_, err := Parse("p.json", []byte(tt.data))
			if ps, ok := err.(Problems); !ok || !cmp.Equal(Problems(ps).lines(), got) {
				t.Errorf("Parse error = %v; want the same problems as Validate", err)
			}
		})
	}
}

func (ps Problems) lines() []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}
