package persona

import (
	"slices"
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
	"truncate": true, "mv": true, "aws": true, "xargs": true, "vim": true, "vi": true, "nvim": true, "ex": true,
	"awk": true, "gawk": true, "mawk": true, "nawk": true, "mount": true, "chroot": true,
	"setfacl": true, "launchctl": true, "gh": true, "kubectl": true, "mysql": true, "mariadb": true, "mysqldump": true,
	"mysqladmin": true, "install": true, "at": true, "batch": true, "systemd-run": true,
}

// powerTools stop or restart the machine.
var powerTools = map[string]bool{"shutdown": true, "reboot": true, "halt": true, "poweroff": true, "systemctl": true}

// securityConcerns reports whether Marcus reviews c: security-relevant
// programs, code run from pipes or inline, network senders, and writes to
// sensitive places.
func securityConcerns(c *Call) bool {
	if c.Shell != nil && (len(c.Shell.Findings) > 0 || strings.Contains(c.Command, "()") || envWorth(c.Command)) {
		return true
	}
	for i := range c.commands() {
		cmd := &c.Shell.Commands[i]
		switch {
		case securityPrograms[cmd.Name], networkPrograms[cmd.Name], strings.HasPrefix(cmd.Name, "mkfs"),
			diskTools[cmd.Name], lvmTools[cmd.Name], powerTools[cmd.Name]:
			return true
		case cmd.Name == "git":
			if gitReviewed[operand(cmd, 0)] || operand(cmd, 0) == "config" || operand(cmd, 0) == "remote" || hasFlag(cmd, "c") {
				return true
			}
		case cmd.Name == "python" || cmd.Name == "python3":
			if hasFlag(cmd, "m") {
				return true
			}
		case strings.Contains(cmd.Text, "/webhook"), strings.Contains(cmd.Text, "hooks.slack.com"):
			return true
		case hasFlag(cmd, "eval", "checkpoint-action", "to-command", "use-compress-program", "rsh-command", "info-script", "new-volume-script"):
			return true // make --eval, tar --checkpoint-action: shell commands in options
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
	if c.outer == nil {
		c.nested = 0 // a call reviewed again starts its count afresh
	}
	cmds := c.commands()
	for i := range cmds {
		cmd := &cmds[i]
		hiddenShell(c, &v, cmd)
		hostAccess(c, &v, cmd)
		literalSecrets(&v, cmd)
		if networkPrograms[cmd.Name] {
			secretVarsSent(&v, cmd)
		}
		if cmd.Name == "python" || cmd.Name == "python3" {
			httpServer(c, &v, cmds, i)
		}
		switch {
		case cmd.Name == "rm" || cmd.Name == "shred" || cmd.Name == "unlink" || cmd.Name == "rmdir":
			finder, targets := deleteFinder(cmds[:i], cmd, cmd.Operands)
			if finder == nil && cmd.Via == "xargs" && len(targets) == 0 {
				targets = xargsInput(cmds[:i])
			}
			if finder == nil && slices.Contains(targets, "{}") {
				// xargs -I{} sh -c 'rm -rf {}': the placeholder is xargs's input.
				if x := lastXargs(cmds[:i]); x >= 0 {
					targets = xargsInput(cmds[:x+1])
				}
			}
			deletes(c, &v, cmd, finder, targets, hasFlag(cmd, "r", "R") || cmd.Name == "shred")
		case cmd.Name == "find":
			if hasFlag(cmd, "delete") {
				roots := cmd.Operands
				if len(roots) == 0 {
					roots = []string{"."}
				}
				deletes(c, &v, cmd, cmd, roots, true)
			}
		case cmd.Name == "truncate":
			truncates(c, &v, cmd)
		case cmd.Name == "rsync":
			rsyncDeletes(c, &v, cmd)
		case cmd.Name == "mv":
			moves(c, &v, cmd)
		case cmd.Name == "aws":
			cloudDeletes(&v, cmd)
		case cmd.Name == "git":
			gitCommand(&v, cmd)
		case cmd.Name == "chmod":
			// The mode, then the files; under find -exec or xargs the files
			// come from find or from xargs's input.
			finder, targets := deleteFinder(cmds[:i], cmd, cmd.Operands[min(1, len(cmd.Operands)):])
			if finder == nil && cmd.Via == "xargs" && len(targets) == 0 {
				targets = xargsInput(cmds[:i])
			}
			modes(c, &v, cmd, operand(cmd, 0), finder, targets)
		case cmd.Name == "install":
			if mode, ok := flagValue(cmd, "m"); ok {
				modes(c, &v, cmd, mode, nil, installed(cmd))
			}
		case cmd.Name == "sudo" || cmd.Name == "doas" || cmd.Name == "su" || cmd.Name == "pkexec" || cmd.Name == "run0" || cmd.Name == "sudoedit":
			v.flag(govern.Ask, govern.RiskHigh, cmd.Name+" runs commands as another user (root)",
				"Run the command without "+cmd.Name+"; if it needs root, ask an administrator or run it yourself")
		case cmd.Name == "docker" || cmd.Name == "podman" || cmd.Name == "nerdctl":
			container(c, &v, cmd)
			containerData(&v, cmd)
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
		case diskTools[cmd.Name] || strings.HasPrefix(cmd.Name, "mkfs") || lvmTools[cmd.Name] || powerTools[cmd.Name]:
			disk(&v, cmd)
		case cmd.Name == "crontab":
			if !hasFlag(cmd, "l") {
				v.flag(govern.Deny, govern.RiskHigh, "crontab installs jobs that run later, outside the session",
					"Run the task directly, or add the schedule to the project's CI instead of the user's crontab")
			}
		case (cmd.Name == "at" || cmd.Name == "batch") && (!strings.Contains(cmd.Path, "/") || strings.HasPrefix(cmd.Path, "/usr/") || strings.HasPrefix(cmd.Path, "/bin/")):
			// at -l lists, -r and -d remove, -c prints a job, -V prints the
			// version: everything else queues a job. ./batch is the
			// project's own script.
			if !hasFlag(cmd, "l", "r", "d", "c", "V", "help") {
				v.flag(govern.Deny, govern.RiskHigh, cmd.Name+" queues a job that runs later, outside the session",
					"Run the task directly, or add the schedule to the project's CI instead of the user's at queue")
			}
		}
	}
	if c.Shell != nil {
		if forkBomb(c.Command) {
			v.flag(govern.Deny, govern.RiskCritical, "a function that runs itself in a pipe or the background is a fork bomb, which takes the machine down",
				"Do not run self-replicating shell functions")
		}
		codeFindings(c, &v)
		exfiltration(c, &v)
		producedThenRun(c, &v)
		pushToNewRemote(&v, cmds)
		stdinSecrets(c, &v)
		if envWorth(c.Command) {
			envCode(c, &v)
		}
	}
	c.written(func(w string) bool {
		sensitiveWrite(c, &v, w)
		return true
	})
	return v.Verdict
}

// deletes reviews a command that deletes targets. finder is the find
// that selects them (find -delete, find -exec rm, find | xargs rm), or
// nil.
func deletes(c *Call, v *verdict, cmd *shell.Command, finder *shell.Command, targets []string, recursive bool) {
	what := cmd.Name
	if recursive && cmd.Name == "rm" {
		what = "rm -rf"
	} else if cmd.Name == "find" {
		what = "find -delete"
	}
	var temps, clones map[string]bool
	for _, t := range targets {
		if t == "{}" || t == "--" {
			continue
		}
		abs, where := c.locate(t)
		if finder != nil && filtered(finder) {
			// The matches lie below the roots, not the roots themselves.
			abs, where = c.belowRoot(t)
			if name, ok := flagValue(finder, "name"); ok && name == ".git" && where == inProject {
				where = gitDir
			}
		}
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
			v.flag(govern.Ask, govern.RiskHigh, what+" deletes the whole project ("+t+")",
				"Name the directories to delete, e.g. rm -rf ./build ./dist")
		case gitDir:
			v.flag(govern.Ask, govern.RiskHigh, what+" deletes the repository's history ("+t+")",
				"Keep .git; use git clean -n to see untracked files first")
		case unknown:
			if temps == nil {
				temps = tempVars(c.Command)
			}
			if recursive && !tempVar(t, temps) {
				v.flag(govern.Ask, govern.RiskHigh, what+" deletes "+t+", a path known only at run time",
					"Write the path out literally, e.g. rm -rf ./build, so it can be reviewed")
			}
		case inProject:
			if secretFile(abs) {
				v.flag(govern.Ask, govern.RiskHigh, what+" deletes the credentials file "+t+", which cannot be rebuilt",
					"Leave credentials files to the developer; move it aside (mv .env .env.bak) if it is in the way")
				continue
			}
			if clones == nil {
				clones = cloneDirs(c)
			}
			if recursive && clones[abs] {
				v.flag(govern.Ask, govern.RiskHigh, what+" deletes the existing checkout "+t+", with any uncommitted or ignored files in it",
					"Move the old checkout aside (mv "+t+" "+t+".old) or clone into a new directory")
			}
		}
	}
}

// filtered reports whether a find selects files by a test (-name, -type,
// -mtime …) rather than taking everything below its roots.
func filtered(cmd *shell.Command) bool {
	for _, f := range cmd.Flags {
		switch f.Name {
		case "delete", "depth", "maxdepth", "mindepth", "xdev", "mount", "print", "print0", "P", "L", "H",
			"exec", "execdir", "ok", "okdir", "type", "xtype":
		default:
			return true
		}
	}
	return false
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

// lastXargs returns the index of the last xargs wrapper in cmds, or -1.
func lastXargs(cmds []shell.Command) int {
	for i := len(cmds) - 1; i >= 0; i-- {
		if cmds[i].Name == "xargs" && cmds[i].Wrapper {
			return i
		}
	}
	return -1
}
