package install

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
)

// Merge returns base, Claude Code managed settings as the administrator
// wrote them (nil or empty for none), with govern's settings added:
// govern's rules appended to the permission lists (without duplicates),
// govern's hook group appended on each of its events, the policy's
// environment variables set, and the keys the policy owns set. Any hook of
// govern's already in base (an earlier install, or one shipped by other
// means) is taken out first, so govern's hook runs once, as configured
// now: merging twice gives what merging once does. Everything else in
// base is kept, in its order.
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
	emptied := unwire(hooks)
	for _, ev := range append(slices.Clip(Events), s.Observe...) {
		var groups []json.RawMessage
		if raw := hooks.vals[ev]; raw != nil {
			if err := json.Unmarshal(raw, &groups); err != nil {
				return nil, fmt.Errorf("hooks.%s is not a list of hook groups", ev)
			}
		}
		groups = append(groups, mustEncode(hookGroup(ev, s.Hook)))
		hooks.set(ev, groups)
		delete(emptied, ev)
	}
	for ev := range emptied {
		hooks.remove(ev)
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
	return root.indent()
}

// Unwire returns managed settings with govern's hook taken out of every
// event, for uninstall: groups and events left without a handler go too.
// Settings without govern's hook, or that are not a JSON object, come back
// unchanged, byte for byte.
func Unwire(settings []byte) []byte {
	root, err := parseObject(settings)
	if err != nil {
		return settings
	}
	hooks, err := root.object("hooks")
	if err != nil {
		return settings
	}
	emptied := unwire(hooks)
	if emptied == nil {
		return settings
	}
	for ev := range emptied {
		hooks.remove(ev)
	}
	if len(hooks.keys) == 0 {
		root.remove("hooks")
	} else {
		root.set("hooks", hooks)
	}
	out, err := root.indent()
	if err != nil {
		return settings
	}
	return out
}

// unwire removes every handler that runs govern's hook from a hooks
// object, and the groups it leaves empty. It returns the events whose
// lists it emptied, and nil when it removed nothing. What it cannot read
// as hook groups it leaves alone.
func unwire(hooks *object) map[string]bool {
	var emptied map[string]bool
	for _, ev := range hooks.keys {
		var groups []json.RawMessage
		if json.Unmarshal(hooks.vals[ev], &groups) != nil {
			continue
		}
		kept := make([]json.RawMessage, 0, len(groups))
		removed := false
		for _, raw := range groups {
			g, err := parseObject(raw)
			var handlers []json.RawMessage
			if err != nil || json.Unmarshal(g.vals["hooks"], &handlers) != nil {
				kept = append(kept, raw)
				continue
			}
			others := make([]json.RawMessage, 0, len(handlers))
			for _, h := range handlers {
				if _, ours := governHandler(h); !ours {
					others = append(others, h)
				}
			}
			switch {
			case len(others) == len(handlers):
				kept = append(kept, raw)
			case len(others) > 0:
				g.set("hooks", others)
				kept = append(kept, g.encode())
				removed = true
			default:
				removed = true // a group of govern's alone goes
			}
		}
		if !removed {
			continue
		}
		if emptied == nil {
			emptied = map[string]bool{}
		}
		hooks.set(ev, kept)
		if len(kept) == 0 {
			emptied[ev] = true
		}
	}
	return emptied
}

// group is a Claude Code hook matcher group; handler one command hook, in
// exec form: Claude Code runs Command with Args, no shell between.
type group struct {
	Matcher string    `json:"matcher,omitempty"`
	Hooks   []handler `json:"hooks"`
}

type handler struct {
	Type      string   `json:"type"`
	Command   string   `json:"command"`
	Args      []string `json:"args"`
	Timeout   int      `json:"timeout"`
	OnFailure string   `json:"onFailure,omitempty"`
}

func hookGroup(event string, h Hook) group {
	hd := handler{Type: "command", Command: h.Bin, Args: h.Args(), Timeout: hookTimeout}
	switch {
	case event == "SessionEnd":
		hd.Timeout = sessionEndTimeout
	case !slices.Contains(Events, event):
		hd.Timeout = observeTimeout
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
// it. The list's other entries stay as written.
func appendRules(perms *object, key string, rules []string) error {
	if len(rules) == 0 {
		return nil
	}
	var list []json.RawMessage
	if raw := perms.vals[key]; raw != nil {
		if err := json.Unmarshal(raw, &list); err != nil {
			return fmt.Errorf("permissions.%s is not a list", key)
		}
	}
	have := map[string]bool{}
	for _, r := range list {
		var s string
		if json.Unmarshal(r, &s) == nil {
			have[s] = true
		}
	}
	for _, r := range rules {
		if !have[r] {
			list = append(list, mustEncode(r))
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

// remove deletes key.
func (o *object) remove(key string) {
	if _, ok := o.vals[key]; !ok {
		return
	}
	delete(o.vals, key)
	o.keys = slices.DeleteFunc(o.keys, func(k string) bool { return k == key })
}

// indent is the object as a settings file: indented two spaces, with a
// final newline.
func (o *object) indent() ([]byte, error) {
	var out bytes.Buffer
	if err := json.Indent(&out, o.encode(), "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
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
