package persona

import (
	"slices"
	"strings"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/shell"
)

// Environment variables whose value a program runs: GIT_SSH_COMMAND='curl
// … | sh' git fetch runs the download as surely as git -c
// core.sshCommand=… does, and LD_PRELOAD loads a library into every
// program.

// commandVars are the variables whose value a program runs as a command,
// mapped to who runs it.
var commandVars = map[string]string{
	"GIT_SSH_COMMAND": "git", "GIT_SSH": "git", "GIT_PAGER": "git", "GIT_EDITOR": "git",
	"GIT_SEQUENCE_EDITOR": "git", "GIT_EXTERNAL_DIFF": "git", "GIT_ASKPASS": "git", "GIT_PROXY_COMMAND": "git",
	"SSH_ASKPASS": "ssh", "SUDO_ASKPASS": "sudo", "PAGER": "the command", "MANPAGER": "man",
	"EDITOR": "the command", "VISUAL": "the command", "PROMPT_COMMAND": "bash",
	"KUBE_EDITOR": "kubectl", "SYSTEMD_PAGER": "systemctl", "SYSTEMD_EDITOR": "systemctl",
	"LESSOPEN": "less", "LESSCLOSE": "less",
}

// loadVars are the variables whose value names code that programs load,
// mapped to what they do with it.
var loadVars = map[string]string{
	"LD_PRELOAD":            "loads the library %s into every program the command runs",
	"LD_AUDIT":              "loads the library %s into every program the command runs",
	"DYLD_INSERT_LIBRARIES": "loads the library %s into every program the command runs",
	"BASH_ENV":              "makes every bash script the command starts run %s first",
	"ENV":                   "makes every sh the command starts run %s first",
	"GIT_EXEC_PATH":         "makes git run its subcommands from %s",
	"GIT_CONFIG_GLOBAL":     "makes git read its configuration, and the commands it names, from %s",
	"GIT_CONFIG_SYSTEM":     "makes git read its configuration, and the commands it names, from %s",
}

// optionVars are the variables that pass options to every run of a
// language's runtime, mapped to the options among them that load or run
// code: NODE_OPTIONS='--require ./x.js' runs x.js in every node process.
var optionVars = map[string][]string{
	"NODE_OPTIONS": {"--require", "-r", "--import", "--loader", "--experimental-loader"},
	"GOFLAGS":      {"-toolexec", "-exec", "-overlay"},
	"PERL5OPT":     {"-M", "-m"},
	"RUBYOPT":      {"-r"},
}

// envMarkers are the texts of a line that may set such a variable: the
// cheap test in front of the parse. ENV= on its own is checked apart, as
// a whole name: NODE_ENV= and APP_ENV= set nothing that runs.
var envMarkers = [...]string{"GIT_", "PAGER=", "EDITOR=", "VISUAL=", "ASKPASS=", "PROMPT_COMMAND=", "LD_PRELOAD=", "LD_AUDIT=",
	"DYLD_INSERT_LIBRARIES=", "BASH_ENV=", "LESSOPEN=", "LESSCLOSE=", "NODE_OPTIONS=", "GOFLAGS=", "PERL5OPT=", "RUBYOPT="}

// envWorth reports whether line may set a variable that runs or loads code.
func envWorth(line string) bool {
	if strings.IndexByte(line, '=') < 0 {
		return false
	}
	if strings.Contains(line, "+=") { // GIT_PAGER+=…: an append sets an unset variable too
		line = strings.ReplaceAll(line, "+=", "=")
	}
	for _, m := range envMarkers {
		if strings.Contains(line, m) {
			return true
		}
	}
	for rest, at := line, 0; ; {
		i := strings.Index(rest, "ENV=")
		if i < 0 {
			return false
		}
		if at+i == 0 || !nameByte(line[at+i-1]) {
			return true
		}
		at += i + len("ENV=")
		rest = line[at:]
	}
}

// nameByte reports whether b can be part of a shell variable name.
func nameByte(b byte) bool {
	return b == '_' || 'A' <= b && b <= 'Z' || 'a' <= b && b <= 'z' || '0' <= b && b <= '9'
}

// envCode reviews the variables the line sets whose value runs: in front
// of a command (GIT_PAGER=… git log, also inside bash -c), as a shell
// variable, through env, sudo or export, and git's own configuration passed in the environment
// (GIT_CONFIG_PARAMETERS, GIT_CONFIG_KEY_n and GIT_CONFIG_VALUE_n).
//
// A name set more than once keeps its last value, as the shell does, so
// that repeating an assignment adds no review; nestedShell bounds the
// reviews the rest can start.
func envCode(c *Call, v *verdict) {
	var names []string
	values := map[string]string{}
	add := func(name, value string) {
		if commandVars[name] != "" || loadVars[name] != "" || optionVars[name] != nil || strings.HasPrefix(name, "GIT_CONFIG_") {
			if _, seen := values[name]; !seen {
				names = append(names, name)
			}
			values[name] = value
		}
	}
	for _, a := range lineEnv(c) {
		if name, value, ok := shell.SplitAssign(a); ok && varName(name) {
			add(name, value)
		}
	}
	for _, name := range names {
		value := values[name]
		switch {
		case commandVars[name] != "":
			if value != "" && !nestedShell(c, v, name, value) && !harmlessCommand(value) {
				v.flag(govern.Ask, govern.RiskHigh, name+" makes "+commandVars[name]+" run `"+short(value)+"`, which cannot be vouched for",
					"Leave "+name+" unset, or run the command directly so it can be reviewed")
			}
		case optionVars[name] != nil:
			for _, w := range strings.Fields(value) {
				opt, _, _ := strings.Cut(w, "=")
				if slices.Contains(optionVars[name], opt) || strings.HasPrefix(w, "-M") && name == "PERL5OPT" || strings.HasPrefix(w, "-r") && len(w) > 2 && name == "RUBYOPT" {
					v.flag(govern.Ask, govern.RiskHigh, name+" makes every run of the program load or run code ("+short(value)+")",
						"Leave "+name+" unset, or run that code directly so it can be reviewed")
					break
				}
			}
		case loadVars[name] != "":
			if value != "" && value != "/dev/null" && (name != "ENV" || strings.Contains(value, "/") || strings.HasSuffix(value, ".sh")) {
				v.flag(govern.Ask, govern.RiskHigh, name+" "+strings.Replace(loadVars[name], "%s", short(value), 1),
					"Leave "+name+" unset; build and run the program normally")
			}
		case name == "GIT_CONFIG_PARAMETERS":
			words, _ := shell.Words(value)
			for _, kv := range words {
				if key, val, ok := strings.Cut(kv, "="); ok {
					gitConfigShell(c, v, key, val)
				}
			}
		case strings.HasPrefix(name, "GIT_CONFIG_KEY_"):
			if val, ok := values["GIT_CONFIG_VALUE_"+strings.TrimPrefix(name, "GIT_CONFIG_KEY_")]; ok {
				gitConfigShell(c, v, value, val)
			}
		}
	}
}

// lineEnv is every variable assignment on c's line, nested code included,
// as "NAME=value" or "NAME+=value": bare ones (GIT_PAGER=…; export
// GIT_PAGER; git log), which are the environment of the commands after
// them once exported; those in front of a command; and those given to env,
// sudo, doas, export, declare, typeset, local and readonly.
func lineEnv(c *Call) []string {
	if c.Shell == nil {
		return nil
	}
	env := slices.Clone(c.Shell.Assigns)
	for i := range c.commands() {
		cmd := &c.Shell.Commands[i]
		env = append(env, cmd.Env...)
		switch cmd.Name {
		case "env", "sudo", "doas", "export", "declare", "typeset", "local", "readonly":
			for _, a := range cmd.Args {
				if strings.IndexByte(a, '=') > 0 {
					env = append(env, a)
				}
			}
		}
	}
	return env
}

// varName reports whether s is a shell variable name.
func varName(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !nameByte(s[i]) {
			return false
		}
	}
	return true
}

// harmlessPrograms are the pagers, editors, diff viewers and ssh, which
// these variables usually name.
var harmlessPrograms = map[string]bool{
	"cat": true, "less": true, "more": true, "most": true, "bat": true, "batcat": true, "delta": true,
	"diff-so-fancy": true, "diff-highlight": true, "head": true, "tail": true, "true": true, "false": true,
	":": true, "vim": true, "vi": true, "nvim": true, "nano": true, "emacs": true, "emacsclient": true,
	"code": true, "code-insiders": true, "cursor": true, "subl": true, "mate": true, "micro": true,
	"hx": true, "kak": true, "ed": true, "ssh": true, "ssh-askpass": true, "ksshaskpass": true,
	"difft": true, "colordiff": true, "vimdiff": true, "meld": true, "kdiff3": true, "opendiff": true,
}

// codeOptions are the options of editors and pagers that take code to run.
var codeOptions = map[string]bool{
	"--eval": true, "-eval": true, "--exec": true, "-c": true, "--cmd": true, "-S": true, "-u": true,
	"--init": true, "-l": true, "--load": true, "-x": true, "-e": true,
}

// harmlessCommand reports whether text only runs harmless programs: no
// pipes into code, no writes, and no ssh option that runs a command of its
// own (ProxyCommand, LocalCommand) or reads another configuration.
func harmlessCommand(text string) bool {
	a, err := shell.Analyze(text)
	if err != nil || len(a.Findings) > 0 || len(a.Writes) > 0 || len(a.Commands) == 0 {
		return false
	}
	for i := range a.Commands {
		cmd := &a.Commands[i]
		if !harmlessPrograms[cmd.Name] {
			return false
		}
		for _, arg := range cmd.Args {
			// Editors and pagers run commands they are given: emacs --eval,
			// vim -c '!…' or +'!…', less +!cmd. Plain options and file
			// names pass.
			if strings.HasPrefix(arg, "+") || strings.ContainsAny(arg, "!(`") || codeOptions[arg] {
				return false
			}
		}
		if cmd.Name == "ssh" {
			for _, arg := range cmd.Args {
				lower := strings.ToLower(arg)
				if strings.Contains(lower, "command") || strings.Contains(lower, "provider") || strings.HasPrefix(arg, "-F") {
					return false
				}
			}
		}
	}
	return true
}
