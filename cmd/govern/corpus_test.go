package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/govern-dev/govern/internal/audit"
	"github.com/govern-dev/govern/internal/corpus"
	"github.com/govern-dev/govern/internal/sqlite"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// builtGovern builds the real binary once per test run.
func builtGovern(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "govern-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "govern")
		out, err := goBuild(binPath, ".")
		if err != nil {
			buildErr = &buildError{out}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// goBuild builds as govern ships: without cgo, a static binary, which
// starts about a millisecond sooner than one linked against libc.
func goBuild(out, pkg string) ([]byte, error) {
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	return cmd.CombinedOutput()
}

type buildError struct{ out []byte }

func (e *buildError) Error() string { return "go build: " + string(e.out) }

// TestCorpusThroughHook runs every corpus case through the built `govern
// hook` binary, as Claude Code would: the event on stdin, the answer on
// stdout, the exit code.
func TestCorpusThroughHook(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end corpus run skipped in -short mode")
	}
	bin := builtGovern(t)
	cases, err := corpus.Load("../../testdata/corpus")
	if err != nil {
		t.Fatal(err)
	}
	auditDB := filepath.Join(t.TempDir(), "audit.db")
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for _, c := range cases {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			got, detail := runHookBinary(t, bin, auditDB, &c)
			if got != c.Expect {
				t.Errorf("%s %s: %s %s: hook answered %s, want %s\n%s", c.Pos, c.Name, c.Tool, c.Input, got, c.Expect, detail)
			}
		}()
	}
	wg.Wait()

	// Every decision was recorded, by concurrent hook processes, in one
	// intact chain.
	store, err := sqlite.Open(t.Context(), auditDB)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	rep, err := audit.Verify(t.Context(), store, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Problem != nil || rep.Records != int64(len(cases)) {
		t.Errorf("audit trail: %d records for %d decisions, problem %v", rep.Records, len(cases), rep.Problem)
	}
}

// runHookBinary returns the outcome the hook's answer means to Claude Code.
func runHookBinary(t *testing.T, bin, auditDB string, c *corpus.Case) (string, string) {
	policy, err := filepath.Abs(c.PolicyFile("../../testdata"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "hook", "--policy", policy)
	cmd.Env = append(os.Environ(), "HOME="+corpus.Home, "CLAUDE_PROJECT_DIR="+corpus.ProjectDir, "GOVERN_TEAM=", "GOVERN_AUDIT="+auditDB)
	cmd.Stdin = bytes.NewReader(c.Event())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	detail := "stdout: " + stdout.String() + "\nstderr: " + stderr.String()
	code := cmd.ProcessState.ExitCode()
	switch {
	case code == 2:
		return "deny", detail // exit 2 blocks the call
	case err != nil:
		return "error: " + err.Error(), detail
	case stdout.Len() == 0:
		return "none", detail
	}
	var ans struct {
		HookSpecificOutput struct {
			HookEventName            string `json:"hookEventName"`
			PermissionDecision       string `json:"permissionDecision"`
			PermissionDecisionReason string `json:"permissionDecisionReason"`
		} `json:"hookSpecificOutput"`
	}
	dec := json.NewDecoder(&stdout)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ans); err != nil || dec.More() || ans.HookSpecificOutput.HookEventName != "PreToolUse" {
		return "malformed answer", detail
	}
	return ans.HookSpecificOutput.PermissionDecision, detail
}
