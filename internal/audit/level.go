package audit

import (
	"encoding/json"
	"time"

	"github.com/govern-dev/govern/internal/clip"
	"github.com/govern-dev/govern/internal/secret"
)

// Level is how much the trail records, the policy's settings.auditLevel.
//
//   - minimal: the decisions: every PreToolUse decision and every prompt
//     stopped for carrying a credential.
//   - standard (the default): the decisions, and what ran (PostToolUse,
//     PostToolUseFailure: status, exit code, duration, output size and
//     digest), each prompt as its size and digest, session starts and ends.
//   - comprehensive: all of that, the output of what ran and each prompt as
//     text (truncated, credentials masked), and every other hook event.
type Level int

const (
	Minimal Level = iota
	Standard
	Comprehensive
)

// ParseLevel reads settings.auditLevel; "" is Standard. The policy
// validator has already refused any other value.
func ParseLevel(s string) Level {
	switch s {
	case "minimal":
		return Minimal
	case "comprehensive":
		return Comprehensive
	}
	return Standard
}

func (l Level) String() string {
	return [...]string{"minimal", "standard", "comprehensive"}[l]
}

// Records reports whether the trail records a hook event at level l.
// Decisions (PreToolUse, a stopped prompt) are always recorded and do not
// ask.
func (l Level) Records(event string) bool {
	switch event {
	case "PreToolUse":
		return true
	case "PostToolUse", "PostToolUseFailure", "UserPromptSubmit", "SessionStart", "SessionEnd":
		return l >= Standard
	}
	return l >= Comprehensive
}

// MaxText is how much of an output or a prompt a comprehensive record
// keeps, in bytes.
const MaxText = 4096

// RunResult is what a record keeps of what a call did: the record's result
// (not to be confused with govern.Outcome, the decision).
type RunResult struct {
	Status     string `json:"status"`
	ExitCode   *int   `json:"exit_code,omitempty"`
	DurationMS int64  `json:"duration_ms,omitempty"`
	// Output is the output's size and digest; Text the output itself, at
	// comprehensive only, truncated and with credentials masked.
	Output    map[string]any `json:"output"`
	Text      string         `json:"text,omitempty"`
	Truncated bool           `json:"truncated,omitempty"`
}

// Result renders what a call did as a record's result at level l.
func Result(status string, exitCode *int, d time.Duration, output string, l Level) json.RawMessage {
	o := RunResult{Status: status, ExitCode: exitCode, DurationMS: d.Milliseconds(), Output: digest(output)}
	if l >= Comprehensive {
		o.Text, o.Truncated = Text(output)
	}
	b, _ := json.Marshal(o) // strings, numbers and a map of them: cannot fail
	return b
}

// Text is what a comprehensive record keeps of a text: credentials masked,
// then at most MaxText bytes, cut at a rune boundary. The whole text is
// masked before the cut (hook events are bounded by claude.MaxEventSize),
// so no part of a credential survives it.
func Text(s string) (kept string, truncated bool) {
	s, _ = secret.Mask(s)
	if len(s) <= MaxText {
		return s, false
	}
	return clip.Bytes(s, MaxText), true
}

// Prompt is what a record keeps of a prompt at level l: its size and
// digest, and at comprehensive its text (truncated, credentials masked).
func Prompt(prompt string, l Level) json.RawMessage {
	m := map[string]any{"prompt": digest(prompt)}
	if l >= Comprehensive {
		text, truncated := Text(prompt)
		m = map[string]any{"prompt": text}
		if truncated {
			m["prompt_bytes"] = len(prompt)
		}
	}
	b, _ := json.Marshal(m)
	return b
}
