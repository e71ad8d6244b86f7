package shell

import "strings"

// spec says how one program's options are spelled.
type spec struct {
	val      string            // short options that take a value ("m" in git commit -m msg)
	opt      string            // short options whose value, if any, is attached (sed -i[SUFFIX])
	alias    map[string]string // option name → normalized name ("recursive" → "r", "R" → "r")
	longVal  map[string]bool   // long options that take a value, besides aliases of val
	stop     bool              // options end at the first operand (sudo, timeout, bash)
	dash1    bool              // options are single-dash words (find -name, pwsh -Command)
	signal   bool              // "-KILL", "-9" are one option (kill)
	numeric  bool              // "-10" is one option (nice, head)
	oldStyle bool              // the first word may be a dashless cluster (tar xzf f)
	sub      map[string]*spec  // subcommands, chosen by the first operand (git push)
}

// Normalize builds a Command from literal words, words[0] being the program,
// with the same name resolution and option normalization as Analyze. Rule
// patterns such as "rm -rf" go through it so that rules and commands compare
// alike. It does not unwrap wrappers.
func Normalize(words []string) Command {
	if len(words) == 0 {
		return Command{}
	}
	ws := make([]word, len(words))
	for i, w := range words {
		ws[i] = lit(w)
	}
	return buildCommand(ws)
}

// buildCommand resolves the program and options of one simple command.
func buildCommand(ws []word) Command {
	c := Command{Path: ws[0].val}
	// "[" alone is the test command, not a pattern.
	if ws[0].static && (!ws[0].glob || ws[0].val == "[") && ws[0].val != "" {
		c.Name = programName(ws[0].val)
	} else {
		c.Dynamic = true
	}
	if len(ws) > 1 {
		c.Args = make([]string, len(ws)-1)
		for i, w := range ws[1:] {
			c.Args[i] = w.val
		}
	}
	c.Flags, c.Operands, _ = parseFlags(specFor(c.Name), ws[1:])
	c.Text = joinText(c.Path, c.Args)
	return c
}

func joinText(p string, args []string) string {
	if len(args) == 0 {
		return p
	}
	n := len(p)
	for _, a := range args {
		n += 1 + len(a)
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(p)
	for _, a := range args {
		b.WriteByte(' ')
		b.WriteString(a)
	}
	return b.String()
}

// parseFlags splits args into normalized options and operands. first is the
// index of the first operand (len(args) if none); with sp.stop everything
// from there on is an operand.
func parseFlags(sp *spec, args []word) (flags []Flag, operands []string, first int) {
	if sp == nil {
		sp = &generic
	}
	first = len(args)
	cur := sp
	done := false
	nOps := 0
	for i := 0; i < len(args); i++ {
		a := args[i].val
		if !done && a == "--" {
			done = true
			continue
		}
		if !done && i == 0 && sp.oldStyle && isLetters(a) {
			i += cluster(cur, &flags, args, i, a, 0)
			continue
		}
		if done || len(a) < 2 || a[0] != '-' {
			if first == len(args) {
				first = i
			}
			operands = append(operands, a)
			nOps++
			if cur.sub != nil && nOps == 1 {
				sub := cur.sub[a]
				if sub == nil {
					sub = &generic
				}
				cur = sub
				continue
			}
			if cur.stop {
				done = true
			}
			continue
		}
		if cur.dash1 || (cur.signal && isSignal(a[1:])) || (cur.numeric && isDigits(a[1:])) {
			name := a[1:]
			if cur == &pwsh {
				name = strings.ToLower(name)
			}
			f := Flag{Name: cur.normal(name)}
			if cur == &find && isExec(name) {
				j := i + 1
				for j < len(args) && args[j].val != ";" && args[j].val != "+" {
					j++
				}
				f.Value, f.HasValue = joinWords(args[min(i+1, j):j]), true
				flags = append(flags, f)
				i = j
				continue
			}
			if cur.longVal[name] && i+1 < len(args) {
				i++
				f.Value, f.HasValue = args[i].val, true
			}
			flags = append(flags, f)
			continue
		}
		if a[1] == '-' {
			name, value, has := strings.Cut(a[2:], "=")
			f := Flag{Name: cur.normal(name), Value: value, HasValue: has}
			if !has && cur.takesLong(name, f.Name) && i+1 < len(args) {
				i++
				f.Value, f.HasValue = args[i].val, true
			}
			flags = append(flags, f)
			continue
		}
		i += cluster(cur, &flags, args, i, a, 1)
	}
	return flags, operands, first
}

// cluster splits "-rf" into r and f, taking a value for an option that needs
// one from the rest of the word or the next word, and returns how many extra
// words it used.
func cluster(sp *spec, flags *[]Flag, args []word, i int, a string, from int) int {
	for j := from; j < len(a); j++ {
		c := a[j]
		if c >= 0x80 {
			*flags = append(*flags, Flag{Name: a[j:]})
			return 0
		}
		name := sp.normal(a[j : j+1])
		switch {
		case strings.IndexByte(sp.val, c) >= 0:
			if j+1 < len(a) {
				*flags = append(*flags, Flag{Name: name, Value: a[j+1:], HasValue: true})
				return 0
			}
			if i+1 < len(args) {
				*flags = append(*flags, Flag{Name: name, Value: args[i+1].val, HasValue: true})
				return 1
			}
			*flags = append(*flags, Flag{Name: name})
			return 0
		case strings.IndexByte(sp.opt, c) >= 0:
			*flags = append(*flags, Flag{Name: name, Value: a[j+1:], HasValue: j+1 < len(a)})
			return 0
		}
		*flags = append(*flags, Flag{Name: name})
	}
	return 0
}

func (sp *spec) normal(name string) string {
	if n, ok := sp.alias[name]; ok {
		return n
	}
	return name
}

func (sp *spec) takesLong(name, normal string) bool {
	if sp.longVal[name] {
		return true
	}
	return len(normal) == 1 && normal != name && strings.IndexByte(sp.val, normal[0]) >= 0
}

// hasFlag reports whether flags hold one of the names.
func hasFlag(flags []Flag, names ...string) bool {
	for _, f := range flags {
		for _, n := range names {
			if f.Name == n {
				return true
			}
		}
	}
	return false
}

// flagValue returns the value of the last option with the name.
func flagValue(flags []Flag, name string) (string, bool) {
	v, ok := "", false
	for _, f := range flags {
		if f.Name == name && f.HasValue {
			v, ok = f.Value, true
		}
	}
	return v, ok
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return s != ""
}

// isSignal reports whether s names a signal as kill spells it: "9", "KILL",
// "SIGKILL", "RTMIN+1".
func isSignal(s string) bool {
	if isDigits(s) {
		return true
	}
	if len(s) < 2 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-') {
			return false
		}
	}
	return true
}

func isExec(name string) bool {
	return name == "exec" || name == "execdir" || name == "ok" || name == "okdir"
}

func joinWords(ws []word) string {
	switch len(ws) {
	case 0:
		return ""
	case 1:
		return ws[0].val
	}
	args := make([]string, len(ws)-1)
	for i, w := range ws[1:] {
		args[i] = w.val
	}
	return joinText(ws[0].val, args)
}
