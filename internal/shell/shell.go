package shell

import "strings"

// Analysis is what one command line runs and writes.
type Analysis struct {
	// Commands holds every simple command the line runs, in source order,
	// nested ones included (wrapped, substituted, or fed to a shell).
	Commands []Command
	// Writes holds every file the line writes.
	Writes []Write
	// Findings are facts about the line that policy and personas care about
	// but that are not themselves a command: a pipe into a shell, an
	// interpreter one-liner, a name known only at run time.
	Findings []Finding
	// Assigns are the shell variables the line sets on their own, nested
	// code included, as "NAME=value" or "NAME+=value" (GIT_PAGER=…; export
	// GIT_PAGER; git log): exported, they are the environment of later
	// commands. SplitAssign reads one.
	// Assignments in front of a command are that Command's Env.
	Assigns []string
}

// Command is one simple command.
type Command struct {
	// Name is the program the command runs: quotes and escapes removed,
	// $'…' decoded, the directory dropped ("/usr/bin/../bin/rm" → "rm").
	// Empty when Dynamic.
	Name string
	// Path is the program as written, quotes removed ("/usr/bin/../bin/rm").
	Path string
	// Args are the arguments after the name, each as the program receives
	// it (quotes removed). A part only known at run time keeps its source
	// text ("$HOME", "$(date)").
	Args []string
	// Flags are the options among Args, normalized: clusters split ("-rf"
	// → r, f), the long forms of common tools mapped to their short form
	// ("rm --recursive" → r), "--flag=value" split. Args after "--" are
	// operands.
	Flags []Flag
	// Operands are the non-flag arguments, in order.
	Operands []string
	// Text is Path and Args joined by single spaces: the command as Claude
	// Code's allow rules see it.
	Text string
	// Env are the assignments written before the command, as "NAME=value"
	// or "NAME+=value" ("GIT_PAGER=less git log"): the command runs with
	// them in its environment. SplitAssign reads one.
	Env []string
	// Stdin is the text the line feeds the command on standard input, when
	// it is written in the line: a here-document's or here-string's body,
	// expansions as written ("psql <<'SQL' … SQL").
	Stdin string
	// Via says how the command is reached: "" at top level, otherwise the
	// construct that runs it ("sudo", "bash -c", "eval", "$()", "xargs",
	// "find -exec", "heredoc", …).
	Via string
	// Depth is how deeply the command is nested in such constructs.
	Depth int
	// Wrapper marks a command that only runs another one (sudo, env,
	// timeout, xargs, …); the wrapped command follows as its own Command.
	Wrapper bool
	// Transparent marks wrappers that Claude Code strips before matching
	// allow rules (timeout, time, nice, nohup, stdbuf, command, builtin,
	// noglob, bare xargs).
	Transparent bool
	// Dynamic marks a command whose program is only known at run time
	// ("$x args", "$(cmd) args", "eval $x", "bash -c \"$x\"", a shell
	// reading a script from a pipe).
	Dynamic bool
}

// Flag is one normalized option.
type Flag struct {
	Name     string // without dashes: "r", "force", "privileged"
	Value    string // the value of "--name=value"
	HasValue bool
}

// Write is one file a command line writes.
type Write struct {
	Path    string // as written, quotes removed; may be relative
	Via     string // ">", ">>", "&>", "tee", "cp", "mv", "install", "ln", "dd", "sed -i", "sort -o", …
	Dynamic bool   // the path is only known at run time
}

// FindingKind names a fact about a command line.
type FindingKind string

const (
	PipeToShell       FindingKind = "pipe-to-shell"       // curl … | sh, base64 -d | bash
	PipeToInterpreter FindingKind = "pipe-to-interpreter" // curl … | python
	InlineCode        FindingKind = "inline-code"         // python -c, node -e, ruby -e, perl -e
	DynamicName       FindingKind = "dynamic-name"        // $x, $(…) as a command name
	DynamicCode       FindingKind = "dynamic-code"        // bash -c "$x", eval "$x", bash < file
	SetupEval         FindingKind = "setup-eval"          // eval "$(ssh-agent -s)": a shell-setup tool's output, the tool analyzed
)

// Finding is one fact about a command line.
type Finding struct {
	Kind   FindingKind
	Detail string // the command text it is about
}

// SplitAssign splits an assignment of Env or Assigns into the variable's
// name and the value it is given. An append (NAME+=value) gives the
// appended text: on an unset variable, which is what a line that sets it
// to run code relies on, that is the whole value.
func SplitAssign(a string) (name, value string, ok bool) {
	name, value, ok = strings.Cut(a, "=")
	return strings.TrimSuffix(name, "+"), value, ok
}
