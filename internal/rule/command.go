package rule

import (
	"slices"
	"strings"

	"github.com/govern-dev/govern/internal/shell"
)

// cmdAlt is one alternative of a command rule, compiled two ways: as Claude
// Code's text pattern (for allow rules, which stay exact) and, when it reads
// as one command, as that command's shape (for deny and ask rules, which
// match what a command does however it is spelled).
type cmdAlt struct {
	text     string // glob on a command's text; "*" matches anything
	bareText string // with a trailing " *": the text alone also matches
	mode     shapeMode
	shape    shell.Command // mode == byShape: program, flags, operands (operands may hold '*')
}

type shapeMode uint8

const (
	byShape shapeMode = iota // program, flags ⊆, operands in order
	byText                   // glob on each command's text
	byLine                   // glob on the whole line: the pattern spans operators (|, ;, >)
	always                   // "Bash(*)": every command
)

func (r *Rule) compileCommand(off int) error {
	alts := expand(r.Spec)
	if alts == nil {
		return errAt(off, "too many {a,b} alternatives in %q", r.Text)
	}
	for _, a := range alts {
		a = collapseSpaces(strings.TrimSpace(a))
		if strings.HasSuffix(a, ":*") { // legacy spelling of a trailing " *"
			a = strings.TrimSuffix(a[:len(a)-2], " ") + " *"
		}
		if strings.Count(a, "'")%2 == 1 || strings.Count(a, `"`)%2 == 1 {
			return errAt(off+strings.IndexAny(r.Spec, `'"`), "unbalanced quote in %q", r.Text)
		}
		c := cmdAlt{text: a}
		if strings.HasSuffix(a, " *") {
			c.bareText = a[:len(a)-2]
		}
		c.mode, c.shape = shapeOf(a)
		r.cmds = append(r.cmds, c)
	}
	return nil
}

// shapeOf reads a pattern such as "*rm -rf*" or "docker run --privileged*"
// as the command it names. A leading star only says the command may appear
// anywhere, which is how deny rules are matched anyway; so does a trailing
// one after a space, after a flag, or in a pattern that starts with a star.
// Otherwise a trailing star belongs to its word: in "rm -rf /*" the operand
// is the glob "/*".
func shapeOf(pattern string) (shapeMode, shell.Command) {
	core := strings.TrimLeft(pattern, "* ")
	if trimmed := strings.TrimRight(core, "* "); trimmed != core {
		last := trimmed[strings.LastIndexByte(trimmed, ' ')+1:]
		if strings.HasPrefix(pattern, "*") || strings.HasPrefix(last, "-") || strings.HasSuffix(strings.TrimRight(core, "*"), " ") {
			core = trimmed
		}
	}
	core = strings.TrimSpace(core)
	if core == "" {
		return always, shell.Command{}
	}
	if strings.ContainsAny(core, "|;&<>()`$\\\n") {
		return byLine, shell.Command{}
	}
	words := splitWords(core)
	if len(words) == 0 || strings.Contains(words[0], "*") {
		return byText, shell.Command{}
	}
	for _, w := range words[1:] {
		if strings.HasPrefix(w, "-") && strings.Contains(w, "*") {
			return byText, shell.Command{}
		}
	}
	return byShape, shell.Normalize(words)
}

// splitWords splits a pattern into shell words, honouring single and double
// quotes (no escapes or expansions: patterns are literal).
func splitWords(s string) []string {
	var words []string
	var b strings.Builder
	in, quote := false, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				b.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote, in = c, true
		case c == ' ' || c == '\t':
			if in {
				words = append(words, b.String())
				b.Reset()
				in = false
			}
		default:
			b.WriteByte(c)
			in = true
		}
	}
	if in {
		words = append(words, b.String())
	}
	return words
}

// MatchText reports whether a command's text, as Claude Code's allow rules
// see it, matches the rule exactly: "*" matches anything, and a trailing
// " *" (or ":*") also matches the bare prefix. A bare rule matches every
// command.
func (r *Rule) MatchText(text string) bool {
	if r.Kind != Command {
		return false
	}
	if r.Spec == "" {
		return true
	}
	for i := range r.cmds {
		c := &r.cmds[i]
		if text == c.bareText || globMatch(c.text, text) {
			return true
		}
	}
	return false
}

// MatchCommand reports whether cmd does what the rule names, however it is
// spelled: same program, the rule's flags among its flags (in any order,
// clustered or long), the rule's operands among its operands in order.
// Patterns that do not read as one command fall back to a glob on cmd.Text.
// This is how deny and ask rules see each command of a line.
func (r *Rule) MatchCommand(cmd *shell.Command) bool {
	if r.Kind != Command {
		return false
	}
	if r.Spec == "" {
		return true
	}
	for i := range r.cmds {
		c := &r.cmds[i]
		switch c.mode {
		case always:
			return true
		case byText:
			if globMatch(c.text, cmd.Text) {
				return true
			}
		case byShape:
			if c.shape.Name == cmd.Name && hasFlags(cmd.Flags, c.shape.Flags) && hasOperands(cmd.Operands, c.shape.Operands) {
				return true
			}
		}
	}
	return false
}

// MatchLine reports whether the whole command line matches one of the
// rule's patterns that span shell operators (such as "curl * | sh").
func (r *Rule) MatchLine(line string) bool {
	if r.Kind != Command {
		return false
	}
	for i := range r.cmds {
		if c := &r.cmds[i]; c.mode == byLine && globMatch(c.text, collapseSpaces(line)) {
			return true
		}
	}
	return false
}

func hasFlags(have, want []shell.Flag) bool {
	for _, w := range want {
		if !slices.ContainsFunc(have, func(h shell.Flag) bool {
			return h.Name == w.Name && (!w.HasValue || h.HasValue && globMatch(w.Value, h.Value))
		}) {
			return false
		}
	}
	return true
}

// hasOperands reports whether want appears in have as a subsequence; a
// wanted operand may hold '*'.
func hasOperands(have, want []string) bool {
	i := 0
	for _, h := range have {
		if i == len(want) {
			break
		}
		if h == want[i] || strings.Contains(want[i], "*") && globMatch(want[i], h) {
			i++
		}
	}
	return i == len(want)
}
