package persona

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/govern-dev/govern/internal/rule"
)

// Config is the policy file's "personas" object: changes to the built-in
// personas and custom personas, keyed by persona ID, in policy order.
//
//	"personas": {
//	  "emily_watson":     {"enabled": false},
//	  "marcus_rodriguez": {"consult": "always"},
//	  "rachel_torres":    {"consult": {"tools": ["Bash"], "rules": ["Bash(psql *)", "Edit(config/**)"]}},
//	  "platform_team": {
//	    "name": "Platform Team",
//	    "role": "infrastructure",
//	    "consult": {"tools": ["Bash"]},
//	    "rules": [
//	      {"match": "Bash(terraform apply *)", "verdict": "ask", "risk": "high",
//	       "reason": "terraform apply changes live infrastructure",
//	       "recommendation": "Run terraform plan and open a pull request; CI applies it"}
//	    ]
//	  }
//	}
//
// Keys are persona IDs: lower-case letters, digits, '_' and '-'. The
// built-ins are sarah_chen, marcus_rodriguez, emily_watson and
// rachel_torres. Each value is an object with these fields, all optional
// for a built-in:
//
//   - "enabled" (bool, default true): false removes the persona.
//   - "consult": when the persona is consulted. "always"; "auto" (the
//     built-in's own choice, or for a custom persona: when one of its rules
//     matches); "never"; or {"tools": [tool names], "rules": [rule
//     strings]}: when the call's tool is listed or a rule matches.
//   - "name", "role" (custom personas only; name required): how the persona
//     is shown. A persona whose role is "security" holds the security veto.
//   - "rules": for custom personas (at least one) and as additions to a
//     built-in's own pack. Each rule is {"match", "verdict", "risk",
//     "reason", "recommendation"}: match is a Claude Code permission rule
//     ("Bash(npm publish *)", "Edit(infra/**)", "WebFetch(domain:x.com)"),
//     read as deny and ask rules are, by what a command does; verdict is
//     "approve", "ask" or "deny"; risk is low, medium, high or critical
//     (default: by verdict); reason (required for ask and deny) and
//     recommendation are shown to the developer.
//
// Unknown fields are errors.
type Config struct {
	Personas []Spec
}

// Spec is one entry of the personas object.
type Spec struct {
	ID      string     `json:"-"`
	Enabled *bool      `json:"enabled,omitempty"`
	Name    string     `json:"name,omitempty"`
	Role    string     `json:"role,omitempty"`
	Consult Consult    `json:"consult,omitzero"`
	Rules   []RuleSpec `json:"rules,omitempty"`
}

// Consult is when a persona is consulted: a Mode, or (Mode Auto) the tools
// and rules that scope it.
type Consult struct {
	Mode  Mode
	Tools []string
	Rules []string
}

// RuleSpec is one rule of a persona's pack, as written in the policy.
type RuleSpec struct {
	Match          string `json:"match"`
	Verdict        string `json:"verdict"`
	Risk           string `json:"risk,omitempty"`
	Reason         string `json:"reason,omitempty"`
	Recommendation string `json:"recommendation,omitempty"`
}

// UnmarshalJSON reads "always" | "auto" | "never" | {"tools", "rules"}.
func (c *Consult) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		switch Mode(s) {
		case Always, Auto, Never:
			*c = Consult{Mode: Mode(s)}
			return nil
		}
		return fmt.Errorf("consult: want \"always\", \"auto\", \"never\" or {\"tools\", \"rules\"}, not %q", s)
	}
	var o struct {
		Tools []string `json:"tools"`
		Rules []string `json:"rules"`
	}
	if err := strictDecode(b, &o); err != nil {
		return fmt.Errorf("consult: %w", err)
	}
	if len(o.Tools) == 0 && len(o.Rules) == 0 {
		return errors.New("consult: give tools or rules")
	}
	*c = Consult{Mode: Auto, Tools: o.Tools, Rules: o.Rules}
	return nil
}

// MarshalJSON writes the form UnmarshalJSON reads.
func (c Consult) MarshalJSON() ([]byte, error) {
	if len(c.Tools) == 0 && len(c.Rules) == 0 {
		return json.Marshal(string(c.Mode))
	}
	return json.Marshal(struct {
		Tools []string `json:"tools,omitempty"`
		Rules []string `json:"rules,omitempty"`
	}{c.Tools, c.Rules})
}

// ParseConfig decodes and checks the policy's "personas" object. Errors
// name the key at fault: personas.emily_watson: unknown field "enable".
// Empty input and null give the built-ins unchanged.
func ParseConfig(raw json.RawMessage) (Config, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return Config{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return Config{}, errors.New("personas: want an object keyed by persona ID")
	}
	var cfg Config
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return Config{}, fmt.Errorf("personas: %w", err)
		}
		id := t.(string)
		if seen[id] {
			return Config{}, fmt.Errorf("personas.%s: duplicate key", id)
		}
		seen[id] = true
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return Config{}, fmt.Errorf("personas.%s: %w", id, err)
		}
		s, err := parseSpec(id, val)
		if err != nil {
			return Config{}, err
		}
		cfg.Personas = append(cfg.Personas, s)
	}
	if _, err := dec.Token(); err != nil {
		return Config{}, fmt.Errorf("personas: %w", err)
	}
	return cfg, nil
}

// CheckSpec checks one member of the policy's "personas" object, the way
// ParseConfig does, so that a validator can report every persona's problem
// at its own position rather than the first one only.
func CheckSpec(id string, raw json.RawMessage) error {
	_, err := parseSpec(id, raw)
	return err
}

func parseSpec(id string, raw json.RawMessage) (Spec, error) {
	s := Spec{ID: id}
	if err := strictDecode(raw, &s); err != nil {
		return Spec{}, fmt.Errorf("personas.%s: %w", id, err)
	}
	if err := s.check(); err != nil {
		return Spec{}, fmt.Errorf("personas.%s%w", id, err)
	}
	return s, nil
}

// strictDecode decodes one JSON value, refusing unknown fields and
// trailing data, with the "json: " prefix dropped from errors.
func strictDecode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return errors.New("trailing data")
	}
	return nil
}

// check validates a spec; errors start with the field path after the ID
// (".rules[0].verdict: …") or ": ".
func (s *Spec) check() error {
	if s.ID == "" || strings.TrimFunc(s.ID, func(r rune) bool {
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '_' || r == '-'
	}) != "" {
		return errors.New(": persona IDs use lower-case letters, digits, '_' and '-'")
	}
	builtin := isBuiltin(s.ID)
	switch {
	case builtin && s.Name != "":
		return errors.New(".name: a built-in persona's name cannot change")
	case builtin && s.Role != "":
		return errors.New(".role: a built-in persona's role cannot change")
	case !builtin && strings.TrimSpace(s.Name) == "" && (s.Enabled == nil || *s.Enabled):
		return errors.New(".name: required for a custom persona")
	case !builtin && len(s.Rules) == 0 && (s.Enabled == nil || *s.Enabled):
		return errors.New(".rules: a custom persona needs at least one rule")
	}
	for i, t := range s.Consult.Tools {
		if r, err := rule.Parse(t); err != nil || !r.Bare() {
			return fmt.Errorf(".consult.tools[%d]: %q is not a tool name", i, t)
		}
	}
	for i, t := range s.Consult.Rules {
		if _, err := rule.Parse(t); err != nil {
			return fmt.Errorf(".consult.rules[%d]: %v", i, err)
		}
	}
	for i := range s.Rules {
		if _, err := s.Rules[i].compile(); err != nil {
			return fmt.Errorf(".rules[%d]%w", i, err)
		}
	}
	return nil
}

func isBuiltin(id string) bool {
	switch id {
	case SarahChen, MarcusRodriguez, EmilyWatson, RachelTorres:
		return true
	}
	return false
}
