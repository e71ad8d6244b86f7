package persona

import (
	"slices"
	"strings"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/shell"
)

// Commands that docker, podman and kubectl exec run inside a container.
// The shell analysis does not unwrap them (the container's argv is data
// to it), so Rachel reviews them here as command lines of their own.

// execArgs returns the command that docker, podman or kubectl exec runs
// inside a container, or nil.
func execArgs(cmd *shell.Command) []string {
	if len(cmd.Operands) < 2 {
		return nil
	}
	switch cmd.Name {
	case "docker", "podman", "nerdctl":
		return containerExec(cmd.Args)
	case "kubectl", "oc":
		// kubectl exec POD -- CMD…; kubectl's global options with a value
		// (--context prod) read as operands, so exec is looked for.
		i := slices.Index(cmd.Operands, "exec")
		if i < 0 {
			return nil
		}
		if k := slices.Index(cmd.Args, "--"); k >= 0 {
			if k+1 < len(cmd.Args) && slices.Index(cmd.Args, "exec") < k {
				return cmd.Args[k+1:]
			}
			return nil
		}
		if len(cmd.Operands) < i+3 {
			return nil
		}
		return cmd.Operands[i+2:]
	}
	return nil
}

// containerValueOpts are the options of docker, docker compose and their
// exec subcommands that take a value as the next word.
var containerValueOpts = map[string]bool{
	"-f": true, "--file": true, "-p": true, "--project-name": true, "--project-directory": true,
	"--env-file": true, "--profile": true, "-c": true, "--context": true, "-H": true, "--host": true,
	"--config": true, "-l": true, "--log-level": true, "-u": true, "--user": true, "-w": true,
	"--workdir": true, "-e": true, "--env": true, "--index": true, "--detach-keys": true,
}

// containerExec returns what `docker [compose|container] [OPTIONS] exec
// [OPTIONS] CONTAINER CMD…` runs in the container, or nil for any other
// docker command.
func containerExec(args []string) []string {
	skip := func(i int) int { // past the option at i and its value
		if containerValueOpts[args[i]] {
			return i + 2
		}
		return i + 1
	}
	i := 0
	for i < len(args) && args[i] != "exec" {
		switch a := args[i]; {
		case a == "compose" || a == "container":
			i++
		case strings.HasPrefix(a, "-"):
			i = skip(i)
		default:
			return nil // another subcommand
		}
	}
	for i++; i < len(args) && strings.HasPrefix(args[i], "-"); {
		if args[i] == "--" {
			i++
			break
		}
		i = skip(i)
	}
	if i+1 >= len(args) {
		return nil
	}
	return args[i+1:] // after the container or service
}

// execData reviews the command a container runs (argv) as Rachel would
// review it on the host. Paths inside a container are not the host's, so
// only her review applies: databases dropped, flushed or migrated away.
func execData(c *Call, v *verdict, via string, argv []string) {
	var b strings.Builder
	for i, a := range argv {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(shellQuote(a))
	}
	text := b.String()
	if len(text) > 4096 {
		return
	}
	a, err := shell.Analyze(text)
	if err != nil {
		return
	}
	w := data(&Call{Tool: c.Tool, Command: text, Shell: a, Root: c.Root, Home: c.Home, Cwd: c.Cwd})
	if w.Outcome != govern.Ask && w.Outcome != govern.Deny {
		return
	}
	rec := ""
	if len(w.Recommendations) > 0 {
		rec = w.Recommendations[0]
	}
	for _, r := range w.Reasons {
		v.flag(w.Outcome, w.Risk, r+" (inside "+via+")", rec)
	}
}

// shellQuote quotes s for a shell, leaving plain words as they are.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:@%+,", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
