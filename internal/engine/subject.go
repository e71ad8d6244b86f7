package engine

import (
	"net/url"
	"path"
	"strings"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/claude"
	"github.com/govern-dev/govern/internal/persona"
	"github.com/govern-dev/govern/internal/policy"
	"github.com/govern-dev/govern/internal/rule"
	"github.com/govern-dev/govern/internal/shell"
)

// subject is a request normalized once for every rule to look at.
type subject struct {
	req  *govern.Request
	tool string
	in   *claude.ToolInput
	base rule.Base
	cwd  string

	// Bash and friends.
	line     string
	analysis *shell.Analysis
	writes   []string // canonical paths the command writes
	dynWrite string   // a write target only known at run time, if any

	// File tools.
	path string // canonical path the tool reads or writes

	// WebFetch.
	host string

	pcall *persona.Call // the call as the personas see it, once built

	// Conditional rules evaluated so far, and the first evaluation failure.
	conds   map[*policy.Conditional]bool
	condErr error
}

// isShell reports whether the tool runs shell text, which is analyzed and
// matched command by command. PowerShell text is read with the same parser:
// what does not parse as shell is denied, never let through unread.
func isShell(tool string) bool { return tool == "Bash" || tool == "Monitor" || tool == "PowerShell" }

// normalize builds the subject. A call that cannot be understood gives a
// deny reason.
func normalize(req *govern.Request) (*subject, string) {
	s := &subject{req: req, tool: req.ToolName}
	s.base.Home = clean(req.HomeDir, "/")
	s.cwd = clean(req.Cwd, "/")
	root := req.ProjectDir
	if root == "" {
		root = req.Cwd
	}
	s.base.Root = clean(root, "/")
	in, err := claude.DecodeToolInput(req.ToolInput)
	if err != nil {
		return nil, err.Error()
	}
	s.in = in
	switch {
	case isShell(s.tool):
		if strings.TrimSpace(in.Command) == "" {
			if s.tool == "Monitor" {
				return s, "" // Monitor can watch a websocket instead
			}
			return nil, s.tool + " call has no command"
		}
		s.line = in.Command
		a, err := shell.Analyze(in.Command)
		if err != nil {
			return nil, "cannot analyze the command: " + err.Error()
		}
		s.analysis = a
		for _, w := range a.Writes {
			if w.Dynamic {
				if p, ok := s.expandHome(w.Path); ok {
					s.writes = append(s.writes, p)
				} else if s.dynWrite == "" {
					s.dynWrite = w.Path
				}
				continue
			}
			if p := s.resolve(w.Path); !harmlessSink(p) {
				s.writes = append(s.writes, p)
			}
		}
	case rule.IsWriteTool(s.tool) || rule.IsReadTool(s.tool):
		t := in.Target()
		if t == "" {
			if rule.IsWriteTool(s.tool) {
				return nil, s.tool + " call has no file path"
			}
			t = s.cwd // Grep and Glob default to the working directory
		}
		s.path = s.resolve(t)
	case s.tool == "WebFetch":
		u, err := url.Parse(in.URL)
		if err != nil || u.Hostname() == "" {
			return nil, "WebFetch call has no valid URL"
		}
		s.host = strings.ToLower(u.Hostname())
	}
	return s, ""
}

// resolve makes p absolute and clean: relative to the working directory,
// "~" to the home directory, "//x" to "/x".
func (s *subject) resolve(p string) string {
	if q, ok := s.expandHome(p); ok {
		return q
	}
	return clean(p, s.cwd)
}

// expandHome resolves the home-directory spellings a shell expands: ~,
// ~/x, $HOME/x and ${HOME}/x.
func (s *subject) expandHome(p string) (string, bool) {
	if s.base.Home == "" {
		return "", false
	}
	for _, pre := range [...]string{"~", "$HOME", "${HOME}"} {
		if rest, ok := strings.CutPrefix(p, pre); ok && (rest == "" || rest[0] == '/') {
			return clean(s.base.Home+rest, "/"), true
		}
	}
	return "", false
}

// clean returns p as an absolute clean path, relative to dir when relative.
func clean(p, dir string) string {
	if p == "" {
		return ""
	}
	if !strings.HasPrefix(p, "/") {
		p = dir + "/" + p
	}
	return path.Clean(p)
}

// harmlessSink reports whether writing p cannot change a file: the bit
// bucket and the process's own streams.
func harmlessSink(p string) bool {
	switch p {
	case "/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty":
		return true
	}
	return strings.HasPrefix(p, "/dev/fd/")
}
