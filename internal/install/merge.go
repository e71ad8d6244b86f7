package install

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Merge returns base, Claude Code managed settings as the administrator
// wrote them (nil or empty for none), with govern's settings added:
// govern's rules appended to the permission lists (without duplicates),
// govern's hook group appended on each of its events, the policy's
// environment variables set, and the keys the policy owns set. Everything
// else in base is kept, in its order.
func Merge(base []byte, s *Settings) ([]byte, error) {
	root, err := parseObject(base)
	if err != nil {
		return nil, err
	}

	perms, err := root.object("permissions")
	if err != nil {
		return nil, err
	}
	for _, l := range []struct {
		key   string
		rules []string
	}{{"allow", s.Allow}, {"ask", s.Ask}, {"deny", s.Deny}} {
		if err := appendRules(perms, l.key, l.rules); err != nil {
			return nil, err
		}
	}
	if s.DisableBypass {
		perms.set("disableBypassPermissionsMode", "disable")
	}
	if len(perms.keys) > 0 {
		root.set("permissions", perms)
	}

	hooks, err := root.object("hooks")
	if err != nil {
		return nil, err
	}
	for _, ev := range Events {
		var groups []json.RawMessage
		if raw := hooks.vals[ev]; raw != nil {
			if err := json.Unmarshal(raw, &groups); err != nil {
				return nil, fmt.Errorf("hooks.%s is not a list of hook groups", ev)
			}
		}
		groups = append(groups, mustEncode(hookGroup(ev, s.Hook)))
		hooks.set(ev, groups)
	}
	root.set("hooks", hooks)

	if len(s.Env) > 0 {
		env, err := root.object("env")
		if err != nil {
			return nil, err
		}
		for _, k := range sortedKeys(s.Env) {
			env.set(k, s.Env[k])
		}
		root.set("env", env)
	}
	if s.AllowManagedHooksOnly != nil {
		root.set("allowManagedHooksOnly", *s.AllowManagedHooksOnly)
	}

	var out bytes.Buffer
	if err := json.Indent(&out, root.encode(), "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// group is a Claude Code hook matcher group; handler one command hook.
type group struct {
	Matcher string    `json:"matcher,omitempty"`
	Hooks   []handler `json:"hooks"`
}

type handler struct {
	Type      string `json:"type"`
	Command   string `json:"command"`
	Timeout   int    `json:"timeout"`
	OnFailure string `json:"onFailure,omitempty"`
}

func hookGroup(event string, h Hook) group {
	hd := handler{Type: "command", Command: h.Command(), Timeout: hookTimeout}
	if event == "SessionEnd" {
		hd.Timeout = sessionEndTimeout
	}
	if blockOnFailure[event] {
		hd.OnFailure = "block"
	}
	g := group{Hooks: []handler{hd}}
	if toolEvents[event] {
		g.Matcher = "*"
	}
	return g
}

// appendRules appends rules to the list at key, skipping those already in
// it.
func appendRules(perms *object, key string, rules []string) error {
	if len(rules) == 0 {
		return nil
	}
	var list []any
	if raw := perms.vals[key]; raw != nil {
		if err := json.Unmarshal(raw, &list); err != nil {
			return fmt.Errorf("permissions.%s is not a list", key)
		}
	}
	have := map[string]bool{}
	for _, r := range list {
		if s, ok := r.(string); ok {
			have[s] = true
		}
	}
	for _, r := range rules {
		if !have[r] {
			list = append(list, r)
			have[r] = true
		}
	}
	perms.set(key, list)
	return nil
}

// object is a JSON object that keeps its keys in order, and its values as
// written until they are replaced, so that an administrator's settings
// come back as they were, only re-indented.
type object struct {
	keys []string
	vals map[string]json.RawMessage
}

// parseObject reads a JSON object; empty input is an empty object.
func parseObject(data []byte) (*object, error) {
	o := &object{vals: map[string]json.RawMessage{}}
	if len(bytes.TrimSpace(data)) == 0 {
		return o, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("not a JSON object")
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := t.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		o.set(key, raw)
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON object")
	}
	return o, nil
}

// object returns the object at key, or a new one when there is none.
func (o *object) object(key string) (*object, error) {
	raw := o.vals[key]
	if raw == nil {
		return &object{vals: map[string]json.RawMessage{}}, nil
	}
	sub, err := parseObject(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", key, err)
	}
	return sub, nil
}

// set replaces the value at key, or adds key at the end.
func (o *object) set(key string, v any) {
	raw, ok := v.(json.RawMessage)
	if !ok {
		raw = mustEncode(v)
	}
	if _, had := o.vals[key]; !had {
		o.keys = append(o.keys, key)
	}
	o.vals[key] = raw
}

func (o *object) encode() []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(mustEncode(k))
		b.WriteByte(':')
		b.Write(o.vals[k])
	}
	b.WriteByte('}')
	return b.Bytes()
}

// mustEncode encodes v without HTML escaping: rules such as
// "Bash(a && b)" stay readable.
func mustEncode(v any) json.RawMessage {
	if o, ok := v.(*object); ok {
		return o.encode()
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // only values of our own types are encoded
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
