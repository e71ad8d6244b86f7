package policy

import "encoding/json"

// File is the enterprise policy file as written. The seed's keys (version,
// organization, enforced_at, permissions, hooks, environmentVariables, mcp,
// settings) come first; govern's additions follow. policy.schema.json
// documents every key, and a test keeps the two in step.
type File struct {
	Schema               string              `json:"$schema,omitempty"`
	Version              string              `json:"version,omitempty"`
	Organization         string              `json:"organization,omitempty"`
	EnforcedAt           string              `json:"enforced_at,omitempty"` // RFC 3339
	Permissions          Permissions         `json:"permissions,omitzero"`
	Hooks                map[string]HookSpec `json:"hooks,omitempty"` // Claude Code event name → what runs
	EnvironmentVariables map[string]string   `json:"environmentVariables,omitempty"`
	MCP                  MCP                 `json:"mcp,omitzero"`
	Settings             Settings            `json:"settings,omitzero"`

	// govern's additions.
	Teams          map[string]Team `json:"teams,omitempty"`
	Scopes         []Scope         `json:"scopes,omitempty"`
	Personas       json.RawMessage `json:"personas,omitempty"` // an object; its content is the persona package's
	Consensus      Consensus       `json:"consensus,omitzero"`
	Enforcement    Enforcement     `json:"enforcement,omitzero"`
	ProtectedPaths []string        `json:"protectedPaths,omitempty"` // globs the agent may never write
	Tests          []TestCase      `json:"tests,omitempty"`
}

// Permissions are rule lists in Claude Code's rule syntax (Tool or
// Tool(specifier)). Deny beats ask beats allow.
type Permissions struct {
	AllowList        []string          `json:"allowList,omitempty"`
	AskList          []string          `json:"askList,omitempty"`
	DenyList         []string          `json:"denyList,omitempty"`
	ConditionalRules []ConditionalRule `json:"conditionalRules,omitempty"`
}

// ConditionalRule adds rules that apply only while its CEL condition holds.
type ConditionalRule struct {
	Description       string   `json:"description,omitempty"`
	Condition         string   `json:"condition"`
	Allow             []string `json:"allow,omitempty"`
	Ask               []string `json:"ask,omitempty"`
	Deny              []string `json:"deny,omitempty"`
	RequireValidation bool     `json:"require_validation,omitempty"`
}

// MCP lists the MCP servers the enterprise provides.
type MCP struct {
	Servers map[string]MCPServer `json:"servers,omitempty"`
}

// MCPServer is one MCP server: a command for stdio, a URL for sse or http.
type MCPServer struct {
	Type    string            `json:"type,omitempty"` // stdio (default), sse, http
	Command string            `json:"command,omitempty"`
	Args    []string          `json:"args,omitempty"`
	Env     map[string]string `json:"env,omitempty"`
	URL     string            `json:"url,omitempty"`
}

// Settings are session-wide limits.
type Settings struct {
	// DangerouslySkipPermissions false refuses bypassPermissions mode.
	DangerouslySkipPermissions *bool  `json:"dangerouslySkipPermissions,omitempty"`
	MaxConcurrentSessions      int    `json:"maxConcurrentSessions,omitempty"` // per user; 0 is no limit
	SessionTimeout             int    `json:"sessionTimeout,omitempty"`        // seconds; 0 is no limit
	AuditLevel                 string `json:"auditLevel,omitempty"`            // minimal, standard, comprehensive
	// AllowManagedHooksOnly, when set, is rendered by `govern install` into
	// Claude Code's managed settings: true runs only managed hooks (govern's
	// among them), silencing user, project and plugin hooks.
	AllowManagedHooksOnly *bool `json:"allowManagedHooksOnly,omitempty"`
}

// Team is a named group of users with its own rules and rollout mode.
type Team struct {
	Members     []string    `json:"members,omitempty"`
	Permissions Permissions `json:"permissions,omitzero"`  // allowList, askList, denyList only
	Enforcement string      `json:"enforcement,omitempty"` // enforce, warn, audit
}

// Scope adds rules for some users and teams.
type Scope struct {
	Name        string      `json:"name"`
	Users       []string    `json:"users,omitempty"`
	Teams       []string    `json:"teams,omitempty"`
	Permissions Permissions `json:"permissions,omitzero"`
}

// Consensus says how persona verdicts combine.
type Consensus struct {
	Strategy string `json:"strategy,omitempty"` // unanimous, majority, security-veto
	Required *bool  `json:"required,omitempty"`
}

// Enforcement is the rollout mode: enforce blocks, warn lets a deny through
// with a warning, audit only records.
type Enforcement struct {
	Mode  string            `json:"mode,omitempty"`
	Teams map[string]string `json:"teams,omitempty"` // team → mode
}

// TestCase is one of the policy's own tests, run by `govern policy test`.
type TestCase struct {
	Name   string          `json:"name"`
	Event  json.RawMessage `json:"event"`          // a Claude Code hook event, as on the hook's stdin
	User   string          `json:"user,omitempty"` // who asks; default "policy-test"
	Team   string          `json:"team,omitempty"` // instead of the policy's team mapping
	Expect Expect          `json:"expect"`
}

// Expect is what a TestCase's event must be decided as.
type Expect struct {
	Outcome string `json:"outcome"`         // allow, ask, deny, none
	Rule    string `json:"rule,omitempty"`  // the deciding rule, as written
	Layer   string `json:"layer,omitempty"` // enterprise, project, local, user, engine
}
