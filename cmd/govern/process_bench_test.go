package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// BenchmarkHookProcess measures `govern hook` as Claude Code runs it, a
// whole process per event, against a trivial Go binary that only reads the
// same stdin, interleaved in one run so both see the same machine. It
// reports both medians and their ratio. The seed policy limits sessions,
// so each call also reads the session registry in the SQLite database;
// without-sessions is the same policy without those limits, where the
// hook's record goes to the spool and the database stays closed.
func BenchmarkHookProcess(b *testing.B) {
	bin := builtGovern(b)
	trivial := filepath.Join(b.TempDir(), "trivial")
	if out, err := goBuild(trivial, "./testdata/trivial"); err != nil {
		b.Fatalf("build trivial: %v\n%s", err, out)
	}
	seed, _ := filepath.Abs("../../testdata/policies/seed.json")
	unlimited := withoutSessionLimits(b, seed)
	event := []byte(`{"session_id":"s","cwd":"/home/dev/proj","permission_mode":"default","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"git status && npm run test -- --watch=false"},"tool_use_id":"t"}`)
	for _, bc := range []struct{ name, policy string }{{"seed", seed}, {"without-sessions", unlimited}} {
		b.Run(bc.name, func(b *testing.B) {
			auditDB := filepath.Join(b.TempDir(), "audit.db")
			run := func(name string, args ...string) time.Duration {
				cmd := exec.Command(name, args...)
				cmd.Env = []string{"HOME=/home/dev", "CLAUDE_PROJECT_DIR=/home/dev/proj", "PATH=/usr/bin:/bin", "GOVERN_AUDIT=" + auditDB}
				cmd.Stdin = bytes.NewReader(event)
				var out bytes.Buffer
				cmd.Stdout = &out
				start := time.Now()
				if err := cmd.Run(); err != nil {
					b.Fatalf("%s: %v", name, err)
				}
				return time.Since(start)
			}
			var hook, base []time.Duration
			for b.Loop() {
				hook = append(hook, run(bin, "hook", "--policy", bc.policy))
				base = append(base, run(trivial))
			}
			slices.Sort(hook)
			slices.Sort(base)
			h, t := hook[len(hook)/2], base[len(base)/2]
			b.ReportMetric(float64(h.Microseconds()), "hook-µs")
			b.ReportMetric(float64(t.Microseconds()), "trivial-µs")
			b.ReportMetric(float64(h)/float64(t), "ratio")
		})
	}
}

// withoutSessionLimits writes a copy of the policy at path without
// maxConcurrentSessions and sessionTimeout, and returns its path.
func withoutSessionLimits(b *testing.B, path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	var p map[string]any
	if err := json.Unmarshal(data, &p); err != nil {
		b.Fatal(err)
	}
	set, _ := p["settings"].(map[string]any)
	if _, ok := set["maxConcurrentSessions"]; !ok {
		b.Fatalf("%s: no settings.maxConcurrentSessions to take out", path)
	}
	delete(set, "maxConcurrentSessions")
	delete(set, "sessionTimeout")
	out := filepath.Join(b.TempDir(), "policy.json")
	data, _ = json.Marshal(p)
	if err := os.WriteFile(out, data, 0o644); err != nil {
		b.Fatal(err)
	}
	return out
}
