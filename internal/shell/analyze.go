package shell

import (
	"path"
	"strings"
	"sync"

	"mvdan.cc/sh/v3/syntax"
)

var parsers = sync.Pool{New: func() any { return syntax.NewParser() }}

// Analyze parses a command line and reports every command it runs, every
// file it writes, and the findings policy cares about. Commands come in the
// order they run: the substitutions in a command's words before the command,
// a wrapper before the command it wraps. An error means the line could not
// be analyzed (it does not parse, is larger than 1 MB, or nests too deeply)
// and the caller should refuse it; error messages are short and safe to show.
func Analyze(src string) (*Analysis, error) {
	if len(src) > maxInput {
		return nil, errTooLarge
	}
	// One allocation for the result and room for its first commands.
	r := &struct {
		a    Analysis
		cmds [2]Command
	}{}
	r.a.Commands = r.cmds[:0]
	a := &analyzer{out: &r.a}
	if err := a.code(frame{}, src); err != nil {
		return nil, err
	}
	if a.err != nil {
		return nil, a.err
	}
	return a.out, nil
}

// analyzer holds the state of one Analyze call.
type analyzer struct {
	out    *Analysis
	err    error // the first bound exceeded
	parsed int   // bytes parsed so far, nested code included
	nwords int   // words of the commands so far

	// The directory a cd moved to, relative to where the line starts
	// ("" when none did), or unknown (cd $x, cd -, cd with no operand).
	dir        string
	dirUnknown bool
}

// cwd is the saved working directory of the shell being walked.
type cwd struct {
	dir     string
	unknown bool
}

func (a *analyzer) saveDir() cwd     { return cwd{a.dir, a.dirUnknown} }
func (a *analyzer) restoreDir(d cwd) { a.dir, a.dirUnknown = d.dir, d.unknown }

// chdir follows cd and pushd, so that later relative writes resolve.
func (a *analyzer) chdir(c *Command, ws []word) {
	first := scanOpts(&generic, ws, 1, nil)
	if c.Name == "popd" || first >= len(ws) || !ws[first].static || ws[first].val == "-" ||
		strings.HasPrefix(ws[first].val, "~") || ws[first].val == "" {
		a.dirUnknown = true
		return
	}
	d := ws[first].val
	switch {
	case d[0] == '/':
		a.dir, a.dirUnknown = path.Clean(d), false
	case !a.dirUnknown:
		a.dir = path.Join(a.dir, d)
	}
}

// frame is the code being walked: its text and how it is reached.
type frame struct {
	src     string
	via     string
	depth   int // Command.Depth of the commands directly in this code
	reparse int // how many times the text was re-parsed to get here
}

// nested is the frame of code one construct deeper, in the same text.
func (f frame) nested(via string) frame {
	return frame{src: f.src, via: via, depth: f.depth + 1, reparse: f.reparse}
}

// input is where a command's standard input comes from, when that matters:
// a shell or interpreter reading its program from it.
type input struct {
	kind   inputKind
	text   string       // the here-doc or here-string text
	static bool         // text holds no expansion
	detail string       // the pipeline, for findings
	hdoc   *syntax.Word // here-doc body, walked as data unless used as code
	used   bool         // the text was analyzed as code
}

type inputKind uint8

const (
	inNone inputKind = iota
	inPipe
	inFile
	inHeredoc
	inHerestring
)

// analyzeError is a parse error, safe to show.
type analyzeError struct{ msg string }

func (e *analyzeError) Error() string { return e.msg }

// code parses text and walks it in frame f.
func (a *analyzer) code(f frame, text string) error {
	a.parsed += len(text)
	if a.parsed > maxParsed {
		return errTooLarge
	}
	if err := precheck(text); err != nil {
		return err
	}
	file, text, err := parse(text)
	if err != nil {
		return &analyzeError{"parse command: " + err.Error()}
	}
	f.src = text
	a.stmts(f, file.Stmts, 0)
	return nil
}

var commentParsers = sync.Pool{New: func() any { return syntax.NewParser(syntax.KeepComments(true)) }}

// parse parses text, returning the text the tree refers to. The parser
// treats a backslash at the end of a comment as a line continuation, which
// would hide the next line inside the statement before it; bash ends the
// comment at the newline. Such backslashes are blanked and the text parsed
// again.
func parse(text string) (*syntax.File, string, error) {
	p := parsers.Get().(*syntax.Parser)
	file, err := p.Parse(strings.NewReader(text), "")
	parsers.Put(p)
	if err != nil || !strings.Contains(text, "\\\n") || strings.IndexByte(text, '#') < 0 {
		return file, text, err
	}
	for range strings.Count(text, "\\\n") {
		p := commentParsers.Get().(*syntax.Parser)
		file, err = p.Parse(strings.NewReader(text), "")
		commentParsers.Put(p)
		if err != nil {
			return nil, text, err
		}
		var fix []int
		syntax.Walk(file, func(n syntax.Node) bool {
			if c, ok := n.(*syntax.Comment); ok && strings.HasSuffix(c.Text, "\\\n") {
				fix = append(fix, int(c.Hash.Offset())+len(c.Text)-1) // the backslash
			}
			return true
		})
		if len(fix) == 0 {
			break
		}
		b := []byte(text)
		for _, i := range fix {
			if i >= 0 && i < len(b) && b[i] == '\\' {
				b[i] = ' '
			}
		}
		text = string(b)
	}
	p = parsers.Get().(*syntax.Parser)
	file, err = p.Parse(strings.NewReader(text), "")
	parsers.Put(p)
	return file, text, err
}

func (a *analyzer) fail(err error) {
	if a.err == nil {
		a.err = err
	}
}

// enter bounds the depth of the walk; callers return when it reports false.
func (a *analyzer) enter(lvl int) bool {
	if a.err != nil {
		return false
	}
	if lvl > maxWalkDepth {
		a.fail(errTooDeep)
		return false
	}
	return true
}

func (a *analyzer) stmts(f frame, stmts []*syntax.Stmt, lvl int) {
	for _, s := range stmts {
		a.stmt(f, s, lvl, nil)
	}
}

// stmt walks one statement; in is set when it is a stage of a pipeline.
func (a *analyzer) stmt(f frame, s *syntax.Stmt, lvl int, in *input) {
	if s == nil || !a.enter(lvl) {
		return
	}
	var own input
	for _, r := range s.Redirs {
		a.redirect(f, r, lvl, &own)
	}
	if own.kind != inNone || in == nil {
		in = &own
	}
	switch c := s.Cmd.(type) {
	case *syntax.CallExpr:
		a.call(f, c, lvl, in)
	case *syntax.BinaryCmd:
		a.binary(f, s, c, lvl)
	case *syntax.Subshell:
		d := a.saveDir()
		a.stmts(f, c.Stmts, lvl+1)
		a.restoreDir(d)
	case *syntax.Block:
		a.stmts(f, c.Stmts, lvl+1)
	case *syntax.IfClause:
		for ic := c; ic != nil && a.err == nil; ic = ic.Else {
			a.stmts(f, ic.Cond, lvl+1)
			a.stmts(f, ic.Then, lvl+1)
		}
	case *syntax.WhileClause:
		a.stmts(f, c.Cond, lvl+1)
		a.stmts(f, c.Do, lvl+1)
	case *syntax.ForClause:
		switch l := c.Loop.(type) {
		case *syntax.WordIter:
			a.words(f, l.Items, lvl+1)
		case *syntax.CStyleLoop:
			a.arith(f, l.Init, lvl+1)
			a.arith(f, l.Cond, lvl+1)
			a.arith(f, l.Post, lvl+1)
		}
		a.stmts(f, c.Do, lvl+1)
	case *syntax.CaseClause:
		a.word(f, c.Word, lvl+1)
		for _, item := range c.Items {
			a.words(f, item.Patterns, lvl+1)
			a.stmts(f, item.Stmts, lvl+1)
		}
	case *syntax.FuncDecl:
		d := a.saveDir()
		a.stmt(f, c.Body, lvl+1, nil)
		a.restoreDir(d)
	case *syntax.ArithmCmd:
		a.arith(f, c.X, lvl+1)
	case *syntax.TestClause:
		a.test(f, c.X, lvl+1)
	case *syntax.DeclClause:
		a.decl(f, c, lvl)
	case *syntax.LetClause:
		ws := []word{lit("let")}
		for _, x := range c.Exprs {
			a.arith(f, x, lvl+1)
			ws = append(ws, word{val: srcText(f.src, x)})
		}
		a.emit(f, ws, nil)
	case *syntax.TimeClause:
		ws := []word{lit("time")}
		if c.PosixFormat {
			ws = append(ws, lit("-p"))
		}
		idx := len(a.out.Commands)
		a.emit(f, ws, nil)
		if c.Stmt != nil && a.err == nil {
			a.out.Commands[idx].Wrapper = true
			a.out.Commands[idx].Transparent = true
			a.stmt(f.nested("time"), c.Stmt, lvl+1, in)
		}
	case *syntax.CoprocClause:
		a.word(f, c.Name, lvl+1)
		a.stmt(f, c.Stmt, lvl+1, nil)
	case *syntax.TestDecl:
		a.word(f, c.Description, lvl+1)
		a.stmt(f, c.Body, lvl+1, nil)
	}
	if own.hdoc != nil && !own.used {
		a.word(f, own.hdoc, lvl+1) // data, but its substitutions run
	}
}

// binary walks "a | b", "a && b" and "a || b" chains, which the parser
// nests to the left, without recursing once per element.
func (a *analyzer) binary(f frame, s *syntax.Stmt, c *syntax.BinaryCmd, lvl int) {
	pipe := c.Op == syntax.Pipe || c.Op == syntax.PipeAll
	var stages []*syntax.Stmt
	for b := c; ; {
		stages = append(stages, b.Y)
		x := b.X
		if nb, ok := x.Cmd.(*syntax.BinaryCmd); ok && len(x.Redirs) == 0 &&
			(nb.Op == syntax.Pipe || nb.Op == syntax.PipeAll) == pipe {
			b = nb
			continue
		}
		stages = append(stages, x)
		break
	}
	var in *input
	if pipe {
		in = &input{kind: inPipe, detail: srcText(f.src, c)}
	}
	for i := len(stages) - 1; i >= 0 && a.err == nil; i-- {
		if !pipe {
			a.stmt(f, stages[i], lvl+1, nil)
			continue
		}
		d := a.saveDir() // each stage of a pipeline runs in a subshell
		if i == len(stages)-1 {
			a.stmt(f, stages[i], lvl+1, nil)
		} else {
			a.stmt(f, stages[i], lvl+1, in)
		}
		a.restoreDir(d)
	}
}

// redirect records a write and notes where standard input comes from.
func (a *analyzer) redirect(f frame, r *syntax.Redirect, lvl int, in *input) {
	if r.Word != nil {
		a.word(f, r.Word, lvl+1)
	}
	switch r.Op {
	case syntax.RdrOut, syntax.AppOut, syntax.RdrClob, syntax.AppClob, syntax.RdrAll, syntax.AppAll,
		syntax.RdrAllClob, syntax.AppAllClob, syntax.RdrInOut, syntax.DplOut:
		if r.Word == nil {
			return
		}
		w := wordOf(r.Word, f.src)
		if r.Op == syntax.DplOut && (w.val == "-" || isDigits(w.val) || (!w.static && r.N != nil)) {
			return // >&2, >&-: a descriptor, not a file
		}
		via := r.Op.String()
		if r.N != nil {
			via = r.N.Value + via
		}
		a.write(w.val, via, !w.static)
	case syntax.RdrIn:
		if r.N == nil || r.N.Value == "0" {
			*in = input{kind: inFile}
		}
	case syntax.Hdoc, syntax.DashHdoc:
		if r.Hdoc == nil || len(r.Hdoc.Parts) == 0 {
			*in = input{kind: inHeredoc, static: true}
			return
		}
		text, static := heredocText(r.Hdoc, f.src)
		*in = input{kind: inHeredoc, text: text, static: static, hdoc: r.Hdoc}
	case syntax.WordHdoc:
		if r.Word != nil {
			w := wordOf(r.Word, f.src)
			*in = input{kind: inHerestring, text: w.val, static: w.static}
		}
	}
}

// call walks a simple command: the substitutions in its words run first,
// then the command itself.
func (a *analyzer) call(f frame, c *syntax.CallExpr, lvl int, in *input) {
	for _, as := range c.Assigns {
		a.assign(f, as, lvl+1)
	}
	a.words(f, c.Args, lvl+1)
	if len(c.Args) == 0 {
		for _, as := range c.Assigns {
			if as.Name != nil && as.Value != nil && as.Index == nil {
				a.out.Assigns = append(a.out.Assigns, assignWord(as, f.src).val)
			}
		}
		return
	}
	if a.err != nil {
		return
	}
	ws := make([]word, 0, len(c.Args))
	for _, w := range c.Args {
		if hasBrace(w) && syntax.SplitBraces(w) {
			var err error
			if ws, err = expandBraces(ws, w, f.src); err != nil {
				a.fail(err)
				return
			}
			continue
		}
		ws = append(ws, wordOf(w, f.src))
	}
	idx := len(a.out.Commands)
	a.emit(f, ws, in)
	if len(c.Assigns) > 0 && idx < len(a.out.Commands) {
		env := make([]string, len(c.Assigns))
		for i, as := range c.Assigns {
			env[i] = assignWord(as, f.src).val
		}
		a.out.Commands[idx].Env = env
	}
}
