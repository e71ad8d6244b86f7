package policy

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/ext"
	"github.com/google/cel-go/interpreter"
)

// Variables a condition can use. A variable the caller does not set has its
// type's zero value ("", [], or the zero timestamp), so that
// file_path.endsWith('.py') is simply false for a Bash call.
//
//	tool_name        string        Claude Code tool name: "Bash", "Edit", "mcp__github__get_issue"
//	file_path        string        the path a file tool touches, canonical, "" for others
//	command          string        a Bash call's whole command line
//	commands         list(string)  every simple command it runs, normalized (shell.Command.Text)
//	cwd              string        the session's working directory
//	user, team       string        who is behind the call
//	session          string        Claude Code session id
//	permission_mode  string        default, acceptEdits, plan, bypassPermissions, …
//	time             timestamp     when the call is decided (the engine's clock)
//
// The functions are CEL's standard library plus its strings extension.
var conditionVars = []struct {
	name string
	typ  *cel.Type
	zero any
}{
	{"tool_name", cel.StringType, ""},
	{"file_path", cel.StringType, ""},
	{"command", cel.StringType, ""},
	{"commands", cel.ListType(cel.StringType), []string{}},
	{"cwd", cel.StringType, ""},
	{"user", cel.StringType, ""},
	{"team", cel.StringType, ""},
	{"session", cel.StringType, ""},
	{"permission_mode", cel.StringType, ""},
	{"time", cel.TimestampType, time.Time{}},
}

// celEnv is built once per process, on first use.
var celEnv = sync.OnceValues(func() (*cel.Env, error) {
	opts := []cel.EnvOption{ext.Strings()}
	for _, v := range conditionVars {
		opts = append(opts, cel.Variable(v.name, v.typ))
	}
	return cel.NewEnv(opts...)
})

// Condition is one compiled CEL condition. Compiling CEL costs about a
// millisecond the first time in a process, the whole start-up budget of a
// hook, so Parse only records the text and the condition compiles on its
// first Eval (or Compile). Validate compiles every condition at once.
type Condition struct {
	Text   string // as written
	Source string // where it is written: permissions.conditionalRules[0].condition

	file string // file name and the position of the string's raw body,
	line int    // for problems
	col  int
	raw  []byte

	once     sync.Once
	program  cel.Program
	problems Problems
}

// Compile compiles the condition if it has not been already and returns its
// problems, positioned in the policy file; nil when it is a valid boolean
// expression. It is safe to call from several goroutines.
func (c *Condition) Compile() Problems {
	c.once.Do(c.compile)
	return c.problems
}

func (c *Condition) compile() {
	env, err := celEnv()
	if err != nil {
		c.problems = Problems{c.problem(-1, "build condition environment: "+err.Error())}
		return
	}
	ast, iss := env.Compile(c.Text)
	if iss.Err() != nil {
		for _, e := range iss.Errors() {
			off := runeOffset(c.Text, e.Location.Line(), e.Location.Column())
			c.problems = append(c.problems, c.problem(off, lowerFirst(e.Message)+" in "+c.Source))
		}
		if c.problems == nil {
			c.problems = Problems{c.problem(-1, lowerFirst(iss.Err().Error())+" in "+c.Source)}
		}
		return
	}
	if t := ast.OutputType(); !t.IsExactType(cel.BoolType) {
		c.problems = Problems{c.problem(-1, fmt.Sprintf("%s must be a boolean expression, not %s", c.Source, t))}
		return
	}
	c.program, err = env.Program(ast)
	if err != nil {
		c.problems = Problems{c.problem(-1, lowerFirst(err.Error())+" in "+c.Source)}
	}
}

// problem positions msg at byte off of the condition's decoded text, or at
// the string's opening quote when off is -1 (a problem with the whole
// expression).
func (c *Condition) problem(off int, msg string) Problem {
	if off < 0 {
		return Problem{File: c.file, Line: c.line, Col: c.col - 1, Msg: msg}
	}
	_, rawOff := decodeString(c.raw, off)
	return Problem{File: c.file, Line: c.line, Col: c.col + rawOff, Msg: msg}
}

// Eval reports whether the condition holds for vars, keyed by the variable
// names above. Values are Go strings, []string and time.Time. A condition
// that does not compile, or fails at run time, returns an error; the caller
// fails closed.
func (c *Condition) Eval(vars map[string]any) (bool, error) {
	if ps := c.Compile(); ps != nil {
		return false, ps
	}
	out, _, err := c.program.Eval(activation(vars))
	if err != nil {
		return false, fmt.Errorf("evaluate %s: %w", c.Source, err)
	}
	b, ok := out.Value().(bool)
	if !ok {
		return false, errors.New("evaluate " + c.Source + ": result is not a boolean")
	}
	return b, nil
}

// activation resolves the declared variables, defaulting to zero values.
type activation map[string]any

func (a activation) ResolveName(name string) (any, bool) {
	if v, ok := a[name]; ok {
		return v, true
	}
	for _, v := range conditionVars {
		if v.name == name {
			return v.zero, true
		}
	}
	return nil, false
}

func (activation) Parent() interpreter.Activation { return nil }

// runeOffset converts CEL's location (1-based line, 0-based column in
// runes) to a byte offset in text.
func runeOffset(text string, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := strings.IndexByte(text[off:], '\n')
		if i < 0 {
			return len(text)
		}
		off += i + 1
	}
	for ; col > 0 && off < len(text); col-- {
		_, size := utf8.DecodeRuneInString(text[off:])
		off += size
	}
	return off
}

func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if unicode.IsUpper(r) && (len(s) == size || !unicode.IsUpper(rune(s[size]))) {
		return string(unicode.ToLower(r)) + s[size:]
	}
	return s
}
