package claude

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestResult(t *testing.T) {
	zero, one, two := 0, 1, 2
	tests := []struct {
		name  string
		event string
		want  ToolResult
	}{
		{"bash succeeded",
			`{"hook_event_name":"PostToolUse","tool_name":"Bash","tool_input":{"command":"echo hi"},"tool_response":{"stdout":"hi","stderr":"warn","interrupted":false,"isImage":false},"duration_ms":61}`,
			ToolResult{Status: "succeeded", ExitCode: &zero, Duration: 61 * time.Millisecond, Output: "hi\nwarn"}},
		{"bash interrupted",
			`{"hook_event_name":"PostToolUse","tool_name":"Bash","tool_input":{},"tool_response":{"stdout":"partial","interrupted":true}}`,
			ToolResult{Status: "interrupted", Output: "partial"}},
		{"bash failed with an exit code",
			`{"hook_event_name":"PostToolUseFailure","tool_name":"Bash","tool_input":{},"error":"Exit code 2\nno such file","duration_ms":5}`,
			ToolResult{Status: "failed", ExitCode: &two, Duration: 5 * time.Millisecond, Output: "Exit code 2\nno such file"}},
		{"powershell failed",
			`{"hook_event_name":"PostToolUseFailure","tool_name":"PowerShell","tool_input":{},"error":"Exit code 1"}`,
			ToolResult{Status: "failed", ExitCode: &one, Output: "Exit code 1"}},
		{"interrupted failure",
			`{"hook_event_name":"PostToolUseFailure","tool_name":"Bash","tool_input":{},"error":"Interrupted by user","is_interrupt":true}`,
			ToolResult{Status: "interrupted", Output: "Interrupted by user"}},
		{"another tool's failure has no exit code",
			`{"hook_event_name":"PostToolUseFailure","tool_name":"Read","tool_input":{},"error":"Exit code 3"}`,
			ToolResult{Status: "failed", Output: "Exit code 3"}},
		{"a structured response is kept as JSON",
			`{"hook_event_name":"PostToolUse","tool_name":"Write","tool_input":{},"tool_response":{"type":"create","filePath":"/p/a.go"}}`,
			ToolResult{Status: "succeeded", Output: `{"type":"create","filePath":"/p/a.go"}`}},
		{"a string response is its text",
			`{"hook_event_name":"PostToolUse","tool_name":"mcp__x__y","tool_input":{},"tool_response":"done\n"}`,
			ToolResult{Status: "succeeded", Output: "done\n"}},
		{"a bash response that is not an object",
			`{"hook_event_name":"PostToolUse","tool_name":"Bash","tool_input":{},"tool_response":[1,2]}`,
			ToolResult{Status: "succeeded", Output: "[1,2]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := DecodeEvent([]byte(tt.event))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, e.Result()); diff != "" {
				t.Errorf("Result (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFields(t *testing.T) {
	e, err := DecodeEvent([]byte(`{"session_id":"s","transcript_path":"/t","cwd":"/p","prompt_id":"x","permission_mode":"default","effort":{"level":"high"},"hook_event_name":"Notification","agent_id":"a","agent_type":"Explore","message":"hi","notification_type":"idle_prompt"}`))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(e.Fields()), `{"message":"hi","notification_type":"idle_prompt"}`; got != want {
		t.Errorf("Fields = %s, want %s", got, want)
	}
	e, _ = DecodeEvent([]byte(`{"session_id":"s","hook_event_name":"Setup"}`))
	if got := e.Fields(); got != nil {
		t.Errorf("Fields of an event with none = %s, want nil", got)
	}
}
