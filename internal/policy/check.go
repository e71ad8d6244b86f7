package policy

import (
	"slices"
	"strconv"
	"strings"

	govern "github.com/govern-dev/govern"
)

// hooks checks the hooks object: known event names, and for Claude Code's
// matcher-group shape, each handler's fields for its type.
func (c *compiler) hooks(n *node) {
	for _, m := range members(n) {
		p := path{}.key("hooks").elem(m.key)
		if !knownEvent(m.key) {
			c.loc.add(m.keyOff, "unknown hook event %q%s", m.key, suggest(m.key, Events))
		}
		switch m.val.kind {
		case kString:
			if strings.TrimSpace(m.val.str) == "" {
				c.loc.add(m.val.off, "empty script path in %s", p)
			}
		case kArray:
			for i, g := range m.val.elems {
				gp := p.index(i)
				for j, h := range elems(g.get("hooks")) {
					c.hookHandler(h, gp.key("hooks").index(j))
				}
			}
		}
	}
}

func (c *compiler) hookHandler(n *node, p path) {
	if n == nil || n.kind != kObject {
		return
	}
	tn := n.get("type")
	if tn == nil || tn.kind != kString {
		return // reported by the decoder
	}
	fs, ok := hookFields[tn.str]
	if !ok {
		c.loc.add(tn.off, "type must be one of %s", strings.Join(hookTypes, ", "))
		return
	}
	for _, m := range n.members {
		switch m.key {
		case "type", "if", "timeout", "statusMessage":
			continue
		}
		if !slices.Contains(fs.required, m.key) && !slices.Contains(fs.optional, m.key) {
			c.loc.add(m.keyOff, "key %q is not allowed in a %s hook (%s)", m.key, tn.str, p)
		}
	}
	for _, r := range fs.required {
		if v := n.get(r); v == nil {
			c.loc.add(n.off, "missing key %q in %s", r, p)
		} else if v.kind == kString && v.str == "" {
			c.loc.add(v.off, "%s must not be empty", r)
		}
	}
	c.enum(n.get("shell"), "shell", "bash", "powershell")
	if t := n.get("timeout"); t != nil && t.kind == kNumber {
		if f, err := strconv.ParseFloat(t.str, 64); err == nil && f <= 0 {
			c.loc.add(t.off, "timeout must be more than 0 seconds")
		}
	}
	if r := n.get("if"); r != nil && r.kind == kString {
		c.rules(&node{kind: kArray, elems: []*node{r}}, p.key("if"))
	}
}

// tests checks the policy's own test cases.
func (c *compiler) tests(n *node) {
	names := map[string]bool{}
	for i, t := range elems(n) {
		p := path{}.key("tests").index(i)
		c.uniqueName(t.get("name"), p, names, "test")
		if ev := t.get("event").get("hook_event_name"); ev != nil {
			if ev.kind != kString {
				c.loc.add(ev.off, "hook_event_name must be a string, not %s", ev.kind)
			} else if !knownEvent(ev.str) {
				c.loc.add(ev.off, "unknown hook event %q in %s.event%s", ev.str, p, suggest(ev.str, Events))
			}
		}
		exp := t.get("expect")
		c.enum(exp.get("outcome"), "outcome",
			string(govern.Allow), string(govern.Ask), string(govern.Deny), string(govern.None))
		c.enum(exp.get("layer"), "layer", govern.LayerEnterprise, govern.LayerProject,
			govern.LayerLocal, govern.LayerUser, govern.LayerEngine, govern.LayerPersonas)
	}
}

// uniqueName checks that a list element's name is set and not used before
// in the list; what names the kind of element ("test", "scope").
func (c *compiler) uniqueName(nn *node, p path, names map[string]bool, what string) {
	if nn == nil || nn.kind != kString {
		return
	}
	switch {
	case nn.str == "":
		c.loc.add(nn.off, "empty name in %s", p)
	case names[nn.str]:
		c.loc.add(nn.off, "duplicate %s name %q", what, nn.str)
	}
	names[nn.str] = true
}
