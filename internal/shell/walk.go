package shell

import "mvdan.cc/sh/v3/syntax"

// The walk of the parts of commands that are not simple commands but hold
// code that runs: assignments, declarations, words with substitutions,
// parameter expansions, arithmetic and test expressions.

func (a *analyzer) assign(f frame, as *syntax.Assign, lvl int) {
	if as == nil {
		return
	}
	a.arith(f, as.Index, lvl)
	a.word(f, as.Value, lvl)
	if as.Array != nil {
		for _, e := range as.Array.Elems {
			a.arith(f, e.Index, lvl)
			a.word(f, e.Value, lvl)
		}
	}
}

// decl walks declare, export, local, readonly and typeset, which come out as
// commands of their own.
func (a *analyzer) decl(f frame, d *syntax.DeclClause, lvl int) {
	ws := []word{lit(d.Variant.Value)}
	for _, as := range d.Args {
		a.assign(f, as, lvl+1)
		ws = append(ws, assignWord(as, f.src))
	}
	a.emit(f, ws, nil)
}

// assignWord is an assignment as the builtin receives it: "name=value".
func assignWord(as *syntax.Assign, src string) word {
	if as.Name == nil || as.Index != nil || as.Array != nil {
		if as.Name == nil && as.Value != nil {
			return wordOf(as.Value, src) // declare -x, declare "$opt"
		}
		return word{val: srcText(src, as)}
	}
	if as.Naked {
		return lit(as.Name.Value)
	}
	op := "="
	if as.Append {
		op = "+="
	}
	if as.Value == nil {
		return lit(as.Name.Value + op)
	}
	w := wordOf(as.Value, src)
	w.val = as.Name.Value + op + w.val
	return w
}

func (a *analyzer) words(f frame, ws []*syntax.Word, lvl int) {
	for _, w := range ws {
		a.word(f, w, lvl)
	}
}

// word walks the substitutions inside a word: they run.
func (a *analyzer) word(f frame, w *syntax.Word, lvl int) {
	if w != nil {
		a.parts(f, w.Parts, lvl)
	}
}

func (a *analyzer) parts(f frame, parts []syntax.WordPart, lvl int) {
	if !a.enter(lvl) {
		return
	}
	for _, part := range parts {
		switch p := part.(type) {
		case *syntax.DblQuoted:
			a.parts(f, p.Parts, lvl+1)
		case *syntax.CmdSubst:
			d := a.saveDir()
			a.stmts(f.nested("$()"), p.Stmts, lvl+1)
			a.restoreDir(d)
		case *syntax.ProcSubst:
			d := a.saveDir()
			a.stmts(f.nested(p.Op.String()+")"), p.Stmts, lvl+1)
			a.restoreDir(d)
		case *syntax.ArithmExp:
			a.arith(f, p.X, lvl+1)
		case *syntax.ParamExp:
			a.param(f, p, lvl+1)
		}
	}
}

func (a *analyzer) param(f frame, p *syntax.ParamExp, lvl int) {
	if !a.enter(lvl) {
		return
	}
	if p.NestedParam != nil {
		a.parts(f, []syntax.WordPart{p.NestedParam}, lvl+1)
	}
	a.arith(f, p.Index, lvl+1)
	if p.Slice != nil {
		a.arith(f, p.Slice.Offset, lvl+1)
		a.arith(f, p.Slice.Length, lvl+1)
	}
	if p.Repl != nil {
		a.word(f, p.Repl.Orig, lvl+1)
		a.word(f, p.Repl.With, lvl+1)
	}
	if p.Exp != nil {
		a.word(f, p.Exp.Word, lvl+1)
	}
}

func (a *analyzer) arith(f frame, x syntax.ArithmExpr, lvl int) {
	if x == nil || !a.enter(lvl) {
		return
	}
	switch x := x.(type) {
	case *syntax.BinaryArithm:
		a.arith(f, x.X, lvl+1)
		a.arith(f, x.Y, lvl+1)
	case *syntax.UnaryArithm:
		a.arith(f, x.X, lvl+1)
	case *syntax.ParenArithm:
		a.arith(f, x.X, lvl+1)
	case *syntax.FlagsArithm:
		a.arith(f, x.X, lvl+1)
	case *syntax.Word:
		a.parts(f, x.Parts, lvl+1)
	}
}

func (a *analyzer) test(f frame, x syntax.TestExpr, lvl int) {
	if x == nil || !a.enter(lvl) {
		return
	}
	switch x := x.(type) {
	case *syntax.BinaryTest:
		a.test(f, x.X, lvl+1)
		a.test(f, x.Y, lvl+1)
	case *syntax.UnaryTest:
		a.test(f, x.X, lvl+1)
	case *syntax.ParenTest:
		a.test(f, x.X, lvl+1)
	case *syntax.Word:
		a.parts(f, x.Parts, lvl+1)
	}
}

// expandBraces appends the words a brace expansion produces.
func expandBraces(ws []word, w *syntax.Word, src string) ([]word, error) {
	n := 0
	for bw, err := range expandBracesSeq(w) {
		if err != nil || n >= maxBraceWords {
			return nil, errTooComplex
		}
		n++
		ws = append(ws, wordOf(bw, src))
	}
	return ws, nil
}

// heredocText returns the body of a here-document as the shell reading it
// would see it (expansions as written), and whether it holds none.
func heredocText(w *syntax.Word, src string) (string, bool) {
	parts := w.Parts
	last, ok := parts[len(parts)-1].(*syntax.Lit)
	if len(parts) == 1 && ok {
		return last.Value, true
	}
	start := int(parts[0].Pos().Offset())
	end := int(parts[len(parts)-1].End().Offset())
	if ok {
		end = int(last.Pos().Offset())
	}
	if start < 0 || end > len(src) || start > end {
		return "", false
	}
	if ok {
		return src[start:end] + last.Value, false
	}
	return src[start:end], false
}
