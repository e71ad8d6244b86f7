package install

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/govern-dev/govern/internal/policy"
)

var linux = LayoutFor("linux")

// machine is a root directory standing in for a machine.
type machine struct {
	t    *testing.T
	root string
}

func newMachine(t *testing.T) *machine { return &machine{t: t, root: t.TempDir()} }

func (m *machine) path(p string) string { return filepath.Join(m.root, p) }

func (m *machine) write(p, content string) {
	m.t.Helper()
	if err := os.MkdirAll(filepath.Dir(m.path(p)), 0o755); err != nil {
		m.t.Fatal(err)
	}
	if err := os.WriteFile(m.path(p), []byte(content), 0o644); err != nil {
		m.t.Fatal(err)
	}
}

func (m *machine) read(p string) string {
	m.t.Helper()
	b, err := os.ReadFile(m.path(p))
	if err != nil {
		m.t.Fatal(err)
	}
	return string(b)
}

func (m *machine) exists(p string) bool {
	_, err := os.Stat(m.path(p))
	return !errors.Is(err, fs.ErrNotExist)
}

// policyFile writes a policy outside the root and returns its path.
func (m *machine) policyFile(name, content string) string {
	p := filepath.Join(m.t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		m.t.Fatal(err)
	}
	return p
}

func (m *machine) install(policyPath string, force bool) (Plan, error) {
	m.t.Helper()
	plan, _, err := Install(Options{Root: m.root, Layout: linux, Policy: policyPath, Bin: "/usr/local/bin/govern", Force: force})
	if err != nil {
		return nil, err
	}
	if err := plan.Apply(&bytes.Buffer{}); err != nil {
		m.t.Fatal(err)
	}
	return plan, nil
}

func (m *machine) uninstall(force bool) error {
	m.t.Helper()
	plan, err := Uninstall(m.root, linux, force)
	if err != nil {
		return err
	}
	if err := plan.Apply(&bytes.Buffer{}); err != nil {
		m.t.Fatal(err)
	}
	return nil
}

func (m *machine) deny() []string {
	m.t.Helper()
	var s struct{ Permissions struct{ Deny []string } }
	if err := json.Unmarshal([]byte(m.read(linux.Settings)), &s); err != nil {
		m.t.Fatal(err)
	}
	return s.Permissions.Deny
}

const (
	policyA = `{"permissions": {"denyList": ["Bash(*curl*)"]}}`
	policyB = `{"permissions": {"denyList": ["Bash(*wget*)"]}}`
)

// TestInstallLifecycle installs onto an administrator's settings,
// re-installs a changed policy, refuses to overwrite the administrator's
// later edits without --force, and uninstalls back to the original.
func TestInstallLifecycle(t *testing.T) {
	t.Parallel()
	m := newMachine(t)
	m.write(linux.Settings, adminSettings)
	a, b := m.policyFile("a.json", policyA), m.policyFile("b.json", policyB)

	if _, err := m.install(a, false); err != nil {
		t.Fatal(err)
	}
	if got := m.read(linux.Settings + BackupSuffix); got != adminSettings {
		t.Errorf("backup = %s, want the administrator's settings", got)
	}
	if got := m.read(linux.Policy); got != policyA {
		t.Errorf("installed policy = %s", got)
	}
	want := []string{"Bash(rm -rf /)", "Edit(.env*)", "Bash(*curl*)"}
	if got := m.deny(); !slices.Equal(got, want) {
		t.Errorf("deny = %q, want %q", got, want)
	}
	for _, p := range []string{linux.Settings, linux.Settings + BackupSuffix, linux.Policy, linux.Record} {
		if fi, err := os.Stat(m.path(p)); err != nil || fi.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, %v; want 0644", p, fi.Mode(), err)
		}
	}
	if fi, err := os.Stat(m.path("/etc/govern")); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("/etc/govern: %v, %v; want 0755", fi.Mode(), err)
	}

	// A new policy replaces the old one's rules instead of piling up.
	if _, err := m.install(b, false); err != nil {
		t.Fatal(err)
	}
	want = []string{"Bash(rm -rf /)", "Edit(.env*)", "Bash(*wget*)"}
	if got := m.deny(); !slices.Equal(got, want) {
		t.Errorf("after re-install deny = %q, want %q", got, want)
	}
	if got := m.read(linux.Settings + BackupSuffix); got != adminSettings {
		t.Errorf("re-install changed the backup: %s", got)
	}

	// The same policy again changes nothing.
	if plan, err := m.install(b, false); err != nil || len(plan) != 0 {
		t.Errorf("re-install of the same policy: plan %+v, %v", plan, err)
	}

	// The administrator edits the installed file: re-install refuses...
	edited := strings.Replace(m.read(linux.Settings), `"opus"`, `"sonnet"`, 1)
	m.write(linux.Settings, edited)
	if _, err := m.install(a, false); err == nil || !strings.Contains(err.Error(), "changed since govern wrote it") {
		t.Fatalf("install over an edited file: %v", err)
	}
	if got := m.read(linux.Settings); got != edited {
		t.Fatal("a refused install changed the file")
	}
	// ... and so does uninstall, unless forced; forcing keeps the edit.
	if err := m.uninstall(false); err == nil || !strings.Contains(err.Error(), "changed since govern wrote it") {
		t.Fatalf("uninstall of an edited file: %v", err)
	}
	if _, err := m.install(a, true); err != nil {
		t.Fatal(err)
	}
	if got := m.read(linux.Settings + EditedSuffix); got != edited {
		t.Errorf("forced install did not keep the edited file: %s", got)
	}

	if err := m.uninstall(false); err != nil {
		t.Fatal(err)
	}
	if got := m.read(linux.Settings); got != adminSettings {
		t.Errorf("after uninstall settings = %s, want the administrator's", got)
	}
	for _, p := range []string{linux.Settings + BackupSuffix, linux.Policy, linux.Record} {
		if m.exists(p) {
			t.Errorf("after uninstall %s is still there", p)
		}
	}
}

// TestUninstallFresh: what govern created, uninstall removes; a policy that
// was there before govern comes back.
func TestUninstallFresh(t *testing.T) {
	t.Parallel()
	m := newMachine(t)
	m.write(linux.Policy, policyB) // the administrator's own, before govern
	if _, err := m.install(m.policyFile("a.json", policyA), false); err != nil {
		t.Fatal(err)
	}
	if m.exists(linux.Settings+BackupSuffix) || !m.exists(linux.Policy+BackupSuffix) {
		t.Error("backups: want one of the policy only")
	}
	if err := m.uninstall(false); err != nil {
		t.Fatal(err)
	}
	if m.exists(linux.Settings) || m.exists(linux.Record) || m.exists(linux.Policy+BackupSuffix) {
		t.Error("uninstall left files govern created")
	}
	if got := m.read(linux.Policy); got != policyB {
		t.Errorf("policy after uninstall = %s, want the one from before govern", got)
	}
	if err := m.uninstall(false); err == nil || !strings.Contains(err.Error(), "govern is not installed here") {
		t.Errorf("second uninstall: %v", err)
	}
}

// TestUninstallMissingBackup never guesses what the file held before.
func TestUninstallMissingBackup(t *testing.T) {
	t.Parallel()
	m := newMachine(t)
	m.write(linux.Settings, adminSettings)
	if _, err := m.install(m.policyFile("a.json", policyA), false); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(m.path(linux.Settings + BackupSuffix)); err != nil {
		t.Fatal(err)
	}
	if err := m.uninstall(false); err == nil || !strings.Contains(err.Error(), "which is missing") {
		t.Fatalf("uninstall without the backup: %v", err)
	}
	if !m.exists(linux.Settings) {
		t.Fatal("a refused uninstall removed the settings")
	}
}

// TestInstallDryRun writes nothing and shows the diff.
func TestInstallDryRun(t *testing.T) {
	t.Parallel()
	m := newMachine(t)
	m.write(linux.Settings, "{\"model\": \"opus\"}\n")
	plan, _, err := Install(Options{Root: m.root, Layout: linux, Policy: m.policyFile("a.json", policyA), Bin: "/usr/local/bin/govern"})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := plan.Diff(&out); err != nil {
		t.Fatal(err)
	}
	settings, pol := m.path(linux.Settings), m.path(linux.Policy)
	for _, want := range []string{
		"would write " + settings + BackupSuffix + " (as it was before govern)\n",
		"--- /dev/null\n+++ " + pol + "\n@@ -0,0 +1 @@\n+" + policyA + "\n",
		"--- " + settings + "\n+++ " + settings + "\n@@ -1 +1,111 @@\n-{\"model\": \"opus\"}\n+{\n+  \"model\": \"opus\",\n+  \"permissions\": {\n+    \"deny\": [\n+      \"Bash(*curl*)\"\n",
		"would write " + m.path(linux.Record) + " (the install record)\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out.String())
		}
	}
	if m.exists(linux.Policy) || m.exists(linux.Record) || m.read(linux.Settings) != "{\"model\": \"opus\"}\n" {
		t.Error("the dry run wrote files")
	}
}

func TestInstallRefusesInvalidPolicy(t *testing.T) {
	t.Parallel()
	m := newMachine(t)
	_, _, err := Install(Options{Root: m.root, Layout: linux, Policy: m.policyFile("bad.json", `{"permissions": {"denyList": ["Bsh(x)"]}}`), Bin: "/usr/local/bin/govern"})
	var ps policy.Problems
	if !errors.As(err, &ps) || len(ps) != 1 || !strings.Contains(ps[0].Msg, `unknown tool "Bsh"`) {
		t.Errorf("Install of an invalid policy: %v", err)
	}
	if _, _, err := Install(Options{Root: m.root, Layout: linux, Policy: m.policyFile("a.json", policyA), Bin: "govern"}); err == nil {
		t.Error("Install with a relative --bin succeeded")
	}
	if m.exists("/etc") {
		t.Error("a refused install wrote files")
	}
}

// TestInstallEditedPolicy: an installed policy edited in place is not
// replaced by another without --force, but installing the edited file
// itself is what the administrator means.
func TestInstallEditedPolicy(t *testing.T) {
	t.Parallel()
	m := newMachine(t)
	if _, err := m.install(m.policyFile("a.json", policyA), false); err != nil {
		t.Fatal(err)
	}
	m.write(linux.Policy, policyB)
	if _, err := m.install(m.policyFile("a.json", policyA), false); err == nil || !strings.Contains(err.Error(), "policy.json changed since govern wrote it: rerun with --force") {
		t.Fatalf("install over an edited policy: %v", err)
	}
	if _, err := m.install(m.path(linux.Policy), false); err != nil {
		t.Fatalf("install of the edited policy in place: %v", err)
	}
	if got := m.deny(); !slices.Contains(got, "Bash(*wget*)") || slices.Contains(got, "Bash(*curl*)") {
		t.Errorf("deny = %q, want the edited policy's", got)
	}
}

func (m *machine) mode(p string) os.FileMode {
	m.t.Helper()
	fi, err := os.Stat(m.path(p))
	if err != nil {
		m.t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// TestInstallOverGovernsHook: settings that already wire govern's hook
// (shipped by MDM, with no install record) end up with govern's hook once,
// and uninstall leaves none of it behind: with the policy gone, it would
// block every call.
func TestInstallOverGovernsHook(t *testing.T) {
	t.Parallel()
	m := newMachine(t)
	m.write(linux.Settings, mdmSettings)
	if _, err := m.install(m.policyFile("a.json", policyA), false); err != nil {
		t.Fatal(err)
	}
	got := m.read(linux.Settings)
	for _, old := range []string{"/usr/bin/govern", "/opt/govern/govern"} {
		if strings.Contains(got, old) {
			t.Errorf("installed settings still run %s:\n%s", old, got)
		}
	}
	if n := strings.Count(got, `"command": "/usr/local/bin/govern"`); n != len(Events) {
		t.Errorf("govern's hook is wired %d times, want once on each of %d events:\n%s", n, len(Events), got)
	}
	if !strings.Contains(got, "/opt/sec/notify.sh") {
		t.Errorf("the administrator's Notification hook is gone:\n%s", got)
	}
	if err := m.uninstall(false); err != nil {
		t.Fatal(err)
	}
	if got := m.read(linux.Settings); strings.Contains(got, "govern") || !strings.Contains(got, "/opt/sec/notify.sh") || !strings.Contains(got, `"model": "opus"`) {
		t.Errorf("after uninstall the settings are:\n%s\nwant the administrator's, without govern's hook", got)
	}
	if m.exists(linux.Policy) {
		t.Error("uninstall left the policy")
	}
}

// TestInstallForceMissingBackup: with the backup gone, --force merges onto
// the file as found rather than onto nothing, keeps it as the new backup,
// and keeps an edited file as .govern-edited.
func TestInstallForceMissingBackup(t *testing.T) {
	t.Parallel()
	m := newMachine(t)
	m.write(linux.Settings, adminSettings)
	if _, err := m.install(m.policyFile("a.json", policyA), false); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(m.path(linux.Settings + BackupSuffix)); err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(m.read(linux.Settings), `"opus"`, `"sonnet"`, 1)
	m.write(linux.Settings, edited)
	b := m.policyFile("b.json", policyB)
	if _, err := m.install(b, false); err == nil || !strings.Contains(err.Error(), "which is missing") {
		t.Fatalf("install without the backup: %v", err)
	}
	if _, err := m.install(b, true); err != nil {
		t.Fatal(err)
	}
	got := m.read(linux.Settings)
	for _, want := range []string{`"model": "sonnet"`, `"Bash(rm -rf /)"`, `"Bash(*wget*)"`, `"HTTPS_PROXY": "http://proxy:3128"`, "/opt/sec/check.sh"} {
		if !strings.Contains(got, want) {
			t.Errorf("settings after a forced install lack %s:\n%s", want, got)
		}
	}
	if n := strings.Count(got, `"command": "/usr/local/bin/govern"`); n != len(Events) {
		t.Errorf("govern's hook is wired %d times, want once on each of %d events:\n%s", n, len(Events), got)
	}
	if got := m.read(linux.Settings + EditedSuffix); got != edited {
		t.Errorf("the edited file was not kept: %s", got)
	}
	if got := m.read(linux.Settings + BackupSuffix); got != edited {
		t.Errorf("new backup = %s, want the file as found", got)
	}
	if err := m.uninstall(false); err != nil {
		t.Fatal(err)
	}
	if got := m.read(linux.Settings); strings.Contains(got, "/usr/local/bin/govern") || !strings.Contains(got, `"model": "sonnet"`) {
		t.Errorf("after uninstall the settings are:\n%s\nwant the file as found, without govern's hook", got)
	}
}

// TestInstallKeepsModes: copies of a file keep its permissions, which may
// keep secrets in "env" from the developers; the installed settings are
// readable by all, as Claude Code runs as the developer.
func TestInstallKeepsModes(t *testing.T) {
	t.Parallel()
	m := newMachine(t)
	m.write(linux.Settings, adminSettings)
	if err := os.Chmod(m.path(linux.Settings), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := m.install(m.policyFile("a.json", policyA), false); err != nil {
		t.Fatal(err)
	}
	if got := m.mode(linux.Settings + BackupSuffix); got != 0o600 {
		t.Errorf("backup mode %v, want 0600 as the original", got)
	}
	if got := m.mode(linux.Settings); got != 0o644 {
		t.Errorf("installed settings mode %v, want 0644", got)
	}

	m.write(linux.Settings, strings.Replace(m.read(linux.Settings), `"opus"`, `"sonnet"`, 1))
	if err := os.Chmod(m.path(linux.Settings), 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := m.install(m.policyFile("b.json", policyB), true); err != nil {
		t.Fatal(err)
	}
	if got := m.mode(linux.Settings + EditedSuffix); got != 0o640 {
		t.Errorf("edited copy mode %v, want 0640 as the edited file", got)
	}

	if err := m.uninstall(false); err != nil {
		t.Fatal(err)
	}
	if got := m.read(linux.Settings); got != adminSettings {
		t.Errorf("after uninstall settings = %s", got)
	}
	if got := m.mode(linux.Settings); got != 0o600 {
		t.Errorf("restored settings mode %v, want 0600 as before govern", got)
	}
}

// TestInstallBinName: install, uninstall and doctor recognise govern's
// hook by its binary's name.
func TestInstallBinName(t *testing.T) {
	t.Parallel()
	m := newMachine(t)
	_, _, err := Install(Options{Root: m.root, Layout: linux, Policy: m.policyFile("a.json", policyA), Bin: "/opt/bin/governor"})
	if err == nil || !strings.Contains(err.Error(), `the hook's binary must be named govern (govern.exe on Windows), not "governor"`) {
		t.Errorf("Install of /opt/bin/governor: %v", err)
	}
}
