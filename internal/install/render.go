package install

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/govern-dev/govern/internal/audit"
	"github.com/govern-dev/govern/internal/policy"
	"github.com/govern-dev/govern/internal/rule"
)

// Events are the hook events govern answers, in the order they are wired:
// the decisions, what ran, prompts and the session registry.
var Events = []string{"PreToolUse", "PostToolUse", "PostToolUseFailure", "UserPromptSubmit", "SessionStart", "SessionEnd"}

// ObservedEvents are the further events govern's hook is wired on when the
// policy's auditLevel records them (comprehensive): only events that the
// hook, exiting 0 with no output, leaves as they were
// (claude-code-hooks.md §3.3, §4). Never WorktreeCreate (its hook replaces
// git's behaviour: any exit or output semantics break it), MessageDisplay
// (it fires on every streamed chunk), FileChanged (its matcher builds a
// watch list) or Setup. Each is in SchemaStore's schema; a test checks.
var ObservedEvents = []string{
	"PermissionRequest", "PermissionDenied", "PostToolBatch", "Notification", "UserPromptExpansion",
	"Stop", "StopFailure", "SubagentStart", "SubagentStop", "TaskCreated", "TaskCompleted", "TeammateIdle",
	"PreCompact", "PostCompact", "ConfigChange", "InstructionsLoaded", "CwdChanged", "DirectoryAdded",
	"Elicitation", "ElicitationResult", "WorktreeRemove",
}

// toolEvents take a tool-name matcher: "*" sends govern every tool.
var toolEvents = map[string]bool{"PreToolUse": true, "PostToolUse": true, "PostToolUseFailure": true, "PermissionRequest": true, "PermissionDenied": true}

// blockOnFailure are the events whose hook failures must stop the action:
// with "onFailure": "block", Claude Code blocks the call (or prompt) when
// the hook crashes, times out or answers nonsense, instead of letting it
// through (claude-code-hooks.md §1).
var blockOnFailure = map[string]bool{"PreToolUse": true, "UserPromptSubmit": true}

// Timeouts Claude Code gives govern's hook, in seconds. The hook keeps its
// own deadline well inside them (5 s; 1 s on SessionEnd), so Claude Code
// never has to time it out. SessionEnd hooks share a 1.5 s budget that the
// largest configured timeout raises. An observed event only records: the
// hook does not hold Claude Code up longer than that.
const (
	hookTimeout       = 10
	sessionEndTimeout = 5
	observeTimeout    = 5
)

// Hook is how Claude Code runs govern's hook: in exec form, the binary and
// its arguments, with no shell between (claude-code-hooks.md §5.1). A
// shell-form command would run through the developer's
// CLAUDE_CODE_SHELL_PREFIX, a program of their choosing that could skip
// govern altogether (§5.4).
type Hook struct {
	Bin    string // absolute path of the govern binary
	Policy string // the installed policy, as the target machine sees it
	Audit  string // audit DSN; "" leaves it to GOVERN_AUDIT or the hook's default
}

// Args are the hook's arguments, after the binary.
func (h Hook) Args() []string {
	args := []string{"hook", "--policy", h.Policy}
	if h.Audit != "" {
		args = append(args, "--audit", h.Audit)
	}
	return args
}

// shellQuote quotes s for sh: inside single quotes nothing is special but
// the single quote itself, which closes the quotes, is escaped, and opens
// them again.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// shellLine is argv as a command line a person can paste into sh: words
// quoted only when they need it.
func shellLine(argv []string) string {
	words := make([]string, len(argv))
	for i, a := range argv {
		words[i] = a
		if a == "" || strings.ContainsFunc(a, func(r rune) bool { return !safeInShell(r) }) {
			words[i] = shellQuote(a)
		}
	}
	return strings.Join(words, " ")
}

func safeInShell(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("/._-+:,@%=", r)
}

// Settings is govern's part of Claude Code's managed settings, rendered
// from the enterprise policy.
type Settings struct {
	Allow, Ask, Deny []string // native permission rules, de-duplicated, in policy order
	// DisableBypass sets permissions.disableBypassPermissionsMode to
	// "disable": the policy sets dangerouslySkipPermissions to false.
	DisableBypass         bool
	AllowManagedHooksOnly *bool             // as the policy says; nil leaves the key alone
	Env                   map[string]string // the policy's environmentVariables
	Hook                  Hook              // wired on every event in Events and in Observe
	// Observe are the ObservedEvents the policy's auditLevel records: the
	// hook is wired on them too.
	Observe []string
}

// Note is something in the policy that Claude Code's managed settings do
// not carry: govern's hook enforces it alone, or install leaves it out.
type Note struct {
	Source string // where it is written: "permissions.allowList[3]"
	Rule   string // the rule as written, when it is one
	Why    string
}

func (n Note) String() string {
	if n.Rule != "" {
		return fmt.Sprintf("%s %s: %s", n.Source, n.Rule, n.Why)
	}
	return fmt.Sprintf("%s: %s", n.Source, n.Why)
}

const hookOnly = "enforced by govern's hook alone: "

// Render translates a policy into Claude Code's managed settings. The
// notes say what the hook enforces alone and what is not rendered.
func Render(f *policy.File, h Hook) (*Settings, []Note) {
	s := &Settings{Env: f.EnvironmentVariables, Hook: h, AllowManagedHooksOnly: f.Settings.AllowManagedHooksOnly}
	s.Observe = observed(f)
	var notes []Note
	s.Allow = nativeRules(f.Permissions.AllowList, "permissions.allowList", true, &notes)
	s.Ask = nativeRules(f.Permissions.AskList, "permissions.askList", false, &notes)
	s.Deny = nativeRules(f.Permissions.DenyList, "permissions.denyList", false, &notes)
	if v := f.Settings.DangerouslySkipPermissions; v != nil && !*v {
		s.DisableBypass = true
	}
	for i := range f.Permissions.ConditionalRules {
		notes = append(notes, Note{Source: fmt.Sprintf("permissions.conditionalRules[%d]", i), Why: hookOnly + "Claude Code has no conditional rules"})
	}
	for _, name := range sortedKeys(f.Teams) {
		p := f.Teams[name].Permissions
		if len(p.AllowList)+len(p.AskList)+len(p.DenyList)+len(p.ConditionalRules) > 0 {
			notes = append(notes, Note{Source: "teams." + name, Why: hookOnly + "Claude Code's rules cannot apply to one team"})
		}
	}
	for i, sc := range f.Scopes {
		notes = append(notes, Note{Source: fmt.Sprintf("scopes[%d] (%s)", i, sc.Name), Why: hookOnly + "Claude Code's rules cannot apply to some users"})
	}
	if len(f.Hooks) > 0 {
		notes = append(notes, Note{Source: "hooks", Why: "not installed: govern's own hook takes their place on " + strings.Join(Events, ", ")})
	}
	if len(f.MCP.Servers) > 0 {
		notes = append(notes, Note{Source: "mcp.servers", Why: "not installed: configure these MCP servers in Claude Code yourself (govern writes no managed-mcp.json)"})
	}
	return s, notes
}

// observed returns the ObservedEvents that the policy's auditLevel records.
func observed(f *policy.File) []string {
	level := audit.ParseLevel(f.Settings.AuditLevel)
	var evs []string
	for _, ev := range ObservedEvents {
		if level.Records(ev) {
			evs = append(evs, ev)
		}
	}
	return evs
}

// nativeRule is the pattern SchemaStore's Claude Code settings schema
// (testdata/claude-code-settings.schema.json, $defs.permissionRule) gives
// permission rules. Claude Code accepts more, but a rule that fails it
// makes the managed settings fail validation in editors and CI, so such
// rules stay with the hook. A test keeps it equal to the schema's. It is
// compiled on first use: every hook process would pay for it otherwise.
var nativeRule = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^((Agent|Artifact|Bash|Cd|Edit|EnterWorktree|ExitPlanMode|Glob|Grep|KillShell|LSP|Monitor|MultiEdit|NotebookEdit|PowerShell|Read|ShareOnboardingGuide|Skill|TaskCreate|TaskGet|TaskList|TaskOutput|TaskStop|TaskUpdate|TodoWrite|ToolSearch|WebFetch|WebSearch|Workflow|Write)(\([^)]+\))?|mcp__.*)$`)
})

// nativeRules translates one rule list into rules Claude Code honours
// (claude-code-hooks.md §7), appending a note for each rule it leaves to
// the hook.
func nativeRules(list []string, field string, allow bool, notes *[]Note) []string {
	var out []string
	for i, text := range list {
		rules, why := nativeRule1(text, allow)
		if why != "" {
			*notes = append(*notes, Note{Source: fmt.Sprintf("%s[%d]", field, i), Rule: text, Why: hookOnly + why})
			continue
		}
		for _, r := range rules {
			if !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}

// nativeRule1 translates one rule into Claude Code's rules, or says why it
// cannot.
func nativeRule1(text string, allow bool) ([]string, string) {
	r, err := rule.Parse(text)
	if err != nil {
		return nil, err.Error()
	}
	tool := r.Tool
	switch {
	case strings.Contains(tool, "*") && allow && !serverGlob(tool):
		return nil, "Claude Code allows a tool-name glob only after a literal mcp__server__ prefix"
	case r.Kind == rule.Param && allow:
		return nil, "Claude Code takes Tool(param:value) rules in ask and deny lists only"
	}
	if r.Spec != "" && r.Kind == rule.Path {
		switch tool {
		case "Write", "MultiEdit", "NotebookEdit":
			// Claude Code ignores Write(...) path rules; its Edit(...) covers
			// every tool that writes files. An allowed Write(x) so also
			// lets Edit change x without a prompt: the hook still decides
			// each call first, and may deny it.
			tool = "Edit"
		case "Glob", "Grep", "LSP", "NotebookRead":
			return nil, "Claude Code consults only Read(...) and Edit(...) path rules"
		}
		if strings.HasPrefix(r.Spec, "/") && !strings.HasPrefix(r.Spec, "//") {
			return nil, "govern anchors /path at the project root, Claude Code's managed settings do not"
		}
	}
	if r.Spec == "" {
		if !nativeRule().MatchString(tool) {
			return nil, "Claude Code's settings schema cannot express it"
		}
		return []string{tool}, ""
	}
	alts := rule.Alternatives(r.Spec)
	if alts == nil {
		return nil, "too many {a,b} alternatives to list"
	}
	out := make([]string, 0, len(alts))
	for _, a := range alts {
		n := tool + "(" + a + ")"
		if !nativeRule().MatchString(n) {
			return nil, "Claude Code's settings schema cannot express it"
		}
		out = append(out, n)
	}
	return out, ""
}

// serverGlob reports whether a tool-name glob keeps its stars after a
// literal mcp__server__ prefix, the only glob Claude Code allows.
func serverGlob(tool string) bool {
	rest, ok := strings.CutPrefix(tool, "mcp__")
	if !ok {
		return false
	}
	server, _, ok := strings.Cut(rest, "__")
	return ok && server != "" && !strings.Contains(server, "*")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
