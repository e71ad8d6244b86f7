package policy

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Problem is one thing wrong with a policy file, at a 1-based line and a
// 1-based byte column.
type Problem struct {
	File string
	Line int
	Col  int
	Msg  string
}

func (p Problem) String() string {
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Col, p.Msg)
}

// Problems is every problem found in a file, in file order. It is the error
// Parse returns for an invalid file.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// locator turns byte offsets into problems.
type locator struct {
	name     string
	data     []byte
	problems []located
}

type located struct {
	off, seq int
	msg      string
}

func (l *locator) add(off int, format string, args ...any) {
	l.problems = append(l.problems, located{off, len(l.problems), fmt.Sprintf(format, args...)})
}

// position returns the 1-based line and byte column of off.
func position(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	line = 1 + bytes.Count(data[:off], []byte{'\n'})
	return line, off - bytes.LastIndexByte(data[:off], '\n')
}

// result returns the problems sorted by position; problems at the same
// position keep the order they were found in.
func (l *locator) result() Problems {
	if len(l.problems) == 0 {
		return nil
	}
	slices.SortFunc(l.problems, func(a, b located) int {
		return cmp.Or(cmp.Compare(a.off, b.off), cmp.Compare(a.seq, b.seq))
	})
	ps := make(Problems, 0, len(l.problems))
	for _, p := range l.problems {
		line, col := position(l.data, p.off)
		ps = append(ps, Problem{File: l.name, Line: line, Col: col, Msg: p.msg})
	}
	return slices.Compact(ps) // the same problem found twice is shown once
}

// sortProblems sorts problems from several passes by position, keeping the
// order of problems at the same position, and drops repeats.
func sortProblems(ps Problems) Problems {
	if len(ps) == 0 {
		return nil
	}
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
	return slices.Compact(ps)
}
