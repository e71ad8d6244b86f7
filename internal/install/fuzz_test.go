package install

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzMerge merges govern's settings into whatever an administrator's
// managed-settings.json holds. Merge either refuses with an error or
// returns one JSON object that holds govern's hook on each of its events
// and every native rule of the policy; it never panics.
func FuzzMerge(f *testing.F) {
	f.Add([]byte(adminSettings))
	f.Add([]byte(`{}`))
	f.Add([]byte(``))
	f.Add([]byte(`{"permissions":{"allow":"Bash"}}`))
	f.Add([]byte(`{"hooks":{"PreToolUse":[{"hooks":[]}]},"permissions":null}`))
	f.Add([]byte(`{"env":{"A":1},"a":{"b":[1,{"c":null}]}}`))
	f.Add([]byte(`[1,2]`))
	s := &Settings{
		Allow: []string{"Bash(git status)"}, Deny: []string{"Bash(*rm -rf*)", "Edit(.env*)"}, DisableBypass: true,
		Env: map[string]string{"GOVERNANCE_MODE": "enterprise"}, Hook: testHook,
	}
	f.Fuzz(func(t *testing.T, base []byte) {
		out, err := Merge(base, s)
		if err != nil {
			return
		}
		var got struct {
			Permissions struct {
				Allow, Deny []string
			}
			Hooks map[string]json.RawMessage // the administrator's events may hold anything
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("Merge returned what does not decode as settings: %v\n%s", err, out)
		}
		for _, r := range append(append([]string(nil), s.Allow...), s.Deny...) {
			if !strings.Contains(strings.Join(got.Permissions.Allow, "\n")+"\n"+strings.Join(got.Permissions.Deny, "\n"), r) {
				t.Fatalf("merged settings lost rule %s:\n%s", r, out)
			}
		}
		for _, ev := range Events {
			var groups []struct {
				Hooks []struct{ Command string }
			}
			if err := json.Unmarshal(got.Hooks[ev], &groups); err != nil {
				t.Fatalf("merged settings' %s hooks do not decode: %v\n%s", ev, err, out)
			}
			found := false
			for _, g := range groups {
				for _, h := range g.Hooks {
					found = found || h.Command == testHook.Command()
				}
			}
			if !found {
				t.Fatalf("merged settings have no govern hook on %s:\n%s", ev, out)
			}
		}
	})
}
