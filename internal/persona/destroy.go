package persona

import (
	"path"
	"slices"
	"strings"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/shell"
	"mvdan.cc/sh/v3/syntax"
)

// Ways to destroy data other than rm: emptying files, syncing deletions,
// moving into /dev/null, container volumes, cloud buckets, disks.

// deleteFinder returns the find whose matches a command run by -exec, or
// fed to xargs, acts on (deletes, chmods), and the places it searches;
// else nil and ops, the command's own file operands.
func deleteFinder(before []shell.Command, cmd *shell.Command, ops []string) (*shell.Command, []string) {
	if cmd.Via != "find -exec" && cmd.Via != "find -execdir" && cmd.Via != "xargs" {
		return nil, ops
	}
	for i := len(before) - 1; i >= 0; i-- {
		if before[i].Name == "find" {
			if len(before[i].Operands) == 0 {
				return &before[i], []string{"."}
			}
			return &before[i], before[i].Operands
		}
	}
	return nil, ops
}

// xargsInput returns what xargs hands the command it runs, when the line
// says: the words an echo or printf pipes into it, or a here-string. A
// source only known at run time gives one placeholder, which reviews as
// a path known only at run time.
func xargsInput(before []shell.Command) []string {
	if len(before) == 0 {
		return nil
	}
	if in := before[len(before)-1].Stdin; in != "" { // xargs rm <<< "a b"
		return strings.Fields(in)
	}
	// before ends with the xargs wrapper; the command before it feeds it.
	for i := len(before) - 2; i >= 0; i-- {
		if before[i].Via != "" {
			continue
		}
		if (before[i].Name == "echo" || before[i].Name == "printf") && len(before[i].Operands) > 0 {
			var out []string
			for _, op := range before[i].Operands {
				out = append(out, strings.Fields(op)...)
			}
			return out
		}
		break
	}
	return []string{"$(xargs input)"}
}

// belowRoot says where the files a filtering find selects under root
// lie: strictly below it, so "find . -name x" stays inside the project
// and "find /tmp -name x" inside the temp dir.
func (c *Call) belowRoot(root string) (string, place) {
	abs, where := c.locate(root)
	switch {
	case where == projectRoot:
		return abs, inProject
	case where == outside && slices.Contains(tempDirs[:], abs+"/"):
		return abs, inTemp
	}
	return abs, where
}

// tempVars returns the shell variables the line sets from mktemp
// (tmp=$(mktemp -d)), which hold a fresh temporary path. A variable also
// assigned anything else is left out.
func tempVars(line string) map[string]bool {
	if !strings.Contains(line, "mktemp") {
		return nil
	}
	f, err := syntax.NewParser().Parse(strings.NewReader(line), "")
	if err != nil {
		return nil
	}
	vars, other := map[string]bool{}, map[string]bool{}
	syntax.Walk(f, func(n syntax.Node) bool {
		as, ok := n.(*syntax.Assign)
		if !ok || as.Name == nil {
			return true
		}
		if mktempWord(as.Value) {
			vars[as.Name.Value] = true
		} else {
			other[as.Name.Value] = true
		}
		return true
	})
	for k := range other {
		delete(vars, k)
	}
	return vars
}

// mktempWord reports whether w is exactly $(mktemp …) or "$(mktemp …)".
func mktempWord(w *syntax.Word) bool {
	if w == nil || len(w.Parts) != 1 {
		return false
	}
	part := w.Parts[0]
	if dq, ok := part.(*syntax.DblQuoted); ok && len(dq.Parts) == 1 {
		part = dq.Parts[0]
	}
	cs, ok := part.(*syntax.CmdSubst)
	if !ok || len(cs.Stmts) != 1 {
		return false
	}
	call, ok := cs.Stmts[0].Cmd.(*syntax.CallExpr)
	if !ok || len(call.Args) == 0 {
		return false
	}
	name := call.Args[0].Lit()
	return name == "mktemp" || name == "/usr/bin/mktemp" || name == "/bin/mktemp"
}

// tempVar reports whether t is one of vars ($tmp, ${tmp}, $tmp/sub)
// without ".." climbing out of it.
func tempVar(t string, vars map[string]bool) bool {
	if len(vars) == 0 || !strings.HasPrefix(t, "$") || strings.Contains(t, "..") {
		return false
	}
	name := t[1:]
	if strings.HasPrefix(name, "{") {
		end := strings.IndexByte(name, '}')
		if end < 0 {
			return false
		}
		name, t = name[1:end], name[end+1:]
	} else {
		end := strings.IndexFunc(name, func(r rune) bool {
			return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
		})
		if end < 0 {
			end = len(name)
		}
		name, t = name[:end], name[end:]
	}
	return vars[name] && (t == "" || t[0] == '/') && !strings.ContainsAny(t, "$`")
}

// cloneDirs returns the directories git clone or gh repo clone fill in
// the line, resolved.
func cloneDirs(c *Call) map[string]bool {
	var out map[string]bool
	for i := range c.commands() {
		cmd := &c.Shell.Commands[i]
		var ops []string
		switch {
		case cmd.Name == "git" && operand(cmd, 0) == "clone":
			ops = cmd.Operands[1:]
		case cmd.Name == "gh" && operand(cmd, 0) == "repo" && operand(cmd, 1) == "clone":
			ops = cmd.Operands[2:]
		default:
			continue
		}
		if len(ops) == 0 {
			continue
		}
		dir := ""
		if len(ops) > 1 {
			dir = ops[1]
		} else {
			dir = strings.TrimSuffix(path.Base(strings.TrimRight(ops[0], "/")), ".git")
			if i := strings.LastIndexByte(dir, ':'); i >= 0 {
				dir = dir[i+1:]
			}
		}
		if abs, ok := c.resolve(dir); ok {
			if out == nil {
				out = map[string]bool{}
			}
			out[abs] = true
		}
	}
	return out
}

// truncates reviews truncate -s 0, which empties files.
func truncates(c *Call, v *verdict, cmd *shell.Command) {
	size, ok := flagValue(cmd, "s")
	if !ok {
		size, ok = flagValue(cmd, "size")
	}
	if !ok || strings.TrimLeft(size, "0") != "" {
		return
	}
	for _, t := range cmd.Operands {
		abs, where := c.locate(t)
		if where == inTemp || strings.HasSuffix(abs, ".log") {
			continue
		}
		v.flag(govern.Ask, govern.RiskHigh, "truncate -s 0 empties "+t+", losing its contents",
			"Edit the file instead, or empty only logs and scratch files")
	}
}

// rsyncDeletes reviews rsync --delete, which deletes whatever the
// destination holds that the source does not.
func rsyncDeletes(c *Call, v *verdict, cmd *shell.Command) {
	if !hasFlag(cmd, "delete", "del", "delete-before", "delete-during", "delete-delay", "delete-after", "delete-excluded", "remove-source-files") {
		return
	}
	ops := copyOperands(cmd)
	if len(ops) < 2 {
		return
	}
	dest := ops[len(ops)-1]
	if i := strings.IndexByte(dest, ':'); i > 0 && !strings.Contains(dest[:i], "/") {
		return // a remote destination
	}
	deletes(c, v, cmd, nil, []string{dest}, true)
}

// moves reviews mv of the project, its history or the home directory,
// and mv into /dev/null, which deletes.
func moves(c *Call, v *verdict, cmd *shell.Command) {
	ops := cmd.Operands
	dest, ok := flagValue(cmd, "t")
	if !ok {
		if len(ops) < 2 {
			return
		}
		dest, ops = ops[len(ops)-1], ops[:len(ops)-1]
	}
	if abs, _ := c.resolve(dest); abs == "/dev/null" {
		deletes(c, v, cmd, nil, ops, true)
		return
	}
	for _, t := range ops {
		abs, where := c.locate(t)
		if where == projectRoot || where == gitDir && path.Base(abs) == ".git" || abs == c.Home || abs == "/" {
			v.flag(govern.Ask, govern.RiskHigh, "mv moves "+t+" ("+abs+") away",
				"Move files inside the project; leave the project directory, .git and the home directory where they are")
		}
	}
}

// containerData reviews docker commands that delete volumes, where
// databases keep their data.
func containerData(v *verdict, cmd *shell.Command) {
	switch operand(cmd, 0) {
	case "volume":
		switch operand(cmd, 1) {
		case "rm", "remove", "prune":
			v.flag(govern.Ask, govern.RiskHigh, cmd.Name+" volume "+operand(cmd, 1)+" deletes volumes and the data in them",
				"Back the volume up first, or delete it yourself")
		}
	case "system":
		if operand(cmd, 1) == "prune" && hasFlag(cmd, "volumes") {
			v.flag(govern.Ask, govern.RiskHigh, cmd.Name+" system prune --volumes deletes every unused volume and the data in it",
				"Prune without --volumes, or remove the volumes you name")
		}
	case "compose":
		if operand(cmd, 1) == "down" && hasFlag(cmd, "v", "volumes") {
			v.flag(govern.Ask, govern.RiskHigh, cmd.Name+" compose down -v deletes the project's volumes and the data in them",
				"Run docker compose down without -v to keep the data")
		}
	}
}

// cloudDeletes reviews recursive deletes of cloud storage.
func cloudDeletes(v *verdict, cmd *shell.Command) {
	if cmd.Name != "aws" || operand(cmd, 0) != "s3" {
		return
	}
	switch operand(cmd, 1) {
	case "rm":
		if hasFlag(cmd, "recursive") && !hasFlag(cmd, "dryrun") {
			v.flag(govern.Ask, govern.RiskHigh, "aws s3 rm --recursive deletes every object under "+operand(cmd, 2),
				"Preview with --dryrun, and delete the objects you name")
		}
	case "rb":
		if hasFlag(cmd, "force") {
			v.flag(govern.Deny, govern.RiskCritical, "aws s3 rb --force deletes the bucket "+operand(cmd, 2)+" and everything in it",
				"Delete buckets in the console or through infrastructure code, after a backup")
		}
	}
}

// diskTools partition, format or discard whole disks.
var diskTools = map[string]bool{
	"fdisk": true, "gdisk": true, "cfdisk": true, "sfdisk": true, "sgdisk": true, "parted": true,
	"blkdiscard": true, "wipefs": true, "mkswap": true,
}

// lvmTools delete volumes, groups or physical volumes.
var lvmTools = map[string]bool{
	"lvremove": true, "vgremove": true, "pvremove": true, "lvreduce": true, "zpool": true, "zfs": true,
}

// disk reviews disk, volume and power tools.
func disk(v *verdict, cmd *shell.Command) {
	name := cmd.Name
	switch {
	case diskTools[name] || strings.HasPrefix(name, "mkfs"):
		if hasFlag(cmd, "l", "list", "s") && name != "parted" || name == "wipefs" && len(cmd.Flags) == 0 {
			return // fdisk -l, sfdisk -s, wipefs without -a only lists
		}
		if name == "parted" && (hasFlag(cmd, "l", "list") || slices.Contains(cmd.Operands, "print") && len(cmd.Operands) == 2) {
			return
		}
		for _, op := range cmd.Operands {
			if strings.HasPrefix(op, "/dev/") {
				v.flag(govern.Deny, govern.RiskCritical, name+" formats or erases the device "+op,
					"Partition and format disks yourself, outside the agent")
				return
			}
		}
	case lvmTools[name]:
		sub := operand(cmd, 0)
		if (name == "zpool" || name == "zfs") && sub != "destroy" {
			return
		}
		v.flag(govern.Deny, govern.RiskCritical, name+" deletes a storage volume and its data",
			"Manage volumes yourself, outside the agent")
	case name == "shutdown" || name == "reboot" || name == "halt" || name == "poweroff":
		if hasFlag(cmd, "c", "help") {
			return
		}
		v.flag(govern.Ask, govern.RiskHigh, name+" stops the machine",
			"Leave restarts to the developer")
	case name == "systemctl":
		switch operand(cmd, 0) {
		case "poweroff", "reboot", "halt", "kexec", "suspend", "hibernate":
			v.flag(govern.Ask, govern.RiskHigh, "systemctl "+operand(cmd, 0)+" stops the machine",
				"Leave restarts to the developer")
		}
	}
}

// forkBomb reports whether the line defines a shell function that runs
// itself more than once per call, in a pipe or in the background:
// :(){ :|:& };:
func forkBomb(line string) bool {
	if !strings.Contains(line, "()") {
		return false
	}
	f, err := syntax.NewParser().Parse(strings.NewReader(line), "")
	if err != nil {
		return false
	}
	bomb := false
	syntax.Walk(f, func(n syntax.Node) bool {
		fn, ok := n.(*syntax.FuncDecl)
		if !ok || fn.Name == nil || bomb {
			return !bomb
		}
		calls, spawns := 0, false
		syntax.Walk(fn.Body, func(m syntax.Node) bool {
			switch m := m.(type) {
			case *syntax.CallExpr:
				if len(m.Args) > 0 && m.Args[0].Lit() == fn.Name.Value {
					calls++
				}
			case *syntax.BinaryCmd:
				spawns = spawns || m.Op == syntax.Pipe || m.Op == syntax.PipeAll
			case *syntax.Stmt:
				spawns = spawns || m.Background
			}
			return true
		})
		bomb = calls >= 2 || calls >= 1 && spawns
		return true
	})
	return bomb
}
