package engine

import (
	"strconv"
	"strings"
	"time"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/clip"
	"github.com/govern-dev/govern/internal/policy"
)

// MaxBriefing bounds the briefing: it rides on every prompt, so it stays
// far inside Claude Code's 10,000-character limit on additionalContext.
const MaxBriefing = 3000

// maxListed is how many rules of one list the briefing names.
const maxListed = 20

// Briefing is the governance context Claude reads with each prompt (the
// seed's enterprise context injection, sent as UserPromptSubmit
// additionalContext): whose policy applies, in which enforcement mode, the
// rules that matter to this actor, and how to behave when a call is
// blocked. It is at most MaxBriefing bytes. It reads the policy only, so
// the hook needs no engine for it.
func Briefing(p *policy.Policy, a govern.Actor) string {
	var b strings.Builder
	org := p.File.Organization
	if org == "" || org == "YOUR_ORGANIZATION" {
		org = "your organization"
	}
	mode := p.Enforcement(a.Team)
	b.WriteString("Enterprise governance: " + org + "'s policy")
	if p.File.Version != "" {
		b.WriteString(" (version " + p.File.Version + ")")
	}
	b.WriteString(" is in " + mode + " mode")
	if a.Team != "" {
		b.WriteString(" for team " + a.Team)
	}
	switch mode {
	case "warn":
		b.WriteString(": calls it would deny run with a warning for now, and every call is recorded in an audit trail.\n")
	case "audit":
		b.WriteString(": calls are recorded in an audit trail, not blocked, for now.\n")
	default:
		b.WriteString(": govern checks every tool call before it runs and records it in a tamper-evident audit trail.\n")
	}

	var deny, ask []policy.Entry
	deny, ask = append(deny, p.Deny...), append(ask, p.Ask...)
	if t, ok := p.Teams[a.Team]; ok {
		deny, ask = append(deny, t.Deny...), append(ask, t.Ask...)
	}
	for i := range p.Scopes {
		if s := &p.Scopes[i]; s.Applies(a.User, a.Team) {
			deny, ask = append(deny, s.Deny...), append(ask, s.Ask...)
		}
	}
	listRules(&b, "Denied", deny)
	listRules(&b, "Needs the user's approval", ask)
	b.WriteString("Never written by the agent: Claude Code's and govern's settings and the policy itself")
	if len(p.Protected) > 0 {
		b.WriteString(", " + strings.Join(p.Protected, ", "))
	}
	b.WriteString(".\n")
	if set := p.File.Settings; set.MaxConcurrentSessions > 0 || set.SessionTimeout > 0 {
		b.WriteString("Session limits:")
		if set.MaxConcurrentSessions > 0 {
			b.WriteString(" at most " + strconv.Itoa(set.MaxConcurrentSessions) + " sessions open per user")
		}
		if set.SessionTimeout > 0 {
			if set.MaxConcurrentSessions > 0 {
				b.WriteString(",")
			}
			b.WriteString(" each for at most " + (time.Duration(set.SessionTimeout) * time.Second).String())
		}
		b.WriteString(".\n")
	}
	b.WriteString("When a call is blocked, do not retry it in another form or work around the policy: tell the user the reason and follow the recommendations that come with it.")
	return clip.Bytes(b.String(), MaxBriefing)
}

// listRules writes "label: rule, rule, … (and N more)." when rules is not
// empty.
func listRules(b *strings.Builder, label string, rules []policy.Entry) {
	if len(rules) == 0 {
		return
	}
	b.WriteString(label + ": ")
	seen := map[string]bool{}
	for _, e := range rules {
		if seen[e.Rule.Text] {
			continue
		}
		seen[e.Rule.Text] = true
		if len(seen) > maxListed {
			continue
		}
		if len(seen) > 1 {
			b.WriteString(", ")
		}
		b.WriteString(e.Rule.Text)
	}
	if more := len(seen) - maxListed; more > 0 {
		b.WriteString(" (and " + strconv.Itoa(more) + " more)")
	}
	b.WriteString(".\n")
}
