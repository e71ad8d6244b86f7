package shell

import (
	"iter"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// word is one shell word as a program would receive it.
type word struct {
	val    string // quotes removed; a runtime part keeps its source text
	static bool   // no part is only known at run time
	glob   bool   // holds an unquoted glob character (* ? [ or an extglob)
}

// lit makes a static word from a literal string.
func lit(s string) word { return word{val: s, static: true} }

// srcText returns the source text of a node, or "" if its positions do not
// fall inside src.
func srcText(src string, n syntax.Node) string {
	start, end := int(n.Pos().Offset()), int(n.End().Offset())
	if start < 0 || end > len(src) || start > end {
		return ""
	}
	return src[start:end]
}

// wordOf resolves a parsed word.
func wordOf(w *syntax.Word, src string) word {
	if len(w.Parts) == 1 {
		if l, ok := w.Parts[0].(*syntax.Lit); ok && !strings.ContainsAny(l.Value, "\\*?[") {
			return word{val: l.Value, static: true}
		}
		if q, ok := w.Parts[0].(*syntax.SglQuoted); ok && !q.Dollar {
			return word{val: q.Value, static: true}
		}
	}
	out := word{static: true}
	var b strings.Builder
	appendParts(&b, &out, w.Parts, src, false)
	out.val = b.String()
	return out
}

func appendParts(b *strings.Builder, out *word, parts []syntax.WordPart, src string, inDbl bool) {
	for _, part := range parts {
		switch p := part.(type) {
		case *syntax.Lit:
			if inDbl {
				unescapeDbl(b, p.Value)
			} else {
				out.glob = unescapeBare(b, p.Value) || out.glob
			}
		case *syntax.SglQuoted:
			if p.Dollar {
				b.WriteString(decodeANSIC(p.Value))
			} else {
				b.WriteString(p.Value)
			}
		case *syntax.DblQuoted:
			appendParts(b, out, p.Parts, src, true)
		case *syntax.ExtGlob:
			out.glob = true
			b.WriteString(srcText(src, p))
		case *syntax.BraceExp:
			// Only present after syntax.SplitBraces; callers expand first.
			out.static = false
			b.WriteString(srcText(src, p))
		default: // ParamExp, CmdSubst, ArithmExp, ProcSubst
			out.static = false
			b.WriteString(srcText(src, part))
		}
	}
}

// unescapeBare writes an unquoted literal without its backslashes and reports
// whether it holds a glob character.
func unescapeBare(b *strings.Builder, s string) (glob bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\':
			if i+1 < len(s) {
				i++
				if s[i] != '\n' {
					b.WriteByte(s[i])
				}
			}
		case '*', '?', '[':
			glob = true
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return glob
}

// unescapeDbl writes a literal from inside double quotes, where a backslash
// only escapes $ ` " \ and newline.
func unescapeDbl(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case '$', '`', '"', '\\':
				i++
				c = s[i]
			case '\n':
				i++
				continue
			}
		}
		b.WriteByte(c)
	}
}

// decodeANSIC decodes the body of a $'…' string as bash does.
func decodeANSIC(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch e := s[i]; e {
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'e', 'E':
			b.WriteByte(0x1b)
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte('\v')
		case '\\', '\'', '"', '?':
			b.WriteByte(e)
		case 'c':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i] & 0x1f)
			} else {
				b.WriteString(`\c`)
			}
		case 'x', 'u', 'U':
			limit := 2
			if e == 'u' {
				limit = 4
			} else if e == 'U' {
				limit = 8
			}
			j := i + 1
			for j < len(s) && j-i-1 < limit && isHex(s[j]) {
				j++
			}
			if j == i+1 {
				b.WriteByte('\\')
				b.WriteByte(e)
				continue
			}
			n, _ := strconv.ParseUint(s[i+1:j], 16, 32)
			if e == 'x' {
				b.WriteByte(byte(n))
			} else if r := rune(n); utf8.ValidRune(r) {
				b.WriteRune(r)
			}
			i = j - 1
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j := i
			for j < len(s) && j-i < 3 && s[j] >= '0' && s[j] <= '7' {
				j++
			}
			n, _ := strconv.ParseUint(s[i:j], 8, 16)
			b.WriteByte(byte(n))
			i = j - 1
		default:
			b.WriteByte('\\')
			b.WriteByte(e)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// programName reduces a program path to the name it runs:
// "/usr/bin/../bin/rm" and "./rm" become "rm".
func programName(p string) string {
	if i := strings.LastIndexByte(p, '/'); i < 0 {
		return p
	} else if i < len(p)-1 {
		return p[i+1:]
	}
	return path.Base(p)
}

// hasBrace reports whether an unquoted part of w holds a "{", so that brace
// expansion may turn it into several words.
func hasBrace(w *syntax.Word) bool {
	for _, p := range w.Parts {
		if l, ok := p.(*syntax.Lit); ok && strings.IndexByte(l.Value, '{') >= 0 {
			return true
		}
	}
	return false
}

// expandBracesSeq yields the words a word with brace expansions stands for.
func expandBracesSeq(w *syntax.Word) iter.Seq2[*syntax.Word, error] {
	return expand.BracesSeq(nil, w)
}

// Words returns the words of text, one simple command, as the program
// receives them: quotes and escapes removed, a part known only at run
// time kept as its source text. It reports false when text does not parse
// or is not one simple command.
func Words(text string) ([]string, bool) {
	f, err := syntax.NewParser().Parse(strings.NewReader(text), "")
	if err != nil || len(f.Stmts) != 1 {
		return nil, false
	}
	call, ok := f.Stmts[0].Cmd.(*syntax.CallExpr)
	if !ok || len(call.Assigns) > 0 {
		return nil, false
	}
	out := make([]string, len(call.Args))
	for i, w := range call.Args {
		out[i] = wordOf(w, text).val
	}
	return out, true
}
