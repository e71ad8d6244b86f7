package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInstallExitCodes pins the exit codes of install, uninstall and
// doctor: 2 for a usage error, 1 for a refusal or a failed check, 0
// otherwise. (The scripts check what they print.)
func TestInstallExitCodes(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("GOVERN_AUDIT", filepath.Join(dir, "audit.db"))
	t.Setenv("GOVERNANCE_API_URL", "")
	t.Setenv("PATH", dir) // no claude: a warning, not a failure
	write := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.json", `{"permissions": {"denyList": ["Bash(*sudo*)"]}}`, 0o644)
	bad := write("bad.json", `{"permissions": {"denyList": ["Bsh"]}}`, 0o644)
	// A hook that reads the event and has no opinion, named govern as
	// install wants.
	if err := os.Mkdir(filepath.Join(dir, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	hook := write("bin/govern", "#!/bin/sh\nexec /bin/cat >/dev/null\n", 0o755)
	root := filepath.Join(dir, "root")

	steps := []struct {
		args []string
		want int
	}{
		{[]string{"install", "--root", root}, 2},
		{[]string{"install", "--root", root, "--policy", good, "extra"}, 2},
		{[]string{"install", "--root", root, "--policy", bad, "--bin", hook}, 1},
		{[]string{"uninstall", "--root", root}, 1},
		{[]string{"doctor", "--root", root}, 1},
		{[]string{"install", "--root", root, "--policy", good, "--bin", hook, "--dry-run"}, 0},
		{[]string{"doctor", "--root", root}, 1},
		{[]string{"install", "--root", root, "--policy", good, "--bin", hook}, 0},
		{[]string{"doctor", "--root", root}, 0},
		{[]string{"doctor", "--root", root, "extra"}, 2},
		{[]string{"uninstall", "--root", root, "--nope"}, 2},
		{[]string{"uninstall", "--root", root}, 0},
		{[]string{"doctor", "--root", root}, 1},
	}
	for _, s := range steps {
		var stdout, stderr bytes.Buffer
		if got := run(s.args, strings.NewReader(""), &stdout, &stderr); got != s.want {
			t.Fatalf("govern %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(s.args, " "), got, s.want, &stdout, &stderr)
		}
	}
}
