package shell

import (
	"path"
	"strings"
)

// commandWrites records the files a command writes through its arguments:
// tee, cp, mv, install, ln, dd of=, sed -i, perl -i, sort -o, truncate, touch,
// rsync, curl -o, wget -O, time -o.
func (a *analyzer) commandWrites(c *Command, ws []word) {
	ops := c.Operands
	switch c.Name {
	case "tee", "truncate", "touch":
		a.writes(ws, c.Name, ops...)
	case "cp", "mv", "install", "ln":
		a.copyWrites(c, ws)
	case "rsync":
		if len(ops) >= 2 {
			a.writes(ws, c.Name, ops[len(ops)-1])
		}
	case "dd":
		for _, op := range ops {
			if p, ok := strings.CutPrefix(op, "of="); ok {
				a.writes(ws, "dd", p)
			}
		}
	case "sed", "perl":
		if !hasFlag(c.Flags, "i") {
			return
		}
		files := ops
		if c.Name == "sed" && !hasFlag(c.Flags, "e", "f") && len(files) > 0 {
			if v, _ := flagValue(c.Flags, "i"); v == "" && files[0] == "" && len(files) > 1 {
				files = files[1:] // BSD sed -i '' SCRIPT FILE
			}
			files = files[1:] // the script
		}
		if c.Name == "perl" && !hasFlag(c.Flags, "e", "E") && len(files) > 0 {
			files = files[1:] // the script file
		}
		a.writes(ws, c.Name+" -i", files...)
	case "sort":
		if o, ok := flagValue(c.Flags, "o"); ok {
			a.writes(ws, "sort -o", o)
		}
	case "curl":
		for _, f := range c.Flags {
			switch {
			case f.Name == "o" && f.HasValue:
				a.writes(ws, "curl -o", f.Value)
			case (f.Name == "D" || f.Name == "c") && f.HasValue && f.Value != "-":
				a.writes(ws, "curl -"+f.Name, f.Value)
			}
		}
		if hasFlag(c.Flags, "O") {
			for _, op := range ops {
				if name := urlFile(op); name != "" {
					a.writes(ws, "curl -O", name)
				}
			}
		}
	case "wget":
		for _, f := range c.Flags {
			if (f.Name == "O" || f.Name == "o" || f.Name == "a") && f.HasValue && f.Value != "-" {
				a.writes(ws, "wget -"+f.Name, f.Value)
			}
		}
	case "time":
		if o, ok := flagValue(c.Flags, "o"); ok {
			a.writes(ws, "time -o", o)
		}
	}
}

// copyWrites records what cp, mv, install and ln write: the destination,
// or each source's name inside it when it is a directory ("-t DIR", a
// trailing slash, several sources). mv also changes its sources.
func (a *analyzer) copyWrites(c *Command, ws []word) {
	ops := c.Operands
	if c.Name == "install" && hasFlag(c.Flags, "d") {
		a.writes(ws, c.Name, ops...) // install -d creates every operand
		return
	}
	dir, isDir := flagValue(c.Flags, "t")
	srcs := ops
	if !isDir {
		switch {
		case len(ops) >= 2:
			dir, srcs = ops[len(ops)-1], ops[:len(ops)-1]
			isDir = !hasFlag(c.Flags, "T") && (strings.HasSuffix(dir, "/") || len(srcs) > 1)
			if !isDir {
				a.writes(ws, c.Name, dir)
			}
		case len(ops) == 1 && c.Name == "ln":
			dir, isDir = ".", true // ln -s /x/y makes ./y
		}
	}
	if isDir {
		for _, src := range srcs {
			a.writesJoined(ws, c.Name, path.Join(dir, programName(src)), dir, src)
		}
	}
	if c.Name == "mv" {
		a.writes(ws, c.Name, srcs...)
	}
}

// writes records paths written by via; a path is dynamic when a word it
// came from is.
func (a *analyzer) writes(ws []word, via string, paths ...string) {
	for _, p := range paths {
		a.write(p, via, dynamicIn(ws, p))
	}
}

// writesJoined records one path made of parts.
func (a *analyzer) writesJoined(ws []word, via, p string, parts ...string) {
	dyn := false
	for _, part := range parts {
		dyn = dyn || dynamicIn(ws, part)
	}
	a.write(p, via, dyn)
}

// dynamicIn reports whether s comes from a word only known at run time.
func dynamicIn(ws []word, s string) bool {
	for _, w := range ws {
		if !w.static && s != "" && strings.Contains(w.val, s) {
			return true
		}
	}
	return false
}

// write records one written path, resolved against the directory a cd
// earlier in the line moved to.
func (a *analyzer) write(p, via string, dyn bool) {
	if p != "" && p[0] != '/' && p[0] != '~' && !dyn {
		switch {
		case a.dirUnknown:
			dyn = true
		case a.dir != "":
			p = path.Join(a.dir, p)
		}
	}
	a.out.Writes = append(a.out.Writes, Write{Path: p, Via: via, Dynamic: dyn})
}

// urlFile is the file name curl -O saves a URL to.
func urlFile(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	i := strings.LastIndexByte(u, '/')
	if i < 0 {
		return ""
	}
	return u[i+1:]
}
