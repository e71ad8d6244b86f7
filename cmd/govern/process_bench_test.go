package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// BenchmarkHookProcess measures `govern hook` as Claude Code runs it, a
// whole process per event, against a trivial Go binary that only reads the
// same stdin, interleaved in one run so both see the same machine. It
// reports both medians and their ratio.
func BenchmarkHookProcess(b *testing.B) {
	bin := builtGovern(b)
	trivial := filepath.Join(b.TempDir(), "trivial")
	if out, err := goBuild(trivial, "./testdata/trivial"); err != nil {
		b.Fatalf("build trivial: %v\n%s", err, out)
	}
	policy, _ := filepath.Abs("../../testdata/policies/seed.json")
	auditDB := filepath.Join(b.TempDir(), "audit.db")
	event := []byte(`{"session_id":"s","cwd":"/home/dev/proj","permission_mode":"default","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"git status && npm run test -- --watch=false"},"tool_use_id":"t"}`)
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
	b.ResetTimer()
	for b.Loop() {
		hook = append(hook, run(bin, "hook", "--policy", policy))
		base = append(base, run(trivial))
	}
	b.StopTimer()
	slices.Sort(hook)
	slices.Sort(base)
	h, t := hook[len(hook)/2], base[len(base)/2]
	b.ReportMetric(float64(h.Microseconds()), "hook-µs")
	b.ReportMetric(float64(t.Microseconds()), "trivial-µs")
	b.ReportMetric(float64(h)/float64(t), "ratio")
}
