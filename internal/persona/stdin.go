package persona

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// stdinTexts returns the here-documents and here-strings in a command
// line, as the commands reading them receive them. The shell analysis says
// what runs, but not what a program such as psql reads on standard input;
// this is asked only for lines that run a database client and hold "<<".
// Unparsable lines give nothing: the analysis already refused them.
func stdinTexts(line string) []string {
	f, err := syntax.NewParser().Parse(strings.NewReader(line), "")
	if err != nil {
		return nil
	}
	var out []string
	syntax.Walk(f, func(n syntax.Node) bool {
		r, ok := n.(*syntax.Redirect)
		if !ok {
			return true
		}
		var w *syntax.Word
		switch r.Op {
		case syntax.Hdoc, syntax.DashHdoc:
			w = r.Hdoc
		case syntax.WordHdoc:
			w = r.Word
		}
		if w != nil {
			out = append(out, wordText(w, line))
		}
		return true
	})
	return out
}

// wordText returns a word's literal text, quotes removed; expansions keep
// their source text.
func wordText(w *syntax.Word, src string) string {
	var b strings.Builder
	var part func(p syntax.WordPart)
	part = func(p syntax.WordPart) {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(p.Value)
		case *syntax.SglQuoted:
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				part(q)
			}
		default:
			s, e := int(p.Pos().Offset()), int(p.End().Offset())
			if s >= 0 && e <= len(src) && s <= e {
				b.WriteString(src[s:e])
			}
		}
	}
	for _, p := range w.Parts {
		part(p)
	}
	return b.String()
}
