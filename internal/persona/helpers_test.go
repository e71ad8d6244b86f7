package persona

import (
	"strings"
	"testing"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/shell"
)

const (
	testRoot = "/home/dev/project"
	testHome = "/home/dev"
)

// bash builds the Call the engine hands the panel for a Bash command: the
// shell analysis, and the writes resolved against the project.
func bash(tb testing.TB, line string) *Call {
	tb.Helper()
	a, err := shell.Analyze(line)
	if err != nil {
		tb.Fatalf("Analyze(%q): %v", line, err)
	}
	c := &Call{Tool: "Bash", Command: line, Shell: a, Root: testRoot, Home: testHome}
	for _, w := range a.Writes {
		if p, ok := c.resolve(w.Path); ok && p != "/dev/null" && p != "/dev/stdout" && p != "/dev/stderr" {
			c.Writes = append(c.Writes, p)
		}
	}
	return c
}

// file builds the Call for a file tool writing content to p (relative to
// the project root, "~/…", or absolute).
func file(tool, p, content string) *Call {
	c := &Call{Tool: tool, Content: content, Root: testRoot, Home: testHome}
	c.Path, _ = c.resolve(p)
	c.Writes = []string{c.Path}
	return c
}

// verdictCase is one review by one persona.
type verdictCase struct {
	name   string
	call   func(testing.TB) *Call
	want   govern.Outcome
	reason string // a fragment of the first reason (Ask, Deny) or recommendation (Allow); "" for none
}

func cmd(line string) func(testing.TB) *Call {
	return func(tb testing.TB) *Call { return bash(tb, line) }
}

func edit(tool, p, content string) func(testing.TB) *Call {
	return func(testing.TB) *Call { return file(tool, p, content) }
}

// runVerdicts checks every case against check.
func runVerdicts(t *testing.T, id string, check func(*Call) govern.Verdict, cases []verdictCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := tc.call(t)
			v := check(c)
			if v.Persona != id {
				t.Errorf("Persona = %q, want %q", v.Persona, id)
			}
			if v.Outcome != tc.want {
				t.Fatalf("%q: outcome %s, want %s (reasons %q, recommendations %q)", c.Command+c.Path, v.Outcome, tc.want, v.Reasons, v.Recommendations)
			}
			text := v.Recommendations
			if tc.want != govern.Allow {
				text = v.Reasons
				if len(text) == 0 || len(v.Recommendations) == 0 {
					t.Fatalf("%s without reasons or recommendations: %+v", v.Outcome, v)
				}
			}
			switch {
			case tc.reason == "" && tc.want == govern.Allow && len(v.Recommendations) > 0:
				t.Errorf("unexpected advice %q", v.Recommendations)
			case tc.reason != "" && !strings.Contains(strings.Join(text, "\n"), tc.reason):
				t.Errorf("reasons/recommendations %q do not mention %q", text, tc.reason)
			}
		})
	}
}
