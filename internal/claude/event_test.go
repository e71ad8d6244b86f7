package claude

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// observed is a PreToolUse event as Claude Code 2.1.332 sends it.
const observed = `{"session_id":"315ece37-942c-4bd4-a57d-040a27fcaeb9","transcript_path":"/home/dev/.claude/projects/-home-dev-proj/315ece37.jsonl","cwd":"/home/dev/proj","prompt_id":"a79789c5-80b1-4497-bda8-3b9b4ea4b103","permission_mode":"default","effort":{"level":"medium"},"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"echo hello","description":"Say hello"},"tool_use_id":"toolu_mock002"}`

func TestDecodeEventObserved(t *testing.T) {
	t.Parallel()
	e, err := DecodeEvent([]byte(observed))
	if err != nil {
		t.Fatal(err)
	}
	got := e.Request()
	if got.Event != "PreToolUse" || got.ToolName != "Bash" || got.Cwd != "/home/dev/proj" ||
		got.PermissionMode != "default" || got.SessionID != "315ece37-942c-4bd4-a57d-040a27fcaeb9" {
		t.Errorf("request = %+v", got)
	}
	in, err := DecodeToolInput(got.ToolInput)
	if err != nil {
		t.Fatal(err)
	}
	if in.Command != "echo hello" {
		t.Errorf("command = %q", in.Command)
	}
}

func TestDecodeEventErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", "empty hook event"},
		{"blank", " \n\t", "empty hook event"},
		{"array", `[1]`, "hook event is not a JSON object"},
		{"string", `"PreToolUse"`, "hook event is not a JSON object"},
		{"binary", "\xff\xfe{", "hook event is not UTF-8"},
		{"truncated", `{"hook_event_name":"PreToolUse"`, "decode hook event: unexpected EOF"},
		{"two objects", `{"hook_event_name":"Stop"} {}`, "decode hook event: more than one JSON value"},
		{"no event name", `{"tool_name":"Bash"}`, "hook event has no hook_event_name"},
		{"event name not a string", `{"hook_event_name":2}`, "decode hook event: field hook_event_name must be string, not number"},
		{"no tool", `{"hook_event_name":"PreToolUse","tool_input":{}}`, "PreToolUse event has no tool_name"},
		{"input not an object", `{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":"rm -rf /"}`, "PreToolUse event for Bash has no tool_input object"},
		{"input missing", `{"hook_event_name":"PreToolUse","tool_name":"Bash"}`, "PreToolUse event for Bash has no tool_input object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := DecodeEvent([]byte(tc.in))
			if err == nil {
				t.Fatalf("DecodeEvent(%q) = nil error, want %q", tc.in, tc.want)
			}
			if err.Error() != tc.want {
				t.Errorf("DecodeEvent(%q) error = %q, want %q", tc.in, err, tc.want)
			}
		})
	}
}

func TestDecodeEventIgnoresUnknownFields(t *testing.T) {
	t.Parallel()
	in := `{"hook_event_name":"SessionStart","source":"startup","brand_new_field":{"x":[1,2]},"seconds_since_last_response":3}`
	e, err := DecodeEvent([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if e.HookEventName != "SessionStart" || e.Source != "startup" {
		t.Errorf("event = %+v", e)
	}
}

func TestToolInputTypeConfusion(t *testing.T) {
	t.Parallel()
	_, err := DecodeToolInput([]byte(`{"command":["rm","-rf","/"]}`))
	if err == nil || !strings.Contains(err.Error(), "command must be string") {
		t.Fatalf("error = %v, want a type error on command", err)
	}
}

func TestToolInputScalar(t *testing.T) {
	t.Parallel()
	in, err := DecodeToolInput([]byte(`{"command":"x","run_in_background":true,"timeout":120000,"model":"opus","nested":{"a":1}}`))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range []string{"run_in_background", "timeout", "model", "nested", "missing"} {
		if v, ok := in.Scalar(f); ok {
			got[f] = v
		}
	}
	want := map[string]string{"run_in_background": "true", "timeout": "120000", "model": "opus"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Scalar (-want +got):\n%s", diff)
	}
}

func FuzzDecodeEvent(f *testing.F) {
	f.Add([]byte(observed))
	f.Add([]byte(`{"hook_event_name":"SessionEnd","reason":"other"}`))
	f.Add([]byte(`{"hook_event_name":"PreToolUse","tool_name":"Write","tool_input":{"file_path":"/a/.env","content":"x"}}`))
	f.Add([]byte(`{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":1}}`))
	f.Add([]byte(`{"hook_event_name":"PostToolUseFailure","tool_name":"Bash","tool_input":{},"error":"Exit code 2\nx"}`))
	f.Add([]byte(`{"hook_event_name":"PostToolUse","tool_name":"Bash","tool_input":{},"tool_response":{"stdout":"a","stderr":"b"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := DecodeEvent(data)
		if err != nil {
			if e != nil {
				t.Fatal("event and error both returned")
			}
			return
		}
		if e.HookEventName == "" {
			t.Fatal("decoded an event without a name")
		}
		if r := e.Result(); r.Status == "" {
			t.Fatal("result without a status")
		}
		if f := e.Fields(); f != nil && !json.Valid(f) {
			t.Fatalf("Fields returned invalid JSON %q", f)
		}
		if e.ToolEvent() {
			if e.ToolName == "" {
				t.Fatal("tool event without a tool name")
			}
			if in, err := DecodeToolInput(e.ToolInput); err == nil {
				_ = in.Target()
			}
		}
	})
}
