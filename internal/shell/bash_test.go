package shell

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestNamesAgreeWithBash runs the case tables through a real bash, traced
// with set -x, and checks that every command bash tries to run is among the
// names Analyze reports. Nothing can run: bash is restricted (-r: no names
// with slashes, no output redirections), PATH points to an empty directory so
// every external command fails "not found" after it is traced, and cases
// that use builtins with side effects, or loop, are skipped.
func TestNamesAgreeWithBash(t *testing.T) {
	if testing.Short() {
		t.Skip("runs bash")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	unsafe := []string{"kill", "trap", "exec", "enable", "ulimit", "source", "while", "until", "watch", "select", "read", "coproc", "wait"}
	checked, traced := 0, 0
	type namedCase struct{ name, src string }
	var all []namedCase
	for _, tc := range commandCases {
		all = append(all, namedCase{tc.name, tc.src})
	}
	for _, tc := range writeCases {
		all = append(all, namedCase{tc.name, tc.src})
	}
	for _, tc := range findingCases {
		all = append(all, namedCase{tc.name, tc.src})
	}
cases:
	for _, tc := range all {
		for _, u := range unsafe {
			if strings.Contains(tc.src, u) {
				continue cases
			}
		}
		a, err := Analyze(tc.src)
		if err != nil {
			t.Fatalf("Analyze(%q): %v", tc.src, err)
		}
		ours := map[string]bool{}
		dynamic := false // a name known only at run time may be anything
		for _, c := range a.Commands {
			ours[c.Name] = true
			dynamic = dynamic || c.Name == ""
			if c.Name == "kill" || c.Name == "trap" || c.Name == "exec" {
				continue cases
			}
		}
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		cmd := exec.CommandContext(ctx, bash, "--norc", "--noprofile", "-r", "-c", "set -x\n"+tc.src)
		cmd.Dir = dir
		cmd.Env = []string{"PATH=" + empty, "HOME=" + dir, "PS4=+ "}
		out, _ := cmd.CombinedOutput()
		cancel()
		for _, line := range strings.Split(string(out), "\n") {
			trace, ok := strings.CutPrefix(strings.TrimLeft(line, "+"), " ")
			if !ok || !strings.HasPrefix(line, "+") {
				continue
			}
			name, _, _ := strings.Cut(trace, " ")
			name = strings.Trim(name, "'")
			if name == "" || strings.Contains(name, "=") || name == "[[" || name == "((" || name == "for" || name == "case" || name == "set" {
				continue
			}
			traced++
			if !ours[programName(name)] && !dynamic {
				t.Errorf("%s: bash ran %q, Analyze(%q) reported %v", tc.name, name, tc.src, renderAll(a))
			}
		}
		checked++
	}
	t.Logf("%d cases checked against bash, %d traced commands", checked, traced)
	if traced < checked {
		t.Errorf("only %d commands traced in %d cases: is set -x output parsed?", traced, checked)
	}
}
