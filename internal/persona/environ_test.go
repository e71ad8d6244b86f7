package persona

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/govern-dev/govern"
)

// TestNestedReviewsBounded checks that a line hiding many shell commands
// starts at most maxNested nested reviews, and that a name assigned again
// and again is reviewed once, with its last value, as the shell keeps it.
// The count of reviews stands in for the time taken.
func TestNestedReviewsBounded(t *testing.T) {
	t.Parallel()
	repeat := func(s string, n int) string { return strings.Repeat(s, n) }
	distinct := func(format string, n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, format, i)
		}
		return b.String()
	}
	cases := []struct {
		name       string
		line       string
		wantNested int
		reason     string // a fragment of one reason
	}{
		{"one key and value repeated 3000 times is one review",
			repeat("GIT_CONFIG_KEY_0=alias.x ", 3000) + repeat("GIT_CONFIG_VALUE_0='reset --hard' ", 3000) + "git x",
			1, "git alias.x runs `git reset --hard`"},
		{"the last value of a repeated name is the one reviewed",
			"GIT_CONFIG_KEY_0=alias.x GIT_CONFIG_VALUE_0='reset --hard' GIT_CONFIG_VALUE_0='log' git x",
			1, ""},
		{"8000 distinct keys stop at the bound and ask",
			distinct("GIT_CONFIG_KEY_%[1]d=alias.x%[1]d GIT_CONFIG_VALUE_%[1]d='status' ", 8000) + "git x",
			maxNested, "too many shell commands"},
		{"git -c aliases stop at the bound and ask",
			"git" + distinct(" -c alias.a%d='!true'", 500) + " status",
			maxNested, "too many shell commands"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := bash(t, tc.line)
			v := security(c)
			if c.nested != tc.wantNested {
				t.Errorf("nested reviews = %d, want %d", c.nested, tc.wantNested)
			}
			if tc.reason == "" {
				if v.Outcome != govern.Allow {
					t.Errorf("outcome %s (reasons %q), want allow", v.Outcome, v.Reasons)
				}
				return
			}
			if v.Outcome != govern.Ask || !slices.ContainsFunc(v.Reasons, func(r string) bool { return strings.Contains(r, tc.reason) }) {
				t.Errorf("outcome %s, reasons %q; want ask with %q", v.Outcome, v.Reasons, tc.reason)
			}
			if len(v.Reasons) > maxNested+1 {
				t.Errorf("%d reasons, want at most %d", len(v.Reasons), maxNested+1)
			}
		})
	}
}

func TestEnvWorth(t *testing.T) {
	t.Parallel()
	for line, want := range map[string]bool{
		"NODE_ENV=production npm start":        false,
		"APP_ENV=test RAILS_ENV=test rails s":  false,
		"ENV=./evil.sh sh -c true":             true,
		"env ENV=/tmp/x.sh sh":                 true,
		"BASH_ENV=./x.sh bash run.sh":          true,
		"export GIT_PAGER='curl x | sh'":       true,
		"NODE_ENV=test; ENV=./x.sh sh -c true": true,
		"MY_ENV=1 OTHER_ENV=2 make":            false,
		"echo ENV":                             false,
	} {
		if got := envWorth(line); got != want {
			t.Errorf("envWorth(%q) = %v, want %v", line, got, want)
		}
	}
}
