package claude

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// ToolResult is what a PostToolUse or PostToolUseFailure event says a call
// did.
type ToolResult struct {
	Status   string        // "succeeded", "failed" or "interrupted"
	ExitCode *int          // a shell command's exit status, when known
	Duration time.Duration // 0 when Claude Code did not say
	// Output is what the call produced: a shell command's stdout and
	// stderr, another tool's response as JSON, a failure's error text.
	Output string
}

// bashResponse is the tool_response of a Bash or PowerShell call.
type bashResponse struct {
	Stdout      string `json:"stdout"`
	Stderr      string `json:"stderr"`
	Interrupted bool   `json:"interrupted"`
}

// Result reads what the call of a PostToolUse or PostToolUseFailure event
// did. Fields it cannot read stay zero: a post-event is recorded, never
// refused.
func (e *Event) Result() ToolResult {
	r := ToolResult{Status: "succeeded", Duration: time.Duration(e.DurationMS) * time.Millisecond}
	shell := e.ToolName == "Bash" || e.ToolName == "PowerShell"
	if e.HookEventName == "PostToolUseFailure" {
		r.Status, r.Output = "failed", e.Error
		if e.IsInterrupt {
			r.Status = "interrupted"
		}
		// Bash failures read "Exit code N" and then the output.
		if rest, ok := strings.CutPrefix(e.Error, "Exit code "); ok && shell {
			num, _, _ := strings.Cut(rest, "\n")
			if n, err := strconv.Atoi(strings.TrimSpace(num)); err == nil {
				r.ExitCode = &n
			}
		}
		return r
	}
	resp := bytes.TrimSpace(e.ToolResponse)
	if shell && len(resp) > 0 && resp[0] == '{' {
		var b bashResponse
		if json.Unmarshal(resp, &b) == nil {
			zero := 0
			r.ExitCode = &zero // PostToolUse fires when the command succeeded
			if b.Interrupted {
				r.Status, r.ExitCode = "interrupted", nil
			}
			r.Output = b.Stdout
			if b.Stderr != "" {
				if r.Output != "" && !strings.HasSuffix(r.Output, "\n") {
					r.Output += "\n"
				}
				r.Output += b.Stderr
			}
			return r
		}
	}
	var text string
	if json.Unmarshal(resp, &text) == nil {
		r.Output = text // a tool that answered with a string
	} else {
		r.Output = string(resp)
	}
	return r
}

// commonFields are the members every event carries; Fields leaves them out.
var commonFields = []string{"session_id", "transcript_path", "cwd", "prompt_id", "permission_mode", "effort",
	"hook_event_name", "agent_id", "agent_type"}

// Fields returns the event's own members, without those every event
// carries (session, transcript, cwd, …): what a record of the event keeps.
func (e *Event) Fields() json.RawMessage {
	var m map[string]json.RawMessage
	if json.Unmarshal(e.Raw, &m) != nil {
		return nil
	}
	for _, k := range commonFields {
		delete(m, k)
	}
	if len(m) == 0 {
		return nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil
	}
	return b
}
