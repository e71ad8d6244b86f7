package policy

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/govern-dev/govern/internal/persona"
	"github.com/govern-dev/govern/internal/rule"
)

// parse scans, decodes, checks and compiles a policy file. The policy is
// returned even when there are problems (nil only when the file is not a
// JSON object), so that Validate can go on to compile its conditions.
func parse(name string, data []byte) (*Policy, Problems) {
	loc := &locator{name: name, data: data}
	s := &scanner{data: data, report: loc.add}
	root, serr := s.parseTree()
	if serr != nil {
		loc.add(serr.off, "%s", serr.msg)
		return nil, loc.result()
	}
	if root.kind != kObject {
		loc.add(root.off, "a policy must be a JSON object, not %s", root.kind)
		return nil, loc.result()
	}
	f := new(File)
	d := &decoder{data: data, loc: loc}
	d.decode(root, reflect.ValueOf(f).Elem(), nil)

	c := &compiler{loc: loc, name: name, data: data}
	p := &Policy{File: f, Name: name, Revision: revision(data)}
	c.compile(root, p)
	return p, loc.result()
}

// compiler checks what the types alone cannot (enumerations, rule syntax,
// globs, cross references) and builds the compiled lists.
type compiler struct {
	loc  *locator
	name string
	data []byte
}

func (c *compiler) compile(root *node, p *Policy) {
	if n := root.get("enforced_at"); n != nil && n.kind == kString {
		if _, err := time.Parse(time.RFC3339, n.str); err != nil {
			c.loc.add(n.off, "enforced_at must be an RFC 3339 time such as 2025-01-27T00:00:00Z")
		}
	}
	perms := c.permissions(root.get("permissions"), path{}.key("permissions"), true)
	p.Allow, p.Ask, p.Deny, p.Conditions = perms.allow, perms.ask, perms.deny, perms.conds

	c.hooks(root.get("hooks"))
	for _, m := range members(root.get("environmentVariables")) {
		if !envName(m.key) {
			c.loc.add(m.keyOff, "invalid environment variable name %q in environmentVariables", m.key)
		}
	}
	mcp := path{}.key("mcp").key("servers")
	for _, m := range members(root.get("mcp").get("servers")) {
		c.mcpServer(m.val, mcp.elem(m.key))
	}

	settings := root.get("settings")
	c.nonNegative(settings.get("maxConcurrentSessions"), "maxConcurrentSessions")
	c.nonNegative(settings.get("sessionTimeout"), "sessionTimeout")
	c.enum(settings.get("auditLevel"), "auditLevel", "minimal", "standard", "comprehensive")

	p.Teams, p.teamOf = c.teams(root.get("teams"))
	p.Scopes = c.scopes(root.get("scopes"), p.Teams)
	for _, m := range members(root.get("personas")) { // each persona's problem at its own place
		if err := persona.CheckSpec(m.key, c.data[m.val.off:m.val.end]); err != nil {
			c.loc.add(m.keyOff, "%v", err)
		}
	}
	c.enum(root.get("consensus").get("strategy"), "strategy", "unanimous", "majority", "security-veto")
	enf := root.get("enforcement")
	c.enum(enf.get("mode"), "mode", modes...)
	for _, m := range members(enf.get("teams")) {
		if _, ok := p.Teams[m.key]; !ok {
			c.loc.add(m.keyOff, "unknown team %q in enforcement.teams", m.key)
		}
		c.enum(m.val, "enforcement.teams."+m.key, modes...)
	}

	for i, n := range elems(root.get("protectedPaths")) {
		if n.kind != kString {
			continue
		}
		if n.str == "" || !doublestar.ValidatePattern(n.str) {
			c.loc.add(n.off, "invalid glob %q in protectedPaths[%d]", n.str, i)
			continue
		}
		p.Protected = append(p.Protected, n.str)
	}
	c.tests(root.get("tests"))
}

var modes = []string{"enforce", "warn", "audit"}

// perms is a compiled Permissions object.
type perms struct {
	allow, ask, deny []Entry
	conds            []Conditional
}

// permissions compiles a permissions object at p. Teams may not have
// conditionalRules (withConds false).
func (c *compiler) permissions(n *node, p path, withConds bool) perms {
	var out perms
	out.allow = c.rules(n.get("allowList"), p.key("allowList"))
	out.ask = c.rules(n.get("askList"), p.key("askList"))
	out.deny = c.rules(n.get("denyList"), p.key("denyList"))
	crs := n.get("conditionalRules")
	if crs != nil && !withConds {
		c.loc.add(keyOff(n, "conditionalRules"), "conditionalRules is not allowed in %s; use a scope", p)
		return out
	}
	for i, cr := range elems(crs) {
		if cr.kind != kObject {
			continue
		}
		cp := p.key("conditionalRules").index(i)
		cond := Conditional{
			Description: str(cr.get("description")),
			Allow:       c.rules(cr.get("allow"), cp.key("allow")),
			Ask:         c.rules(cr.get("ask"), cp.key("ask")),
			Deny:        c.rules(cr.get("deny"), cp.key("deny")),
			Source:      cp.String(),
		}
		if b := cr.get("require_validation"); b != nil {
			cond.RequireValidation = b.boolean
		}
		if cr.get("allow") == nil && cr.get("ask") == nil && cr.get("deny") == nil {
			c.loc.add(cr.off, "%s needs at least one of allow, ask, deny", cp)
		}
		cn := cr.get("condition")
		if cn == nil || cn.kind != kString {
			continue // reported by the decoder
		}
		if strings.TrimSpace(cn.str) == "" {
			c.loc.add(cn.off, "empty condition in %s", cp)
			continue
		}
		line, col := position(c.data, cn.off+1)
		cond.Condition = &Condition{
			Text: cn.str, Source: cp.key("condition").String(),
			file: c.name, line: line, col: col,
			raw: append([]byte(nil), c.data[cn.off+1:cn.end-1]...),
		}
		out.conds = append(out.conds, cond)
	}
	return out
}

// rules compiles a list of rule strings at p.
func (c *compiler) rules(n *node, p path) []Entry {
	var out []Entry
	for i, e := range elems(n) {
		if e.kind != kString {
			continue
		}
		r, err := rule.Parse(e.str)
		if err != nil {
			c.ruleProblem(e, err, p.ruleContext())
			continue
		}
		out = append(out, Entry{Rule: r, Source: p.index(i).String()})
	}
	return out
}

// ruleProblem reports a rule.Parse error at the character it names.
func (c *compiler) ruleProblem(n *node, err error, where string) {
	off := n.off
	msg := err.Error()
	if re, ok := errors.AsType[*rule.Error](err); ok {
		_, raw := decodeString(c.data[n.off+1:n.end-1], re.Offset)
		off, msg = n.off+1+raw, re.Msg
	}
	c.loc.add(off, "%s in %s", msg, where)
}

// ruleContext names a rule list the way its author thinks of it: from the
// nearest permissions object down (denyList, conditionalRules[0].allow), or
// the full path for rules outside one (a hook handler's if).
func (p path) ruleContext() string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i].field && p[i].text == "permissions" && i+1 < len(p) {
			return p[i+1:].String()
		}
	}
	return p.String()
}

func (c *compiler) enum(n *node, name string, values ...string) {
	if n == nil || n.kind != kString {
		return
	}
	for _, v := range values {
		if n.str == v {
			return
		}
	}
	c.loc.add(n.off, "%s must be one of %s", name, strings.Join(values, ", "))
}

func (c *compiler) nonNegative(n *node, name string) {
	if n == nil || n.kind != kNumber {
		return
	}
	if i, err := strconv.ParseInt(n.str, 10, 64); err == nil && i < 0 {
		c.loc.add(n.off, "%s must not be negative", name)
	}
}

func (c *compiler) mcpServer(n *node, p path) {
	if n == nil || n.kind != kObject {
		return
	}
	typ := n.get("type")
	c.enum(typ, p.key("type").short(), "stdio", "sse", "http")
	remote := typ != nil && (typ.str == "sse" || typ.str == "http")
	switch {
	case remote && n.get("url") == nil:
		c.loc.add(n.off, "missing key %q in %s", "url", p)
	case remote && n.get("command") != nil:
		c.loc.add(keyOff(n, "command"), "command is not allowed in %s: %s servers take a url", p, typ.str)
	case !remote && n.get("command") == nil:
		c.loc.add(n.off, "missing key %q in %s", "command", p)
	case !remote && n.get("url") != nil:
		c.loc.add(keyOff(n, "url"), "url needs type sse or http in %s", p)
	}
}

// members and elems iterate an object's members and an array's elements;
// nil or another kind (already reported) yields nothing.
func members(n *node) []member {
	if n == nil || n.kind != kObject {
		return nil
	}
	return n.members
}

func elems(n *node) []*node {
	if n == nil || n.kind != kArray {
		return nil
	}
	return n.elems
}

// str returns a string node's value, or "".
func str(n *node) string {
	if n == nil || n.kind != kString {
		return ""
	}
	return n.str
}

// keyOff returns the offset of key in object n (the last one, if repeated).
func keyOff(n *node, key string) int {
	off := n.off
	for _, m := range n.members {
		if m.key == key {
			off = m.keyOff
		}
	}
	return off
}

func envName(s string) bool {
	for i, r := range s {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}
