package persona

import (
	"path"
	"strings"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/shell"
)

// File modes that open files to every user or run programs with another
// account's rights: chmod, install -m.

// modes reviews a mode that cmd (chmod, install -m) gives targets:
// world-writable files, and set-user-ID or set-group-ID programs. finder
// is the find that selects the targets (find -exec chmod, find | xargs
// chmod), or nil.
//
// Setuid on anything is denied: whoever runs the file runs it as its
// owner. Setgid alone is how a group shares a directory (files created in
// it take the directory's group), so it passes on a target of the project
// or a temp dir known to be a directory: one that find -type d selected,
// that install -d creates, written with a trailing /, ".", or the project
// root. A target that may be a directory or a compiled program (./server,
// build/app: no extension, outside bin/, sbin/ and libexec/) is asked
// about. On anything else (a program, a script, a file install copies, a
// file elsewhere, or every file below with -R) setgid is denied like
// setuid.
func modes(c *Call, v *verdict, cmd *shell.Command, mode string, finder *shell.Command, targets []string) {
	world, setuid, setgid := modeBits(mode)
	if !world && !setuid && !setgid || len(targets) == 0 {
		return
	}
	filter := finder != nil && filtered(finder)
	dirsOnly := cmd.Name == "install" && hasFlag(cmd, "d")
	if finder != nil {
		t, _ := flagValue(finder, "type")
		dirsOnly = t == "d"
	}
	allTemp, program, maybe := true, false, ""
	for _, t := range targets {
		abs, where := c.locate(t)
		if filter {
			abs, where = c.belowRoot(t)
		}
		if where != inTemp {
			allTemp = false
		}
		dir := dirsOnly || strings.HasSuffix(t, "/") || t == "." || where == projectRoot
		switch {
		case where != inProject && where != inTemp && where != projectRoot,
			!dirsOnly && (filter || hasFlag(cmd, "R") || cmd.Name == "install"),
			!dir && programLike(abs):
			program = true
		case !dir && maybe == "":
			maybe = t
		}
	}
	if setuid || setgid && program {
		what, whose := "setuid", "owner's"
		if !setuid {
			what, whose = "setgid", "group's"
		}
		v.flag(govern.Deny, govern.RiskHigh, cmd.Name+" "+mode+" sets the "+what+" bit, letting anyone run the file with its "+whose+" rights",
			"Drop the s bit: chmod u-s,g-s, or run the program normally (g+s is fine on a shared directory: find DIR -type d -exec chmod g+s {} +)")
	} else if setgid && maybe != "" {
		v.flag(govern.Ask, govern.RiskHigh, "setgid on "+maybe+": if it is a program, it runs with the group's rights",
			"On a shared directory, name it as one: chmod g+s "+strings.TrimSuffix(maybe, "/")+"/ (or find DIR -type d -exec chmod g+s {} +)")
	}
	if world && !allTemp {
		v.flag(govern.Deny, govern.RiskHigh, cmd.Name+" "+mode+" makes files writable by every user",
			"Use chmod 755 for directories and programs, 644 for files (or u+w to let only yourself write)")
	}
}

// programLike reports whether abs reads as a program or a file rather than
// a directory: under a bin, sbin or libexec directory, or with a file
// extension.
func programLike(abs string) bool {
	for _, d := range [...]string{"/bin/", "/sbin/", "/libexec/"} {
		if strings.Contains(abs, d) {
			return true
		}
	}
	return path.Ext(abs) != ""
}

// installed returns what install writes: with -d the directories it
// creates, with -t the files it copies into the target directory, else the
// last operand.
func installed(cmd *shell.Command) []string {
	if hasFlag(cmd, "d") {
		return cmd.Operands
	}
	if dir, ok := flagValue(cmd, "t"); ok {
		out := make([]string, 0, len(cmd.Operands))
		for _, op := range cmd.Operands {
			out = append(out, path.Join(dir, path.Base(op)))
		}
		return out
	}
	if len(cmd.Operands) < 2 {
		return nil
	}
	return cmd.Operands[len(cmd.Operands)-1:]
}

// modeBits reads a chmod mode: whether it makes files world-writable, and
// whether it sets the setuid or the setgid bit.
func modeBits(mode string) (world, setuid, setgid bool) {
	if mode != "" && mode[0] >= '0' && mode[0] <= '7' {
		n := 0
		for i := 0; i < len(mode); i++ {
			if mode[i] < '0' || mode[i] > '7' {
				return false, false, false
			}
			n = n*8 + int(mode[i]-'0')
		}
		return n&0o002 != 0, n&0o4000 != 0, n&0o2000 != 0
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
			all := who == "" || strings.ContainsRune(who, 'a')
			setuid = setuid || all || strings.ContainsRune(who, 'u')
			setgid = setgid || all || strings.ContainsRune(who, 'g')
		}
	}
	return world, setuid, setgid
}
