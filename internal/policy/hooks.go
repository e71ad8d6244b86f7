package policy

import (
	"bytes"
	"encoding/json"
	"errors"
)

// HookSpec is what runs on one Claude Code hook event. It is written either
// as one script path (the seed's shape, in Command) or as Claude Code's own
// list of matcher groups (in Groups); exactly one of the two is set.
type HookSpec struct {
	Command string
	Groups  []HookGroup
}

// HookGroup is one Claude Code matcher group.
type HookGroup struct {
	Matcher string        `json:"matcher,omitempty"`
	Hooks   []HookHandler `json:"hooks"`
}

// HookHandler is one Claude Code hook handler. Type says which other fields
// apply (see hookFields).
type HookHandler struct {
	Type            string            `json:"type"` // command, http, mcp_tool, prompt, agent
	Command         string            `json:"command,omitempty"`
	Args            []string          `json:"args,omitempty"`
	Shell           string            `json:"shell,omitempty"` // bash, powershell
	Async           bool              `json:"async,omitempty"`
	AsyncRewake     bool              `json:"asyncRewake,omitempty"`
	URL             string            `json:"url,omitempty"`
	Headers         map[string]string `json:"headers,omitempty"`
	AllowedEnvVars  []string          `json:"allowedEnvVars,omitempty"`
	Server          string            `json:"server,omitempty"`
	Tool            string            `json:"tool,omitempty"`
	Input           json.RawMessage   `json:"input,omitempty"` // an object
	Prompt          string            `json:"prompt,omitempty"`
	Model           string            `json:"model,omitempty"`
	ContinueOnBlock bool              `json:"continueOnBlock,omitempty"`
	If              string            `json:"if,omitempty"` // one permission rule
	Timeout         float64           `json:"timeout,omitempty"`
	StatusMessage   string            `json:"statusMessage,omitempty"`
}

// hookFields lists, per handler type, the keys it takes besides the ones
// every handler takes (type, if, timeout, statusMessage), required first.
var hookFields = map[string]struct{ required, optional []string }{
	"command":  {[]string{"command"}, []string{"args", "shell", "async", "asyncRewake"}},
	"http":     {[]string{"url"}, []string{"headers", "allowedEnvVars"}},
	"mcp_tool": {[]string{"server", "tool"}, []string{"input"}},
	"prompt":   {[]string{"prompt"}, []string{"model", "continueOnBlock"}},
	"agent":    {[]string{"prompt"}, []string{"model"}},
}

// hookTypes is hookFields' keys in the order messages list them.
var hookTypes = []string{"command", "http", "mcp_tool", "prompt", "agent"}

// Events are the Claude Code hook event names a policy may name.
var Events = []string{
	"PreToolUse", "PostToolUse", "PostToolUseFailure", "PostToolBatch",
	"PermissionRequest", "PermissionDenied", "UserPromptSubmit", "UserPromptExpansion",
	"Notification", "MessageDisplay", "Stop", "StopFailure", "SubagentStart", "SubagentStop",
	"PreCompact", "PostCompact", "Elicitation", "ElicitationResult", "TeammateIdle",
	"TaskCreated", "TaskCompleted", "Setup", "InstructionsLoaded", "CwdChanged",
	"DirectoryAdded", "FileChanged", "ConfigChange", "WorktreeCreate", "WorktreeRemove",
	"SessionStart", "SessionEnd", "PreModelSwitch", "PostModelSwitch", "PreSkillShellCommand",
}

func knownEvent(name string) bool {
	for _, e := range Events {
		if e == name {
			return true
		}
	}
	return false
}

// MarshalJSON writes h in the shape it was read in.
func (h HookSpec) MarshalJSON() ([]byte, error) {
	if h.Groups != nil {
		return json.Marshal(h.Groups)
	}
	return json.Marshal(h.Command)
}

// UnmarshalJSON reads either shape. It does no validation beyond JSON types;
// Parse reports everything else with positions.
func (h *HookSpec) UnmarshalJSON(b []byte) error {
	*h = HookSpec{}
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '"':
		return json.Unmarshal(b, &h.Command)
	case len(b) > 0 && b[0] == '[':
		h.Groups = []HookGroup{}
		return json.Unmarshal(b, &h.Groups)
	}
	return errors.New("hook must be a script path or an array of matcher groups")
}
