package install

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
)

// FuzzMerge merges govern's settings into whatever an administrator's
// managed-settings.json holds. Merge either refuses with an error or
// returns one JSON object in which each of govern's rules is in its own
// list, the administrator's rules stay in theirs, every top-level key of
// the administrator's survives, and govern's hook runs exactly once, in
// exec form, on each of its events and on no other; merging that again
// changes nothing. It never panics.
func FuzzMerge(f *testing.F) {
	f.Add([]byte(adminSettings))
	f.Add([]byte(`{}`))
	f.Add([]byte(``))
	f.Add([]byte(`{"permissions":{"allow":"Bash"}}`))
	f.Add([]byte(`{"permissions":{"allow":["Bash(*rm -rf*)"],"deny":["Bash(git status)",1]}}`))
	f.Add([]byte(`{"hooks":{"PreToolUse":[{"hooks":[]}]},"permissions":null}`))
	f.Add([]byte(`{"env":{"A":1},"a":{"b":[1,{"c":null}]}}`))
	f.Add([]byte(`[1,2]`))
	// govern's hook already there: shell form, exec form, beside the
	// administrator's in one group, on an event govern no longer wires.
	f.Add([]byte(`{"hooks":{"PreToolUse":[{"matcher":"*","hooks":[{"type":"command","command":"'/usr/local/bin/govern' hook --policy '/etc/govern/policy.json'","timeout":10}]}],
		"Notification":[{"hooks":[{"type":"command","command":"/opt/govern/bin/govern","args":["hook"]},{"type":"command","command":"/opt/sec/notify.sh"}]}],
		"CwdChanged":[{"hooks":[{"type":"command","command":"/usr/local/bin/govern","args":["hook","--policy","/x"]}]}],"Stop":[1,{"hooks":"x"}]},"z":true}`))
	s := &Settings{
		Allow: []string{"Bash(git status)"}, Ask: []string{"Bash(git push *)"}, Deny: []string{"Bash(*rm -rf*)", "Edit(.env*)"}, DisableBypass: true,
		Env: map[string]string{"GOVERNANCE_MODE": "enterprise"}, Hook: testHook, Observe: []string{"PermissionRequest", "Stop"},
	}
	wired := append(slices.Clip(Events), s.Observe...)
	want := append([]string{testHook.Bin}, testHook.Args()...)
	f.Fuzz(func(t *testing.T, base []byte) {
		out, err := Merge(base, s)
		if err != nil {
			return
		}
		again, err := Merge(out, s)
		if err != nil {
			t.Fatalf("Merge refused its own output: %v\n%s", err, out)
		}
		if !bytes.Equal(again, out) {
			t.Fatalf("merging twice differs from merging once:\n%s\nthen:\n%s", out, again)
		}

		var got struct {
			Permissions map[string]json.RawMessage
			Hooks       map[string]json.RawMessage // the administrator's events may hold anything
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("Merge returned what does not decode as settings: %v\n%s", err, out)
		}
		// The administrator's settings as Merge and Claude Code read them:
		// of keys written twice, the last.
		before, _ := parseObject(base)
		was, _ := before.object("permissions")
		for _, l := range []struct {
			key   string
			rules []string
		}{{"allow", s.Allow}, {"ask", s.Ask}, {"deny", s.Deny}} {
			list := stringsIn(got.Permissions[l.key])
			for _, r := range l.rules {
				if !slices.Contains(list, r) {
					t.Fatalf("merged settings lack %s in permissions.%s:\n%s", r, l.key, out)
				}
			}
			for _, r := range stringsIn(was.vals[l.key]) {
				if !slices.Contains(list, r) {
					t.Fatalf("merged settings lost the administrator's %s from permissions.%s:\n%s", r, l.key, out)
				}
			}
		}

		after, err := parseObject(out)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range before.keys {
			if !slices.Contains(after.keys, k) {
				t.Fatalf("merged settings lost the top-level key %q:\n%s", k, out)
			}
		}

		for ev, raw := range got.Hooks {
			var groups []json.RawMessage
			if json.Unmarshal(raw, &groups) != nil {
				if slices.Contains(wired, ev) {
					t.Fatalf("merged settings' %s hooks are not a list:\n%s", ev, out)
				}
				continue
			}
			var found [][]string
			for _, g := range groups {
				var gr struct{ Hooks []json.RawMessage }
				json.Unmarshal(g, &gr)
				for _, h := range gr.Hooks {
					if hc, ok := governHandler(h); ok {
						if hc.shell {
							t.Fatalf("govern's hook on %s is a shell command:\n%s", ev, out)
						}
						found = append(found, hc.argv)
					}
				}
			}
			switch {
			case !slices.Contains(wired, ev) && len(found) > 0:
				t.Fatalf("govern's hook is left on %s, which it is not wired on:\n%s", ev, out)
			case slices.Contains(wired, ev) && (len(found) != 1 || !slices.Equal(found[0], want)):
				t.Fatalf("govern's hook on %s: %q, want once %q:\n%s", ev, found, want, out)
			}
		}
		for _, ev := range wired {
			if got.Hooks[ev] == nil {
				t.Fatalf("merged settings have no %s hooks:\n%s", ev, out)
			}
		}
	})
}

// stringsIn returns the strings in a JSON list, skipping anything else.
func stringsIn(raw json.RawMessage) []string {
	var list []json.RawMessage
	json.Unmarshal(raw, &list)
	var out []string
	for _, r := range list {
		var s string
		if json.Unmarshal(r, &s) == nil {
			out = append(out, s)
		}
	}
	return out
}
