package install

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/govern-dev/govern/internal/policy"
)

// adminSettings are managed settings an administrator wrote before govern.
const adminSettings = `{
  "model": "opus",
  "permissions": {
    "defaultMode": "default",
    "deny": ["Bash(rm -rf /)", "Edit(.env*)"],
    "additionalDirectories": ["/srv/shared"]
  },
  "hooks": {
    "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "/opt/sec/check.sh"}]}],
    "Stop": [{"hooks": [{"type": "command", "command": "/opt/sec/stop.sh"}]}]
  },
  "env": {"HTTPS_PROXY": "http://proxy:3128", "GOVERNANCE_MODE": "old"},
  "companyAnnouncements": ["Use <tabs> & be kind"]
}`

// TestMergeKeepsForeignKeys merges govern's settings into an
// administrator's: their keys, rules and hooks stay, in their order, and
// govern's are added after them.
func TestMergeKeepsForeignKeys(t *testing.T) {
	t.Parallel()
	s, _ := Render(loadPolicy(t, "../../testdata/policies/seed.json"), testHook)
	out, err := Merge([]byte(adminSettings), s)
	if err != nil {
		t.Fatal(err)
	}
	root, err := parseObject(out)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"model", "permissions", "hooks", "env", "companyAnnouncements"}, root.keys); d != "" {
		t.Errorf("top-level keys (-want +got):\n%s", d)
	}
	var got struct {
		Model       string
		Permissions struct {
			DefaultMode                  string
			Deny                         []string
			AdditionalDirectories        []string
			DisableBypassPermissionsMode string
		}
		Hooks                map[string][]group
		Env                  map[string]string
		CompanyAnnouncements []string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if got.Model != "opus" || got.Permissions.DefaultMode != "default" || got.Permissions.DisableBypassPermissionsMode != "disable" {
		t.Errorf("scalars: %+v", got)
	}
	wantDeny := []string{"Bash(rm -rf /)", "Edit(.env*)", // the administrator's, then govern's without the duplicate
		"Bash(*rm -rf*)", "Bash(*sudo*)", "Bash(*chmod 777*)", "Edit(config/production*)", "Bash(*npm publish*)", "Bash(*docker run --privileged*)"}
	if d := cmp.Diff(wantDeny, got.Permissions.Deny); d != "" {
		t.Errorf("deny (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"/srv/shared"}, got.Permissions.AdditionalDirectories); d != "" {
		t.Errorf("additionalDirectories (-want +got):\n%s", d)
	}
	pre := got.Hooks["PreToolUse"]
	if len(pre) != 2 || pre[0].Matcher != "Bash" || pre[0].Hooks[0].Command != "/opt/sec/check.sh" || pre[1].Matcher != "*" || pre[1].Hooks[0].OnFailure != "block" {
		t.Errorf("PreToolUse groups: %+v", pre)
	}
	// The seed's auditLevel is comprehensive: govern's hook on Stop too,
	// after the administrator's.
	if stop := got.Hooks["Stop"]; len(stop) != 2 || stop[0].Hooks[0].Command != "/opt/sec/stop.sh" || stop[1].Hooks[0].Command != testHook.Bin ||
		len(got.Hooks["SessionEnd"]) != 1 {
		t.Errorf("Stop, SessionEnd groups: %+v, %+v", got.Hooks["Stop"], got.Hooks["SessionEnd"])
	}
	if got.Env["HTTPS_PROXY"] != "http://proxy:3128" || got.Env["GOVERNANCE_MODE"] != "enterprise" {
		t.Errorf("env: %v", got.Env)
	}
	if !strings.Contains(string(out), `"Use <tabs> & be kind"`) {
		t.Errorf("the administrator's text was escaped:\n%s", out)
	}
}

func TestMergeRefusesWhatItCannotMerge(t *testing.T) {
	t.Parallel()
	s, _ := Render(loadPolicy(t, "../../testdata/policies/seed.json"), testHook)
	for _, base := range []string{`[]`, `{"permissions": []}`, `{"hooks": {"PreToolUse": {}}}`, `{"permissions": {"deny": "Bash"}}`, `{} {}`, `{"a":`} {
		if out, err := Merge([]byte(base), s); err == nil {
			t.Errorf("Merge(%s) = %s, want an error", base, out)
		}
	}
}

// mdmSettings are managed settings that already wire govern's hook,
// shipped by other means than govern install (an MDM profile, a config
// management tool): in the shell form of earlier installs on PreToolUse,
// in exec form beside the administrator's own handler on Notification.
const mdmSettings = `{
  "model": "opus",
  "hooks": {
    "PreToolUse": [{"matcher": "*", "hooks": [{"type": "command", "command": "'/usr/bin/govern' hook --policy '/etc/govern/policy.json'", "timeout": 10}]}],
    "Notification": [{"hooks": [
      {"type": "command", "command": "/opt/govern/govern", "args": ["hook", "--policy", "/etc/govern/policy.json"]},
      {"type": "command", "command": "/opt/sec/notify.sh"}
    ]}]
  }
}`

// TestMergeReplacesGovernsHook: govern's hook already in the settings is
// replaced, not run twice; the administrator's handlers stay.
func TestMergeReplacesGovernsHook(t *testing.T) {
	t.Parallel()
	s, _ := Render(&policy.File{}, testHook) // auditLevel standard: no Notification
	out, err := Merge([]byte(mdmSettings), s)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Hooks map[string][]struct {
			Matcher string
			Hooks   []json.RawMessage
		}
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	want := append([]string{testHook.Bin}, testHook.Args()...)
	for _, ev := range Events {
		var found [][]string
		for _, g := range got.Hooks[ev] {
			for _, h := range g.Hooks {
				if hc, ok := governHandler(h); ok {
					found = append(found, hc.argv)
				}
			}
		}
		if len(found) != 1 || !slices.Equal(found[0], want) {
			t.Errorf("govern's hook on %s: %q, want once %q", ev, found, want)
		}
	}
	if n := got.Hooks["Notification"]; len(n) != 1 || len(n[0].Hooks) != 1 || !strings.Contains(string(n[0].Hooks[0]), "/opt/sec/notify.sh") {
		t.Errorf("Notification: %s; want the administrator's handler alone", out)
	}
	if again, err := Merge(out, s); err != nil || string(again) != string(out) {
		t.Errorf("merging again: %v\n%s", err, again)
	}
}

// TestUnwire takes govern's hook out of settings for uninstall, and leaves
// settings without it as they are, byte for byte.
func TestUnwire(t *testing.T) {
	t.Parallel()
	for _, base := range []string{adminSettings, `{"a":1}`, `not json`, `{"hooks": {"Stop": []}}`, ``} {
		if got := Unwire([]byte(base)); string(got) != base {
			t.Errorf("Unwire(%s) = %s, want it unchanged", base, got)
		}
	}
	want := `{
  "model": "opus",
  "hooks": {
    "Notification": [
      {
        "hooks": [
          {
            "type": "command",
            "command": "/opt/sec/notify.sh"
          }
        ]
      }
    ]
  }
}
`
	if got := string(Unwire([]byte(mdmSettings))); got != want {
		t.Errorf("Unwire(mdmSettings) = %s, want %s", got, want)
	}
	if got := string(Unwire([]byte(`{"hooks": {"SessionEnd": [{"hooks": [{"type": "command", "command": "/bin/govern", "args": ["hook"]}]}]}, "z": 1}`))); got != "{\n  \"z\": 1\n}\n" {
		t.Errorf("Unwire of govern's hook alone = %s", got)
	}
}
