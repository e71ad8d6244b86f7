package persona

import (
	"path"
	"slices"
	"strings"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/shell"
)

// awkShell reviews the shell commands an awk program runs: system(cmd),
// print … | cmd, cmd | getline and gawk's |& coprocesses, each of which awk
// hands to sh -c. Text printed into a shell is reviewed as the shell code
// it is. A command or code awk builds while it runs cannot be reviewed: it
// asks.
func awkShell(c *Call, v *verdict, cmd *shell.Command) {
	programs := cmd.Operands
	for _, f := range cmd.Flags {
		if f.Name == "e" || f.Name == "source" { // gawk
			programs = append(programs, f.Value)
		}
	}
	for _, prog := range programs {
		if !strings.Contains(prog, "system") && !strings.Contains(prog, "|") {
			continue
		}
		for _, r := range awkRuns(prog) {
			if r.known {
				nestedShell(c, v, cmd.Name+" "+r.via, r.text)
				continue
			}
			v.flag(govern.Ask, govern.RiskHigh, cmd.Name+" "+r.via+" runs a shell command built at run time: "+short(prog),
				"Run the shell command directly, so it can be reviewed")
		}
	}
}

// awkRun is one shell command an awk program runs.
type awkRun struct {
	via   string // system(), print |, | getline
	text  string // the shell code, when known
	known bool
}

// awkRuns finds the shell commands in an awk program.
func awkRuns(prog string) []awkRun {
	toks := awkTokens(prog)
	var runs []awkRun
	// one returns the string when toks holds exactly one string token.
	one := func(toks []awkToken) (string, bool) {
		if len(toks) == 1 && toks[0].kind == awkString {
			return toks[0].text, true
		}
		return "", false
	}
	for i, t := range toks {
		switch {
		case t.kind == awkWord && t.text == "system" && i+1 < len(toks) && toks[i+1].is("("):
			end := awkClose(toks, i+1)
			text, ok := one(toks[i+2 : end])
			runs = append(runs, awkRun{via: "system()", text: text, known: ok})
		case t.kind == awkPipe && i+1 < len(toks) && toks[i+1].kind == awkWord && toks[i+1].text == "getline":
			start := i
			for start > 0 && !toks[start-1].boundary() && !toks[start-1].is("(") {
				start--
			}
			text, ok := one(toks[start:i])
			runs = append(runs, awkRun{via: t.text + " getline", text: text, known: ok})
		case t.kind == awkPipe:
			start := i
			for start > 0 && !toks[start-1].boundary() {
				start--
			}
			if start == i || toks[start].kind != awkWord || toks[start].text != "print" && toks[start].text != "printf" {
				continue
			}
			end := i + 1
			for end < len(toks) && !toks[end].boundary() {
				end++
			}
			command, ok := one(toks[i+1 : end])
			if !ok {
				runs = append(runs, awkRun{via: "print " + t.text, known: false})
				continue
			}
			runs = append(runs, awkRun{via: "print " + t.text, text: command, known: true})
			if name, _, _ := strings.Cut(strings.TrimSpace(command), " "); slices.Contains(shells, path.Base(name)) {
				// What the program prints is the shell's code.
				code, ok := one(toks[start+1 : i])
				runs = append(runs, awkRun{via: "print | " + name, text: code, known: ok})
			}
		}
	}
	return runs
}

// shells are the programs that run the text they read as shell code.
var shells = []string{"sh", "bash", "zsh", "dash", "ksh", "ash", "mksh", "busybox"}

// awkClose returns the index of the parenthesis that closes toks[open].
func awkClose(toks []awkToken, open int) int {
	depth := 0
	for i := open; i < len(toks); i++ {
		switch {
		case toks[i].is("("):
			depth++
		case toks[i].is(")"):
			if depth--; depth == 0 {
				return i
			}
		}
	}
	return len(toks)
}

type awkKind uint8

const (
	awkPunct  awkKind = iota // one character: ( ) , ; { } and the operators
	awkWord                  // a name, keyword or number
	awkString                // "…", its text with the escapes decoded
	awkRegex                 // /…/
	awkPipe                  // | or |&
	awkEOL                   // a newline: it ends a statement
)

type awkToken struct {
	kind awkKind
	text string
}

func (t awkToken) is(p string) bool { return t.kind == awkPunct && t.text == p }

// boundary reports whether t ends a statement.
func (t awkToken) boundary() bool {
	return t.kind == awkEOL || t.kind == awkPunct && (t.text == ";" || t.text == "{" || t.text == "}")
}

// awkTokens splits an awk program into the tokens awkRuns reads: enough
// to tell strings, regular expressions and comments from code. A slash
// starts a regular expression where an operand is expected, as awk's own
// grammar says.
func awkTokens(prog string) []awkToken {
	var toks []awkToken
	operandNext := true // a slash here starts a regular expression
	for i := 0; i < len(prog); {
		b := prog[i]
		switch {
		case b == '\n':
			toks = append(toks, awkToken{awkEOL, "\n"})
			operandNext = true
			i++
		case b == ' ' || b == '\t' || b == '\r':
			i++
		case b == '\\' && i+1 < len(prog) && prog[i+1] == '\n': // a continued line
			i += 2
		case b == '#':
			for i < len(prog) && prog[i] != '\n' {
				i++
			}
		case b == '"':
			var s strings.Builder
			i++
			for i < len(prog) && prog[i] != '"' {
				if prog[i] == '\\' && i+1 < len(prog) {
					i++
					switch prog[i] {
					case 'n':
						s.WriteByte('\n')
					case 't':
						s.WriteByte('\t')
					default:
						s.WriteByte(prog[i])
					}
				} else {
					s.WriteByte(prog[i])
				}
				i++
			}
			i++
			toks = append(toks, awkToken{awkString, s.String()})
			operandNext = false
		case b == '/' && operandNext:
			j, class := i+1, false
			for j < len(prog) && prog[j] != '\n' && (prog[j] != '/' || class) {
				switch prog[j] {
				case '\\':
					j++
				case '[':
					class = true
				case ']':
					class = false
				}
				j++
			}
			toks = append(toks, awkToken{awkRegex, prog[i:min(j+1, len(prog))]})
			i = j + 1
			operandNext = false
		case b == '|':
			switch {
			case i+1 < len(prog) && prog[i+1] == '|':
				toks = append(toks, awkToken{awkPunct, "||"})
				i += 2
				operandNext = true
			case i+1 < len(prog) && prog[i+1] == '&':
				toks = append(toks, awkToken{awkPipe, "|&"})
				i += 2
			default:
				toks = append(toks, awkToken{awkPipe, "|"})
				i++
			}
			operandNext = true
		case nameByte(b) || b == '.' || b == '$':
			j := i + 1
			for j < len(prog) && (nameByte(prog[j]) || prog[j] == '.') {
				j++
			}
			word := prog[i:j]
			toks = append(toks, awkToken{awkWord, word})
			// After a keyword that takes an expression, an operand follows.
			operandNext = word == "print" || word == "printf" || word == "return" || word == "in" || word == "$"
			i = j
		default:
			toks = append(toks, awkToken{awkPunct, prog[i : i+1]})
			operandNext = b != ')' && b != ']'
			i++
		}
	}
	return toks
}
