package shell

import (
	"strconv"
	"strings"
)

// render writes a command compactly for table tests:
//
//	via: name -flag -flag=value operand… (wrapper transparent dynamic)
//
// A dynamic name renders as "?"; operands holding spaces or nothing are
// quoted.
func render(c Command) string {
	var b strings.Builder
	if c.Via != "" {
		b.WriteString(c.Via)
		b.WriteString(": ")
	}
	if c.Name == "" {
		b.WriteString("?")
	} else {
		b.WriteString(c.Name)
	}
	for _, f := range c.Flags {
		b.WriteString(" -")
		b.WriteString(f.Name)
		if f.HasValue {
			b.WriteString("=")
			b.WriteString(quoteIf(f.Value))
		}
	}
	for _, o := range c.Operands {
		b.WriteString(" ")
		b.WriteString(quoteIf(o))
	}
	var marks []string
	if c.Wrapper {
		marks = append(marks, "wrapper")
	}
	if c.Transparent {
		marks = append(marks, "transparent")
	}
	if c.Dynamic {
		marks = append(marks, "dynamic")
	}
	if len(marks) > 0 {
		b.WriteString(" (" + strings.Join(marks, " ") + ")")
	}
	return b.String()
}

func quoteIf(s string) string {
	if s == "" || strings.ContainsAny(s, " \t\n\"") {
		return strconv.Quote(s)
	}
	return s
}

func renderAll(a *Analysis) []string {
	out := make([]string, len(a.Commands))
	for i, c := range a.Commands {
		out[i] = render(c)
	}
	return out
}

func renderWrites(a *Analysis) []string {
	var out []string
	for _, w := range a.Writes {
		s := w.Via + " " + w.Path
		if w.Dynamic {
			s += " (dynamic)"
		}
		out = append(out, s)
	}
	return out
}

func renderFindings(a *Analysis) []string {
	var out []string
	for _, f := range a.Findings {
		out = append(out, string(f.Kind)+": "+f.Detail)
	}
	return out
}
