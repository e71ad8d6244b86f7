package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/claude"
	"github.com/govern-dev/govern/internal/policy"
)

// TestResult is the outcome of one of a policy's own test cases.
type TestResult struct {
	Name string
	Got  govern.Decision
	Want policy.Expect
	Err  error // the event could not be decided at all
}

// Pass reports whether the decision is what the case expects.
func (r *TestResult) Pass() bool {
	return r.Err == nil && string(r.Got.Outcome) == r.Want.Outcome &&
		(r.Want.Rule == "" || r.Got.Rule == r.Want.Rule) &&
		(r.Want.Layer == "" || r.Got.Layer == r.Want.Layer)
}

// String describes the result in one line.
func (r *TestResult) String() string {
	switch {
	case r.Err != nil:
		return fmt.Sprintf("FAIL %s: %v", r.Name, r.Err)
	case r.Pass():
		return "ok   " + r.Name
	}
	want := r.Want.Outcome
	if r.Want.Rule != "" {
		want += " by " + r.Want.Rule
	}
	if r.Want.Layer != "" {
		want += " (" + r.Want.Layer + ")"
	}
	return fmt.Sprintf("FAIL %s: got %s by %q (%s): %s; want %s", r.Name, r.Got.Outcome, r.Got.Rule, r.Got.Layer, r.Got.Reason, want)
}

// TestUser is who a policy test case asks as, unless it names a user; a
// user's home directory is /home/<user>, and the project root is the
// event's cwd.
const TestUser = "policy-test"

// RunTests decides each of the policy's own test cases (the policy file's
// "tests"), like `opa test`.
func (e *Engine) RunTests(ctx context.Context, now time.Time) []TestResult {
	cases := e.policy.File.Tests
	out := make([]TestResult, 0, len(cases))
	for _, tc := range cases {
		r := TestResult{Name: tc.Name, Want: tc.Expect}
		ev, err := claude.DecodeEvent(tc.Event)
		switch {
		case err != nil:
			r.Err = err
		case !ev.ToolEvent():
			r.Err = fmt.Errorf("%s is not a tool event; tests decide tool calls", ev.HookEventName)
		default:
			req := ev.Request()
			req.Time = now
			req.Actor.User = tc.User
			if req.Actor.User == "" {
				req.Actor.User = TestUser
			}
			req.Actor.Team = e.policy.Team(req.Actor.User, tc.Team)
			req.HomeDir = "/home/" + req.Actor.User
			req.ProjectDir = ev.Cwd
			r.Got = e.Decide(ctx, &req)
		}
		out = append(out, r)
	}
	return out
}
