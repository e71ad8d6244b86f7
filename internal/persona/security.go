package persona

import (
	"strings"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/shell"
)

// Marcus Rodriguez, security: what could destroy data outside the project,
// take over the machine, persist, or send secrets away.

// securityPrograms are the programs whose use Marcus reviews.
var securityPrograms = map[string]bool{
	"rm": true, "rmdir": true, "shred": true, "unlink": true, "find": true, "sudo": true, "doas": true,
	"su": true, "pkexec": true, "run0": true, "sudoedit": true, "chmod": true, "chown": true, "chgrp": true,
	"docker": true, "podman": true, "nerdctl": true, "nsenter": true, "dd": true, "mkswap": true,
	"wipefs": true, "sfdisk": true, "sgdisk": true, "crontab": true, "base64": true, "xxd": true,
}

// securityConcerns reports whether Marcus reviews c: security-relevant
// programs, code run from pipes or inline, network senders, and writes to
// sensitive places.
func securityConcerns(c *Call) bool {
	if c.Shell != nil && len(c.Shell.Findings) > 0 {
		return true
	}
	for i := range c.commands() {
		cmd := &c.Shell.Commands[i]
		switch {
		case securityPrograms[cmd.Name], networkPrograms[cmd.Name], strings.HasPrefix(cmd.Name, "mkfs"):
			return true
		case cmd.Name == "git":
			switch operand(cmd, 0) {
			case "push", "reset", "clean":
				return true
			}
		}
	}
	sensitive := false
	c.written(func(w string) bool {
		switch c.placeOf(w) {
		case inProject:
			sensitive = gitHook(w) || secretFile(w)
		case inTemp:
		default:
			sensitive = true
		}
		return !sensitive
	})
	return sensitive
}

// security is Marcus Rodriguez's review.
func security(c *Call) govern.Verdict {
	v := newVerdict(MarcusRodriguez)
	cmds := c.commands()
	for i := range cmds {
		cmd := &cmds[i]
		switch {
		case cmd.Name == "rm" || cmd.Name == "shred" || cmd.Name == "unlink" || cmd.Name == "rmdir":
			targets := cmd.Operands
			if cmd.Via == "find -exec" || cmd.Via == "find -execdir" || cmd.Via == "xargs" {
				targets = findRoots(cmds[:i], targets)
			}
			deletes(c, &v, cmd, targets, hasFlag(cmd, "r", "R") || cmd.Name == "shred")
		case cmd.Name == "find":
			if hasFlag(cmd, "delete") {
				roots := cmd.Operands
				if len(roots) == 0 {
					roots = []string{"."}
				}
				deletes(c, &v, cmd, roots, true)
			}
		case cmd.Name == "git":
			gitCommand(&v, cmd)
		case cmd.Name == "chmod":
			chmod(c, &v, cmd)
		case cmd.Name == "sudo" || cmd.Name == "doas" || cmd.Name == "su" || cmd.Name == "pkexec" || cmd.Name == "run0" || cmd.Name == "sudoedit":
			v.flag(govern.Ask, govern.RiskHigh, cmd.Name+" runs commands as another user (root)",
				"Run the command without "+cmd.Name+"; if it needs root, ask an administrator or run it yourself")
		case cmd.Name == "docker" || cmd.Name == "podman" || cmd.Name == "nerdctl":
			container(c, &v, cmd)
		case cmd.Name == "nsenter":
			v.flag(govern.Deny, govern.RiskCritical, "nsenter enters another process's namespaces, escaping its container",
				"Use docker exec on the container you own instead")
		case cmd.Name == "dd":
			for _, op := range cmd.Operands {
				if p, ok := strings.CutPrefix(op, "of="); ok {
					if abs, ok := c.resolve(p); ok && device(abs) {
						v.flag(govern.Deny, govern.RiskCritical, "dd writes the raw device "+abs,
							"Write disk images to a file inside the project, e.g. dd of=./disk.img")
					}
				}
			}
		case strings.HasPrefix(cmd.Name, "mkfs") || cmd.Name == "mkswap" || cmd.Name == "wipefs" || cmd.Name == "sfdisk" || cmd.Name == "sgdisk":
			for _, op := range cmd.Operands {
				if strings.HasPrefix(op, "/dev/") {
					v.flag(govern.Deny, govern.RiskCritical, cmd.Name+" formats or erases the device "+op,
						"Partition and format disks yourself, outside the agent")
					break
				}
			}
		case cmd.Name == "crontab":
			if !hasFlag(cmd, "l") {
				v.flag(govern.Deny, govern.RiskHigh, "crontab installs jobs that run later, outside the session",
					"Run the task directly, or add the schedule to the project's CI instead of the user's crontab")
			}
		}
	}
	if c.Shell != nil {
		codeFindings(c, &v)
		exfiltration(c, &v)
	}
	c.written(func(w string) bool {
		sensitiveWrite(c, &v, w)
		return true
	})
	return v.Verdict
}

// findRoots returns where a find earlier in the line searches, for the
// commands its -exec or a following xargs run on each file; else targets.
func findRoots(before []shell.Command, targets []string) []string {
	for i := len(before) - 1; i >= 0; i-- {
		if before[i].Name == "find" {
			if len(before[i].Operands) == 0 {
				return []string{"."}
			}
			return before[i].Operands
		}
	}
	return targets
}

// deletes reviews a command that deletes targets.
func deletes(c *Call, v *verdict, cmd *shell.Command, targets []string, recursive bool) {
	what := cmd.Name
	if recursive && cmd.Name == "rm" {
		what = "rm -rf"
	} else if cmd.Name == "find" {
		what = "find -delete"
	}
	for _, t := range targets {
		if t == "{}" || t == "--" {
			continue
		}
		abs, where := c.locate(t)
		switch where {
		case outside:
			if recursive {
				v.flag(govern.Deny, govern.RiskCritical, what+" deletes "+t+" ("+abs+"), outside the project",
					"Delete only inside the project or a temp dir, e.g. rm -rf ./build")
			} else {
				v.flag(govern.Ask, govern.RiskHigh, cmd.Name+" deletes "+abs+", outside the project",
					"Delete files inside the project only, or remove this one yourself")
			}
		case projectRoot:
			if cmd.Name == "find" && filtered(cmd) {
				continue
			}
			v.flag(govern.Ask, govern.RiskHigh, what+" deletes the whole project ("+t+")",
				"Name the directories to delete, e.g. rm -rf ./build ./dist")
		case gitDir:
			v.flag(govern.Ask, govern.RiskHigh, what+" deletes the repository's history ("+t+")",
				"Keep .git; use git clean -n to see untracked files first")
		case unknown:
			if recursive {
				v.flag(govern.Ask, govern.RiskHigh, what+" deletes "+t+", a path known only at run time",
					"Write the path out literally, e.g. rm -rf ./build, so it can be reviewed")
			}
		}
	}
}

// filtered reports whether a find selects files by a test (-name, -type,
// -mtime …) rather than taking everything below its roots.
func filtered(cmd *shell.Command) bool {
	for _, f := range cmd.Flags {
		switch f.Name {
		case "delete", "depth", "maxdepth", "mindepth", "xdev", "mount", "print", "P", "L", "H":
		default:
			return true
		}
	}
	return false
}

// gitCommand reviews history-destroying git commands.
func gitCommand(v *verdict, cmd *shell.Command) {
	switch operand(cmd, 0) {
	case "push":
		force := hasFlag(cmd, "f", "force")
		for _, op := range cmd.Operands[1:] {
			if len(op) > 1 && op[0] == '+' {
				force = true
			}
		}
		switch {
		case force:
			v.flag(govern.Deny, govern.RiskHigh, "a force push overwrites the remote branch's history",
				"Use git push --force-with-lease, which refuses to overwrite commits you have not seen")
		case hasFlag(cmd, "force-with-lease", "force-if-includes", "mirror"):
			v.flag(govern.Ask, govern.RiskMedium, "git push rewrites the remote branch's history",
				"Make sure nobody else pushed to this branch; prefer a new commit over a rewrite on shared branches")
		}
	case "reset":
		if hasFlag(cmd, "hard", "merge", "keep") {
			v.flag(govern.Ask, govern.RiskHigh, "git reset --hard throws away uncommitted changes",
				"Run git stash first, or use git restore on the files you mean")
		}
	case "clean":
		if hasFlag(cmd, "f") && !hasFlag(cmd, "n", "i") {
			v.flag(govern.Ask, govern.RiskHigh, "git clean -f deletes untracked files, which git cannot restore",
				"Preview with git clean -n first, then delete the files you name")
		}
	}
}

// chmod reviews world-writable modes and setuid bits.
func chmod(c *Call, v *verdict, cmd *shell.Command) {
	if len(cmd.Operands) < 2 {
		return
	}
	mode := cmd.Operands[0]
	world, setid := modeBits(mode)
	if !world && !setid {
		return
	}
	allTemp := true
	for _, t := range cmd.Operands[1:] {
		if _, where := c.locate(t); where != inTemp {
			allTemp = false
		}
	}
	if setid {
		v.flag(govern.Deny, govern.RiskHigh, "chmod "+mode+" sets the setuid/setgid bit, letting anyone run the file with its owner's rights",
			"Drop the s bit: chmod u-s,g-s, or run the program normally")
	}
	if world && !allTemp {
		v.flag(govern.Deny, govern.RiskHigh, "chmod "+mode+" makes files writable by every user",
			"Use chmod 755 for directories and programs, 644 for files (or u+w to let only yourself write)")
	}
}

// modeBits reads a chmod mode: whether it makes files world-writable and
// whether it sets the setuid or setgid bit.
func modeBits(mode string) (world, setid bool) {
	if mode != "" && mode[0] >= '0' && mode[0] <= '7' {
		n := 0
		for i := 0; i < len(mode); i++ {
			if mode[i] < '0' || mode[i] > '7' {
				return false, false
			}
			n = n*8 + int(mode[i]-'0')
		}
		return n&0o002 != 0, n&0o6000 != 0
	}
	for clause := range strings.SplitSeq(mode, ",") {
		i := strings.IndexAny(clause, "+-=")
		if i < 0 {
			continue
		}
		who, op, perms := clause[:i], clause[i], clause[i+1:]
		if op == '-' {
			continue
		}
		if strings.ContainsAny(who, "ao") && strings.ContainsRune(perms, 'w') {
			world = true
		}
		if strings.ContainsRune(perms, 's') {
			setid = true
		}
	}
	return world, setid
}

// container reviews docker and podman options that give a container the
// host: privileged mode, host namespaces, the host's root or the daemon's
// socket mounted inside.
func container(c *Call, v *verdict, cmd *shell.Command) {
	for _, f := range cmd.Flags {
		reason := ""
		switch f.Name {
		case "privileged":
			reason = "--privileged gives the container full access to the host"
		case "pid", "net", "network", "ipc", "uts", "userns", "cgroupns":
			if f.Value == "host" {
				reason = "--" + f.Name + "=host shares the host's namespace with the container"
			}
		case "cap-add":
			switch strings.ToUpper(strings.TrimPrefix(strings.ToUpper(f.Value), "CAP_")) {
			case "ALL", "SYS_ADMIN", "SYS_PTRACE", "SYS_MODULE", "DAC_READ_SEARCH", "SYS_RAWIO":
				reason = "--cap-add=" + f.Value + " lets the container break out to the host"
			}
		case "security-opt":
			if strings.Contains(f.Value, "unconfined") {
				reason = "--security-opt " + f.Value + " turns off the container's confinement"
			}
		case "v", "volume", "mount":
			src := f.Value
			if f.Name == "mount" {
				src = mountSource(f.Value)
			} else if i := strings.IndexByte(src, ':'); i >= 0 {
				src = src[:i]
			}
			if hostMount(c, src) {
				reason = "mounting " + src + " gives the container the host's files or its Docker daemon"
			}
		}
		if reason != "" {
			v.flag(govern.Deny, govern.RiskCritical, reason,
				"Run the container unprivileged and mount only the project: -v \"$PWD\":/app")
		}
	}
}

func mountSource(spec string) string {
	for kv := range strings.SplitSeq(spec, ",") {
		if k, val, ok := strings.Cut(kv, "="); ok && (k == "source" || k == "src") {
			return val
		}
	}
	return ""
}

// hostMount reports whether mounting src into a container exposes the host.
func hostMount(c *Call, src string) bool {
	if strings.Contains(src, "docker.sock") || strings.Contains(src, "podman.sock") || strings.Contains(src, "containerd.sock") {
		return true
	}
	abs, ok := c.resolve(src)
	if !ok || !strings.HasPrefix(src, "/") && !strings.HasPrefix(src, "~") && !strings.HasPrefix(src, "$HOME") && !strings.HasPrefix(src, "${HOME}") {
		return false // a named volume, or a path relative to the project
	}
	return abs == "/" || abs == c.Home || systemPath(abs) && !strings.HasPrefix(abs, "/opt/") || strings.HasPrefix(abs, "/dev")
}

// sensitiveWrite reviews one written path.
func sensitiveWrite(c *Call, v *verdict, w string) {
	switch {
	case device(w):
		v.flag(govern.Deny, govern.RiskCritical, "writes the raw device "+w,
			"Write to a file inside the project instead")
	case c.startupFile(w):
		v.flag(govern.Deny, govern.RiskHigh, "writes "+w+", which runs code or grants access outside the session",
			"Leave start-up, cron, systemd and SSH files to the developer; document the change in the README instead")
	case gitHook(w):
		v.flag(govern.Ask, govern.RiskHigh, "writes the git hook "+w+", which runs on every commit or push",
			"Add hooks through the project's hook manager (pre-commit, husky) in a reviewed change")
	case secretFile(w) && c.placeOf(w) == outside:
		v.flag(govern.Ask, govern.RiskHigh, "writes the credentials file "+w,
			"Change credentials yourself; the agent should not edit keys or tokens")
	case systemPath(w):
		v.flag(govern.Ask, govern.RiskHigh, "writes the system file "+w,
			"Keep changes inside the project; system files are the administrator's")
	}
}
