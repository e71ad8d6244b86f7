package shell

import "strings"

// transparent are the wrappers Claude Code strips before it matches allow
// rules (bare xargs is decided where it is unwrapped).
var transparent = map[string]bool{
	"timeout": true, "time": true, "nice": true, "nohup": true, "stdbuf": true,
	"command": true, "builtin": true, "noglob": true,
}

// unwrap follows the command a wrapper runs: sudo rm → rm, xargs rm → rm,
// find -exec rm → rm, watch 'make' → make, su -c 'cmd' → cmd.
func (a *analyzer) unwrap(f frame, idx int, ws []word, in *input) {
	name := a.out.Commands[idx].Name
	sp := specFor(name)
	switch name {
	case "sudo", "doas", "pkexec":
		none, shell := false, false
		first := scanOpts(sp, ws, 1, func(n string, _ word) {
			switch n {
			case "l", "v", "V", "e", "K", "h":
				none = true // list, validate, version, edit, help: no command
			case "s", "i":
				shell = true
			}
		})
		rest := skipAssigns(ws[first:])
		switch {
		case none:
		case len(rest) == 0 && shell:
			a.stdinCode(f, idx, in) // sudo -s <<EOF: the shell reads its input
		default:
			a.wrapped(f, idx, rest, name, in)
		}
	case "env":
		var split *word
		first := scanOpts(sp, ws, 1, func(n string, v word) {
			if n == "S" {
				split = &v
			}
		})
		for first < len(ws) && ws[first].val == "-" {
			first++ // env -: same as -i
		}
		rest := skipAssigns(ws[first:])
		if split != nil {
			rest = append(splitWords(*split), rest...)
		}
		a.wrapped(f, idx, rest, name, in)
	case "timeout", "chroot":
		rest := ws[scanOpts(sp, ws, 1, nil):]
		switch {
		case len(rest) > 1:
			a.wrapped(f, idx, rest[1:], name, in) // after the duration, the new root
		case len(rest) == 1 && name == "chroot":
			a.stdinCode(f, idx, in) // chroot DIR runs a shell
		}
	case "nice", "nohup", "stdbuf", "command", "builtin", "noglob", "exec", "setsid",
		"unbuffer", "time", "busybox", "toybox", "ionice":
		none := false
		first := scanOpts(sp, ws, 1, func(n string, _ word) {
			switch {
			case name == "command" && (n == "v" || n == "V"):
				none = true // command -v: looks the name up, runs nothing
			case name == "ionice" && (n == "p" || n == "P" || n == "u"):
				none = true // ionice -p PID: changes a running process
			}
		})
		if !none {
			a.wrapped(f, idx, ws[first:], name, in)
		}
	case "systemd-run":
		// systemd-run [OPTIONS] COMMAND…: the command runs as a unit, now or
		// on a timer; -S/--shell alone starts a shell.
		if rest := ws[scanOpts(sp, ws, 1, nil):]; len(rest) > 0 {
			a.wrapped(f, idx, rest, name, in)
		}
	case "flock":
		rest := ws[scanOpts(sp, ws, 1, nil):]
		if len(rest) < 2 {
			return
		}
		if rest[1].val == "-c" || rest[1].val == "--command" {
			if len(rest) > 2 {
				a.run(f, idx, rest[2], "flock -c")
			}
			return
		}
		a.wrapped(f, idx, rest[1:], name, in)
	case "xargs":
		first := scanOpts(sp, ws, 1, nil)
		rest := ws[first:]
		if len(rest) == 0 {
			rest = []word{lit("echo")}
		}
		a.out.Commands[idx].Transparent = first == 1
		a.wrapped(f, idx, rest, name, nil)
	case "find":
		for i := 1; i < len(ws); i++ {
			if v := ws[i].val; len(v) > 1 && v[0] == '-' && isExec(v[1:]) {
				j := i + 1
				for j < len(ws) && ws[j].val != ";" && ws[j].val != "+" {
					j++
				}
				a.emit(f.nested("find "+v), ws[i+1:j], nil)
				i = j
			}
		}
	case "watch":
		exec := false
		rest := ws[scanOpts(sp, ws, 1, func(n string, _ word) { exec = exec || n == "x" }):]
		switch {
		case exec:
			a.wrapped(f, idx, rest, name, nil)
		case len(rest) > 0:
			a.run(f, idx, joined(rest), "watch")
		}
	case "parallel":
		rest := ws[scanOpts(sp, ws, 1, nil):]
		for i, w := range rest {
			if strings.HasPrefix(w.val, ":::") {
				rest = rest[:i]
				break
			}
		}
		if len(rest) == 0 {
			a.dynamic(idx, DynamicCode, a.out.Commands[idx].Text) // commands read from input
			return
		}
		a.run(f, idx, joined(rest), "parallel")
	case "su", "runuser", "script":
		var code *word
		first := -1
		for i := 1; i < len(ws); i++ {
			i = scanOpts(sp, ws, i, func(n string, v word) {
				if n == "c" {
					code = &v
				}
			})
			if first < 0 && i < len(ws) {
				first = i
			}
		}
		switch {
		case code != nil:
			a.run(f, idx, *code, name+" -c")
		case name == "runuser" && first >= 0 && hasFlag(a.out.Commands[idx].Flags, "u"):
			a.wrapped(f, idx, ws[first:], name, in) // runuser -u user cmd
		case name != "script":
			a.stdinCode(f, idx, in) // su <<EOF: the login shell reads its input
		}
	case "trap":
		if len(ws) > 2 && ws[1].val != "-" && ws[1].val != "" && !isDigits(ws[1].val) {
			a.run(f, idx, ws[1], "trap") // the handler runs later
		}
	}
}

// wrapped emits the command a wrapper runs, one level deeper. in is the
// standard input the wrapped command inherits (nil when the wrapper takes it).
func (a *analyzer) wrapped(f frame, idx int, rest []word, via string, in *input) {
	if len(rest) == 0 {
		return
	}
	c := &a.out.Commands[idx]
	c.Wrapper = true
	c.Transparent = c.Transparent || transparent[c.Name]
	a.emit(f.nested(via), rest, in)
}

// scanOpts reads the options of a wrapper from ws[from:], calling fn (when
// not nil) with each normalized option and its value, and returns the index
// of the first operand.
func scanOpts(sp *spec, ws []word, from int, fn func(name string, val word)) int {
	if sp == nil {
		sp = &generic
	}
	if fn == nil {
		fn = func(string, word) {}
	}
	for i := from; i < len(ws); i++ {
		arg := ws[i].val
		if arg == "--" {
			return i + 1
		}
		if len(arg) < 2 || arg[0] != '-' {
			return i
		}
		if sp.numeric && isDigits(arg[1:]) {
			fn(arg[1:], word{})
			continue
		}
		if arg[1] == '-' {
			name, val, has := strings.Cut(arg[2:], "=")
			n := sp.normal(name)
			if !has && sp.takesLong(name, n) && i+1 < len(ws) {
				i++
				fn(n, ws[i])
				continue
			}
			fn(n, word{val: val, static: ws[i].static})
			continue
		}
	cluster:
		for j := 1; j < len(arg); j++ {
			c := arg[j]
			n := sp.normal(arg[j : j+1])
			if strings.IndexByte(sp.val, c) >= 0 {
				switch {
				case j+1 < len(arg):
					fn(n, word{val: arg[j+1:], static: ws[i].static})
				case i+1 < len(ws):
					i++
					fn(n, ws[i])
				default:
					fn(n, word{})
				}
				break cluster
			}
			if strings.IndexByte(sp.opt, c) >= 0 {
				fn(n, word{val: arg[j+1:], static: ws[i].static})
				break cluster
			}
			fn(n, word{})
		}
	}
	return len(ws)
}

// skipAssigns drops the NAME=value words before a command (env, sudo).
func skipAssigns(ws []word) []word {
	for len(ws) > 0 && ws[0].static && isAssign(ws[0].val) {
		ws = ws[1:]
	}
	return ws
}

func isAssign(s string) bool {
	eq := strings.IndexByte(s, '=')
	if eq <= 0 {
		return false
	}
	for i := 0; i < eq; i++ {
		if !isNameByte(s[i]) {
			return false
		}
	}
	return s[0] < '0' || s[0] > '9'
}

// splitWords splits an env -S string into words, honouring quotes and
// backslashes as env does.
func splitWords(w word) []word {
	var out []word
	var b strings.Builder
	inWord := false
	var quote byte
	s := w.val
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '\'' || c == '"'):
			quote, inWord = c, true
		case quote != '\'' && c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
			inWord = true
		case quote == 0 && (c == ' ' || c == '\t' || c == '\n'):
			if inWord {
				out = append(out, word{val: b.String(), static: w.static})
				b.Reset()
				inWord = false
			}
		default:
			b.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		out = append(out, word{val: b.String(), static: w.static})
	}
	return out
}
