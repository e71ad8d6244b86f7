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
		// docker exec CONTAINER CMD…, docker compose exec SERVICE CMD…
		i := 0
		if o := operand(cmd, 0); o == "compose" || o == "container" {
			i = 1
		}
		if operand(cmd, i) != "exec" || len(cmd.Operands) < i+3 {
			return nil
		}
		return cmd.Operands[i+2:]
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
