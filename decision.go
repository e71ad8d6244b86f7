package govern

import (
	"encoding/json"
	"time"
)

// Outcome is what the enterprise says about one tool call.
type Outcome string

const (
	// None means the enterprise has no opinion: Claude Code's own permission
	// flow goes on as if govern were not installed.
	None  Outcome = "none"
	Allow Outcome = "allow"
	Ask   Outcome = "ask"
	Deny  Outcome = "deny"
)

// Stricter reports whether o is stricter than p (deny > ask > allow > none).
func (o Outcome) Stricter(p Outcome) bool { return o.rank() > p.rank() }

func (o Outcome) rank() int {
	switch o {
	case Deny:
		return 3
	case Ask:
		return 2
	case Allow:
		return 1
	}
	return 0
}

// Risk grades how much harm a call could do.
type Risk string

const (
	RiskLow      Risk = "low"
	RiskMedium   Risk = "medium"
	RiskHigh     Risk = "high"
	RiskCritical Risk = "critical"
)

// Layers a decision can come from, highest first.
const (
	LayerEnterprise = "enterprise"
	LayerProject    = "project"
	LayerLocal      = "local"
	LayerUser       = "user"
	LayerEngine     = "engine"   // built-in guards: unparsable input, bypass mode, protected paths, the security scan
	LayerPersonas   = "personas" // the personas' consensus
)

// Actor is who is behind a request.
type Actor struct {
	User string `json:"user,omitempty"`
	Team string `json:"team,omitempty"`
	Host string `json:"host,omitempty"`
}

// Session is what storage knows about the request's session and its user's
// other sessions. The door loads it; Decide only reads it. Zero values mean
// "unknown" and disable the limits that need them.
type Session struct {
	Started time.Time `json:"started,omitzero"`
	// Place is this session's place among the user's open sessions, by
	// start: 1 for the oldest. A place beyond maxConcurrentSessions is
	// denied, so the oldest sessions keep working (session.Place).
	Place int `json:"place,omitempty"`
}

// Request is one thing an agent wants to do, as every door hands it to the
// engine.
type Request struct {
	Event          string          `json:"event"` // Claude Code hook_event_name
	SessionID      string          `json:"session_id,omitempty"`
	Cwd            string          `json:"cwd,omitempty"`
	ProjectDir     string          `json:"project_dir,omitempty"`
	HomeDir        string          `json:"home_dir,omitempty"`
	PermissionMode string          `json:"permission_mode,omitempty"`
	ToolName       string          `json:"tool_name,omitempty"`
	ToolInput      json.RawMessage `json:"tool_input,omitempty"`
	Prompt         string          `json:"prompt,omitempty"`
	Actor          Actor           `json:"actor"`
	Session        Session         `json:"session"`
	Time           time.Time       `json:"time"`
	// Layers are the lower layers of Claude Code permission rules the
	// developer's own settings add (project, local, user). They can only
	// tighten the enterprise policy.
	Layers []Layer `json:"layers,omitempty"`
}

// Layer is one Claude Code settings file's permission rules, as written.
type Layer struct {
	Name   string   `json:"name"`   // LayerProject, LayerLocal or LayerUser
	Source string   `json:"source"` // the file they came from
	Allow  []string `json:"allow,omitempty"`
	Ask    []string `json:"ask,omitempty"`
	Deny   []string `json:"deny,omitempty"`
}

// Verdict is one persona's review of a request.
type Verdict struct {
	Persona         string   `json:"persona"`
	Outcome         Outcome  `json:"outcome"`
	Risk            Risk     `json:"risk,omitempty"`
	Reasons         []string `json:"reasons,omitempty"`
	Recommendations []string `json:"recommendations,omitempty"`
}

// Decision is the engine's explained answer to a Request.
type Decision struct {
	Outcome         Outcome   `json:"outcome"`
	Reason          string    `json:"reason"`
	Risk            Risk      `json:"risk"`
	Rule            string    `json:"rule,omitempty"`  // the rule that decided, as written in its layer
	Layer           string    `json:"layer,omitempty"` // where that rule lives
	Personas        []Verdict `json:"personas,omitempty"`
	Recommendations []string  `json:"recommendations,omitempty"`
	Conflicts       []string  `json:"conflicts,omitempty"` // lower-layer rules the enterprise overrode
	PolicyRevision  string    `json:"policy_revision,omitempty"`

	// What the engine saw, for people reading the decision.
	Commands []string `json:"commands,omitempty"` // normalized commands a shell call runs
	Writes   []string `json:"writes,omitempty"`   // paths the call writes
	Paths    []string `json:"paths,omitempty"`    // canonical file paths the call touches
}
