package claude

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// ToolInput holds the fields of a tool_input that policy looks at. Other
// fields stay in Raw.
type ToolInput struct {
	Command      string `json:"command"`       // Bash, PowerShell, Monitor
	FilePath     string `json:"file_path"`     // Read, Write, Edit, MultiEdit
	NotebookPath string `json:"notebook_path"` // NotebookEdit
	Path         string `json:"path"`          // Glob, Grep
	Pattern      string `json:"pattern"`       // Glob, Grep
	URL          string `json:"url"`           // WebFetch
	Content      string `json:"content"`       // Write
	NewString    string `json:"new_string"`    // Edit
	NewSource    string `json:"new_source"`    // NotebookEdit
	Edits        []struct {
		NewString string `json:"new_string"`
	} `json:"edits"` // MultiEdit

	Raw json.RawMessage `json:"-"`
}

// DecodeToolInput decodes the fields govern needs from a tool_input object.
// Fields of unexpected types are an error: a tool call that hides its
// command in a number is not one to guess about.
func DecodeToolInput(raw json.RawMessage) (*ToolInput, error) {
	in := &ToolInput{Raw: raw}
	if len(bytes.TrimSpace(raw)) == 0 {
		return in, nil
	}
	if err := json.Unmarshal(raw, in); err != nil {
		return nil, fmt.Errorf("decode tool_input: %s", describe(err))
	}
	return in, nil
}

// Target is the file a file tool works on: file_path, or notebook_path
// for NotebookEdit, or path for Glob and Grep.
func (in *ToolInput) Target() string {
	switch {
	case in.FilePath != "":
		return in.FilePath
	case in.NotebookPath != "":
		return in.NotebookPath
	}
	return in.Path
}

// Scalar returns a top-level scalar field of the input rendered as text
// (true, 42, opus), for Tool(param:value) rules.
func (in *ToolInput) Scalar(field string) (string, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(in.Raw, &m) != nil {
		return "", false
	}
	v, ok := m[field]
	if !ok {
		return "", false
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s, true
	}
	var f float64
	if json.Unmarshal(v, &f) == nil {
		return strconv.FormatFloat(f, 'f', -1, 64), true
	}
	var b bool
	if json.Unmarshal(v, &b) == nil {
		return strconv.FormatBool(b), true
	}
	return "", false
}
