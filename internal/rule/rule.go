package rule

import (
	"fmt"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// Kind says how a rule's specifier is read.
type Kind uint8

const (
	Other   Kind = iota // a glob on the tool's main input field: Agent(Explore), Skill(deploy *)
	Command             // Bash, Monitor, PowerShell: a command pattern
	Path                // Read, Edit, Write, …: a gitignore-style path pattern
	Domain              // WebFetch(domain:…)
	Param               // Tool(param:value): a top-level scalar input field
)

// Rule is one compiled permission rule.
type Rule struct {
	Text string // as written
	Tool string // tool name or tool-name glob: "Bash", "Edit", "mcp__github__*"
	Spec string // the specifier between the parentheses; "" for a bare tool name or "*"
	Kind Kind

	toolGlob bool      // Tool contains '*'
	cmds     []cmdAlt  // Kind Command: one per {a,b} alternative
	paths    []pathAlt // Kind Path
	domain   string    // Kind Domain: lower-case host pattern
	param    string    // Kind Param: field name
	globs    []string  // Kind Param and Other: value globs, one per alternative
}

// Error is a rule that does not parse. Offset is the byte offset in the
// rule text where the problem is.
type Error struct {
	Offset int
	Msg    string
}

func (e *Error) Error() string { return e.Msg }

func errAt(off int, format string, args ...any) *Error {
	return &Error{Offset: off, Msg: fmt.Sprintf(format, args...)}
}

// Parse compiles one rule string: a bare tool name ("Bash", "mcp__github"),
// a tool-name glob ("*", "mcp__github__get_*"), or Tool(specifier).
func Parse(s string) (*Rule, error) {
	if s == "" {
		return nil, errAt(0, "empty rule")
	}
	if t := strings.TrimSpace(s); t != s {
		return nil, errAt(0, "rule %q has surrounding spaces", s)
	}
	r := &Rule{Text: s, Tool: s}
	open := strings.IndexByte(s, '(')
	if open >= 0 {
		if !strings.HasSuffix(s, ")") {
			return nil, errAt(len(s), "rule %q has no closing parenthesis", s)
		}
		r.Tool, r.Spec = s[:open], s[open+1:len(s)-1]
		if r.Spec == "" {
			return nil, errAt(open+1, "empty specifier in %q", s)
		}
		if r.Spec == "*" {
			r.Spec = ""
		}
	} else if strings.ContainsAny(s, ")") {
		return nil, errAt(strings.IndexByte(s, ')'), "unbalanced parenthesis in %q", s)
	}
	if err := r.parseTool(); err != nil {
		return nil, err
	}
	if !r.toolGlob && !isMCP(r.Tool) {
		r.Kind = kindOf(r.Tool)
	}
	if r.Spec == "" {
		return r, nil
	}
	if r.toolGlob || isMCP(r.Tool) {
		return nil, errAt(open+1, "%s takes no specifier", r.Tool)
	}
	off := open + 1
	if name, value, ok := strings.Cut(r.Spec, ":"); ok && paramFields[r.Tool][name] {
		r.Kind, r.param = Param, name
		r.globs = expand(value)
		return r, nil
	}
	switch r.Kind {
	case Command:
		return r, r.compileCommand(off)
	case Path:
		return r, r.compilePath(off)
	case Domain:
		rest, ok := strings.CutPrefix(r.Spec, "domain:")
		if !ok {
			return nil, errAt(off, "WebFetch rules take domain:HOST, not %q", r.Spec)
		}
		if rest == "" || strings.ContainsAny(rest, "/: ") {
			return nil, errAt(off+len("domain:"), "bad domain %q", rest)
		}
		r.domain = strings.ToLower(rest)
		return r, nil
	}
	if _, ok := mainField[r.Tool]; !ok {
		return nil, errAt(off, "%s takes no specifier", r.Tool)
	}
	r.globs = expand(r.Spec)
	return r, nil
}

func (r *Rule) parseTool() error {
	t := r.Tool
	if t == "" {
		return errAt(0, "missing tool name in %q", r.Text)
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !(c == '_' || c == '-' || c == '*' || c == '.' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return errAt(i, "bad character %q in tool name %q", c, t)
		}
	}
	if strings.Contains(t, "*") {
		if t != "*" && !strings.HasPrefix(t, "mcp__") {
			return errAt(0, "tool-name globs must be \"*\" or start with mcp__: %q", t)
		}
		r.toolGlob = true
		return nil
	}
	if isMCP(t) {
		return nil
	}
	if !tools[t] {
		return errAt(0, "unknown tool %q", t)
	}
	return nil
}

// AppliesTo reports whether the rule governs calls of tool. Edit(...) and
// Write(...) rules govern every tool that writes files; Read(...) rules
// govern every tool that reads them. A bare mcp__server rule governs all the
// server's tools.
func (r *Rule) AppliesTo(tool string) bool {
	switch {
	case r.Tool == tool:
		return true
	case r.toolGlob:
		return globMatch(r.Tool, tool)
	case isMCP(r.Tool):
		return strings.HasPrefix(tool, r.Tool+"__") && strings.Count(r.Tool, "__") == 1
	case writeTools[r.Tool]:
		return writeTools[tool]
	case readTools[r.Tool]:
		return readTools[tool]
	case r.Tool == "Task":
		return tool == "Agent"
	case r.Tool == "Agent":
		return tool == "Task"
	case r.Tool == "Bash":
		return tool == "Monitor"
	}
	return false
}

// AllowsTool reports whether an allow rule lets calls of tool through.
// Allow rules are read narrowly: Write(...) allows Write calls only, as the
// seed means when it allows editing Markdown under src but only writing code
// there; Edit(...) allows the tools that edit files in place. Deny and ask
// rules use AppliesTo, which reads them broadly.
func (r *Rule) AllowsTool(tool string) bool {
	switch r.Tool {
	case "Write":
		return tool == "Write"
	case "Edit":
		return tool == "Edit" || tool == "MultiEdit" || tool == "NotebookEdit"
	}
	return r.AppliesTo(tool)
}

// Bare reports whether the rule covers every call of its tools.
func (r *Rule) Bare() bool { return r.Spec == "" }

// WritesPaths reports whether the rule is a path rule on writing tools.
func (r *Rule) WritesPaths() bool { return r.Kind == Path && writeTools[r.Tool] }

// MatchDomain reports whether host is covered by a WebFetch(domain:…) rule:
// case-insensitive, "*.x.com" covers subdomains at any depth but not x.com,
// "*" covers every host, and other stars do not cross dots.
func (r *Rule) MatchDomain(host string) bool {
	if r.Kind != Domain {
		return false
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	switch {
	case r.domain == "*":
		return true
	case strings.HasPrefix(r.domain, "*."):
		return strings.HasSuffix(host, r.domain[1:])
	case strings.Contains(r.domain, "*"):
		ok, _ := doublestar.Match(strings.ReplaceAll(r.domain, ".", "/"), strings.ReplaceAll(host, ".", "/"))
		return ok
	}
	return host == r.domain
}

// MatchValue reports whether a Param rule's field, or an Other rule's main
// field, has a matching value in input (top-level scalar fields, rendered as
// strings: true, 42, "opus").
func (r *Rule) MatchValue(lookup func(field string) (string, bool)) bool {
	var field string
	switch r.Kind {
	case Param:
		field = r.param
	case Other:
		field = mainField[r.Tool]
	default:
		return false
	}
	v, ok := lookup(field)
	if !ok {
		return false
	}
	for _, g := range r.globs {
		if globMatch(g, v) {
			return true
		}
	}
	return false
}

// Field is the input field a Param or Other rule reads.
func (r *Rule) Field() string {
	if r.Kind == Param {
		return r.param
	}
	return mainField[r.Tool]
}
