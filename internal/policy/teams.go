package policy

// teams compiles the teams object and the user → team index. A user may be
// a member of one team only, so that a decision has one team.
func (c *compiler) teams(n *node) (map[string]CompiledTeam, map[string]string) {
	if len(members(n)) == 0 {
		return nil, nil
	}
	teams := make(map[string]CompiledTeam, len(n.members))
	teamOf := map[string]string{}
	for _, m := range n.members {
		p := path{}.key("teams").elem(m.key)
		if m.key == "" {
			c.loc.add(m.keyOff, "empty team name in teams")
		}
		t := CompiledTeam{Name: m.key, Members: map[string]bool{}}
		perms := c.permissions(m.val.get("permissions"), p.key("permissions"), false)
		t.Allow, t.Ask, t.Deny = perms.allow, perms.ask, perms.deny
		enf := m.val.get("enforcement")
		c.enum(enf, "enforcement", modes...)
		t.Enforcement = str(enf)
		for _, u := range elems(m.val.get("members")) {
			if u.kind != kString {
				continue
			}
			switch other, dup := teamOf[u.str]; {
			case u.str == "":
				c.loc.add(u.off, "empty user name in %s.members", p)
			case dup && other == m.key:
				c.loc.add(u.off, "user %q is listed twice in %s.members", u.str, p)
			case dup:
				c.loc.add(u.off, "user %q is already a member of team %q; a user belongs to one team", u.str, other)
			default:
				teamOf[u.str] = m.key
				t.Members[u.str] = true
			}
		}
		teams[m.key] = t
	}
	return teams, teamOf
}

// scopes compiles the scopes list; the teams it names must exist.
func (c *compiler) scopes(n *node, teams map[string]CompiledTeam) []CompiledScope {
	var out []CompiledScope
	names := map[string]bool{}
	for i, sn := range elems(n) {
		if sn.kind != kObject {
			continue
		}
		p := path{}.key("scopes").index(i)
		s := CompiledScope{Name: str(sn.get("name")), Users: map[string]bool{}, Teams: map[string]bool{}}
		c.uniqueName(sn.get("name"), p, names, "scope")
		for _, u := range elems(sn.get("users")) {
			if u.kind == kString {
				if u.str == "" {
					c.loc.add(u.off, "empty user name in %s.users", p)
				}
				s.Users[u.str] = true
			}
		}
		for _, t := range elems(sn.get("teams")) {
			if t.kind != kString {
				continue
			}
			if _, ok := teams[t.str]; !ok {
				c.loc.add(t.off, "unknown team %q in %s.teams", t.str, p)
			}
			s.Teams[t.str] = true
		}
		if len(elems(sn.get("users"))) == 0 && len(elems(sn.get("teams"))) == 0 {
			c.loc.add(sn.off, "%s applies to no one: give it users or teams", p)
		}
		perms := c.permissions(sn.get("permissions"), p.key("permissions"), true)
		s.Allow, s.Ask, s.Deny, s.Conditions = perms.allow, perms.ask, perms.deny, perms.conds
		out = append(out, s)
	}
	return out
}
