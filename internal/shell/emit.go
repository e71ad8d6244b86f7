package shell

import "strings"

// emit records one simple command and follows what it runs: the command a
// wrapper wraps, the code a shell or eval is given, the code an interpreter
// reads from a pipe.
func (a *analyzer) emit(f frame, ws []word, in *input) {
	if len(ws) == 0 || a.err != nil {
		return
	}
	a.nwords += len(ws)
	if len(a.out.Commands) >= maxCommands || a.nwords > maxWords {
		a.fail(errTooComplex)
		return
	}
	if in == nil {
		in = &input{}
	}
	c := buildCommand(ws)
	c.Via, c.Depth = f.via, f.depth
	if in.kind == inHeredoc || in.kind == inHerestring {
		c.Stdin = in.text
	}
	idx := len(a.out.Commands)
	a.out.Commands = append(a.out.Commands, c)
	if c.Dynamic {
		a.finding(DynamicName, c.Text)
		if len(ws) > 2 && strings.HasPrefix(ws[1].val, "-") && strings.HasSuffix(ws[1].val, "c") {
			a.shell(f, idx, ws, in) // $SHELL -c "…": what it may run
		}
		return
	}
	a.commandWrites(&c, ws)
	switch {
	case c.Name == "cd" || c.Name == "pushd" || c.Name == "popd":
		a.chdir(&c, ws)
	case isShell(c.Name):
		a.shell(f, idx, ws, in)
	case c.Name == "eval":
		if len(ws) > 1 {
			a.run(f, idx, joined(ws[1:]), "eval")
		}
	case c.Name == "source" || c.Name == ".":
		if len(ws) > 1 && !ws[1].static {
			a.dynamic(idx, DynamicCode, c.Text) // source <(curl …)
		}
	case a.interpreter(idx, &c, ws, in):
	default:
		a.unwrap(f, idx, ws, in)
	}
}

func (a *analyzer) finding(kind FindingKind, detail string) {
	a.out.Findings = append(a.out.Findings, Finding{Kind: kind, Detail: detail})
}

// dynamic marks command idx as running code only known at run time.
func (a *analyzer) dynamic(idx int, kind FindingKind, detail string) {
	a.out.Commands[idx].Dynamic = true
	a.finding(kind, detail)
}

// shellSetup are the tools whose output a shell is meant to eval, as their
// install instructions say: eval "$(ssh-agent -s)", eval "$(pyenv init -)".
var shellSetup = map[string]bool{
	"ssh-agent": true, "pyenv": true, "rbenv": true, "nodenv": true, "goenv": true, "jenv": true,
	"direnv": true, "starship": true, "zoxide": true, "fnm": true, "mise": true, "rtx": true,
	"brew": true, "conda": true, "opam": true, "atuin": true,
}

// setupCode reports whether eval's code is exactly one command substitution
// of a shell-setup tool with literal arguments, and returns that command.
func setupCode(via string, code word) (string, bool) {
	if via != "eval" || code.static {
		return "", false
	}
	inner, ok := strings.CutPrefix(code.val, "$(")
	if !ok || !strings.HasSuffix(inner, ")") {
		return "", false
	}
	inner = strings.TrimSuffix(inner, ")")
	if strings.ContainsAny(inner, "$`()|;&<>\\\n\"'") {
		return "", false
	}
	tool, _, _ := strings.Cut(strings.TrimSpace(inner), " ")
	return inner, shellSetup[tool]
}

// run analyzes code that command idx runs, one re-parse deeper. Code that
// holds expansions is analyzed as written and the command marked Dynamic.
func (a *analyzer) run(f frame, idx int, code word, via string) {
	nf := frame{via: via, depth: f.depth + 1, reparse: f.reparse + 1}
	if nf.reparse > maxReparse {
		a.fail(errTooDeep)
		return
	}
	if tool, ok := setupCode(via, code); ok {
		// eval "$(ssh-agent -s)": the output of a shell-setup tool, as its
		// own instructions say to run it. The tool is what is reviewed.
		a.out.Commands[idx].Wrapper = true
		a.finding(SetupEval, a.out.Commands[idx].Text)
		if err := a.code(nf, tool); err != nil {
			a.fail(err)
		}
		return
	}
	if code.static {
		// Only runs the code; a command whose own name is unknown stays
		// a plain dynamic command.
		a.out.Commands[idx].Wrapper = !a.out.Commands[idx].Dynamic
	} else {
		a.dynamic(idx, DynamicCode, a.out.Commands[idx].Text)
	}
	if via != "eval" { // a child shell: its cd does not outlive it
		defer a.restoreDir(a.saveDir())
	}
	err := a.code(nf, code.val)
	if err == nil {
		return
	}
	c := &a.out.Commands[idx]
	if _, parse := err.(*analyzeError); parse && (!code.static || c.Dynamic || foreignShell(c.Name)) {
		// The real text is not known, or it is not in the language this
		// package parses: what it runs is unknown rather than unparseable.
		if !c.Dynamic {
			c.Wrapper = false
			a.dynamic(idx, DynamicCode, c.Text)
		}
		return
	}
	a.fail(err)
}

// shell follows the code a shell runs: its -c string, or its standard
// input (a here-doc, a here-string, a pipe, a file). A named script file is
// a program like any other.
func (a *analyzer) shell(f frame, idx int, ws []word, in *input) {
	name := a.out.Commands[idx].Name
	if name == "" {
		name = a.out.Commands[idx].Path // $SHELL
	}
	hasC, stdin := false, false
	i := 1
opts:
	for i < len(ws) {
		arg := ws[i].val
		switch {
		case arg == "--":
			i++
			break opts
		case arg == "-":
			stdin = true
			i++
			break opts
		case len(arg) > 2 && arg[:2] == "--":
			switch arg[2:] {
			case "rcfile", "init-file":
				i++
			case "command":
				hasC = true
			}
		case len(arg) > 1 && (arg[0] == '-' || arg[0] == '+'):
			takes := 0
			for j := 1; j < len(arg); j++ {
				switch arg[j] {
				case 'c':
					hasC = true
				case 's':
					stdin = true
				case 'o', 'O':
					takes++
				}
			}
			i += takes
		default:
			break opts
		}
		i++
	}
	switch {
	case hasC:
		if i < len(ws) {
			a.run(f, idx, ws[i], name+" -c")
		}
	case !stdin && i < len(ws):
		if !ws[i].static {
			a.dynamic(idx, DynamicCode, a.out.Commands[idx].Text) // bash <(curl …)
		}
	default:
		a.stdinCode(f, idx, in)
	}
}

// stdinCode follows a shell that reads its program from standard input.
func (a *analyzer) stdinCode(f frame, idx int, in *input) {
	switch in.kind {
	case inPipe:
		a.dynamic(idx, PipeToShell, in.detail)
	case inFile:
		a.dynamic(idx, DynamicCode, a.out.Commands[idx].Text)
	case inHeredoc, inHerestring:
		in.used = true
		via := "heredoc"
		if in.kind == inHerestring {
			via = "herestring"
		}
		a.run(f, idx, word{val: in.text, static: in.static}, via)
	}
}

// interpreters maps a language runtime to the options that give it code
// inline.
var interpreters = map[string][]string{
	"python": {"c"}, "node": {"e", "p"}, "nodejs": {"e", "p"}, "bun": {"e", "p"},
	"ruby": {"e"}, "perl": {"e", "E"}, "php": {"r", "B", "R", "E"}, "osascript": {"e"},
	"lua": {"e"}, "Rscript": {"e"}, "deno": nil,
	"pwsh":       {"command", "c", "encodedcommand", "e", "ec", "enc"},
	"powershell": {"command", "c", "encodedcommand", "e", "ec", "enc"},
}

// interpreter reports inline code and code piped into a language runtime,
// and whether the command was one.
func (a *analyzer) interpreter(idx int, c *Command, ws []word, in *input) bool {
	name := c.Name
	if sp := specFor(name); sp != nil && sp == specs["python"] {
		name = "python"
	}
	inline, ok := interpreters[name]
	if !ok {
		return false
	}
	if hasFlag(c.Flags, inline...) || (name == "deno" && len(c.Operands) > 0 && c.Operands[0] == "eval") {
		a.finding(InlineCode, c.Text)
		return true
	}
	if name == "python" && hasFlag(c.Flags, "m") {
		return true // a module
	}
	if len(c.Operands) > 0 && c.Operands[0] != "-" {
		if first := scanOpts(specFor(c.Name), ws, 1, nil); first < len(ws) && !ws[first].static {
			a.dynamic(idx, DynamicCode, c.Text) // python <(curl …)
		}
		return true // a script file
	}
	switch in.kind {
	case inPipe:
		a.dynamic(idx, PipeToInterpreter, in.detail)
	case inFile:
		a.dynamic(idx, DynamicCode, c.Text)
	case inHeredoc, inHerestring:
		in.used = true
		a.finding(InlineCode, c.Text)
	}
	return true
}

func isShell(name string) bool {
	for _, s := range shells {
		if s == name {
			return true
		}
	}
	return false
}

// foreignShell reports whether the shell's language is not the POSIX/bash
// one this package parses.
func foreignShell(name string) bool {
	return name == "fish" || name == "csh" || name == "tcsh"
}

// joined makes one word of several, joined by spaces, as eval and watch do.
func joined(ws []word) word {
	out := word{static: true}
	vals := make([]string, len(ws))
	for i, w := range ws {
		vals[i] = w.val
		out.static = out.static && w.static
	}
	out.val = strings.Join(vals, " ")
	return out
}
