package install

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
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
	if len(got.Hooks["Stop"]) != 1 || len(got.Hooks["SessionEnd"]) != 1 {
		t.Errorf("Stop, SessionEnd groups: %+v", got.Hooks)
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
