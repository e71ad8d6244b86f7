package persona

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

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
