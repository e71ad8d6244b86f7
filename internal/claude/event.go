package claude

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/govern-dev/govern"
)

// MaxEventSize bounds a hook event read from stdin. Claude Code's largest
// events carry a whole file's content in a Write call.
const MaxEventSize = 32 << 20

// Event is one Claude Code hook event. Decoding is lenient, as Claude Code
// adds fields between releases: unknown fields are ignored, optional ones
// may be missing.
type Event struct {
	SessionID      string `json:"session_id"`
	TranscriptPath string `json:"transcript_path"`
	Cwd            string `json:"cwd"`
	PermissionMode string `json:"permission_mode"`
	HookEventName  string `json:"hook_event_name"`
	AgentID        string `json:"agent_id"`
	AgentType      string `json:"agent_type"`

	// Tool events.
	ToolName     string          `json:"tool_name"`
	ToolInput    json.RawMessage `json:"tool_input"`
	ToolUseID    string          `json:"tool_use_id"`
	ToolResponse json.RawMessage `json:"tool_response"`
	Error        string          `json:"error"`        // PostToolUseFailure
	IsInterrupt  bool            `json:"is_interrupt"` // PostToolUseFailure
	DurationMS   int64           `json:"duration_ms"`

	// UserPromptSubmit.
	Prompt string `json:"prompt"`
	// SessionStart (source), SessionEnd (reason).
	Source string `json:"source"`
	Reason string `json:"reason"`

	// Raw is the event as read, for what the fields above do not name.
	Raw json.RawMessage `json:"-"`
}

// ToolEvent reports whether the event is about one tool call.
func (e *Event) ToolEvent() bool {
	switch e.HookEventName {
	case "PreToolUse", "PostToolUse", "PostToolUseFailure", "PermissionRequest", "PermissionDenied":
		return true
	}
	return false
}

// ReadEvent reads and decodes one hook event from r, refusing more than
// MaxEventSize bytes.
func ReadEvent(r io.Reader) (*Event, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxEventSize+1))
	if err != nil {
		return nil, fmt.Errorf("read hook event: %w", err)
	}
	if len(data) > MaxEventSize {
		return nil, errors.New("hook event is larger than 32 MiB")
	}
	return DecodeEvent(data)
}

// DecodeEvent decodes one hook event. It fails on anything that is not a
// single JSON object with a hook_event_name, and on tool events without a
// tool name or with a tool_input that is not an object.
func DecodeEvent(data []byte) (*Event, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, errors.New("empty hook event")
	}
	if !utf8.Valid(data) {
		return nil, errors.New("hook event is not UTF-8")
	}
	if data[0] != '{' {
		return nil, errors.New("hook event is not a JSON object")
	}
	var e Event
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&e); err != nil {
		return nil, fmt.Errorf("decode hook event: %s", describe(err))
	}
	if dec.More() {
		return nil, errors.New("decode hook event: more than one JSON value")
	}
	e.Raw = data
	if e.HookEventName == "" {
		return nil, errors.New("hook event has no hook_event_name")
	}
	if e.ToolEvent() {
		if e.ToolName == "" {
			return nil, fmt.Errorf("%s event has no tool_name", e.HookEventName)
		}
		if in := bytes.TrimSpace(e.ToolInput); len(in) == 0 || in[0] != '{' {
			return nil, fmt.Errorf("%s event for %s has no tool_input object", e.HookEventName, e.ToolName)
		}
	}
	return &e, nil
}

// describe shortens encoding/json's errors to what a person needs.
func describe(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s at byte %d", se.Error(), se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("field %s must be %s, not %s", te.Field, te.Type, te.Value)
	}
	return err.Error()
}

// Request maps the event onto the engine's request. The caller adds what
// the event does not carry: the actor, the time, the home and project
// directories and the developer's settings layers.
func (e *Event) Request() govern.Request {
	return govern.Request{
		Event:          e.HookEventName,
		SessionID:      e.SessionID,
		Cwd:            e.Cwd,
		PermissionMode: e.PermissionMode,
		ToolName:       e.ToolName,
		ToolInput:      e.ToolInput,
		Prompt:         e.Prompt,
	}
}
