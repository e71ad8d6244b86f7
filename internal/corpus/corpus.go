// Package corpus reads the decision corpus under testdata/corpus: Claude
// Code tool calls and the outcome the engine must give them. One corpus
// drives the engine tests, seeds the fuzz targets, and runs end to end
// through the hook binary.
package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// The machine every case runs on, unless the case says otherwise.
const (
	Home       = "/home/dev"
	ProjectDir = "/home/dev/proj"
)

// Case is one corpus line.
type Case struct {
	Name   string          `json:"name"`
	Policy string          `json:"policy"` // a file under testdata/policies, without .json
	Tool   string          `json:"tool"`
	Input  json.RawMessage `json:"input"`
	Cwd    string          `json:"cwd,omitempty"`
	Mode   string          `json:"mode,omitempty"`
	Expect string          `json:"expect"`         // allow, ask, deny, none
	Rule   string          `json:"rule,omitempty"` // the deciding rule, when a policy rule decides
	Note   string          `json:"note,omitempty"`

	Pos string `json:"-"` // file:line
}

// Load reads every *.jsonl file in dir. Names must be unique.
func Load(dir string) ([]Case, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var cases []Case
	seen := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<20)
		for line := 1; sc.Scan(); line++ {
			text := bytes.TrimSpace(sc.Bytes())
			if len(text) == 0 {
				continue
			}
			var c Case
			dec := json.NewDecoder(bytes.NewReader(text))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&c); err != nil {
				return nil, fmt.Errorf("%s:%d: %v", f, line, err)
			}
			c.Pos = fmt.Sprintf("%s:%d", filepath.Base(f), line)
			if c.Name == "" || c.Tool == "" || c.Expect == "" {
				return nil, fmt.Errorf("%s: case needs name, tool and expect", c.Pos)
			}
			if prev, dup := seen[c.Name]; dup {
				return nil, fmt.Errorf("%s: name %q already used at %s", c.Pos, c.Name, prev)
			}
			seen[c.Name] = c.Pos
			if c.Policy == "" {
				c.Policy = "seed"
			}
			if c.Cwd == "" {
				c.Cwd = ProjectDir
			}
			if c.Mode == "" {
				c.Mode = "default"
			}
			cases = append(cases, c)
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("%s: %v", f, err)
		}
	}
	return cases, nil
}

// Event renders the case as the PreToolUse event Claude Code would send.
func (c *Case) Event() []byte {
	input := c.Input
	if len(input) == 0 {
		input = json.RawMessage("{}")
	}
	ev := map[string]any{
		"session_id":      "corpus-session",
		"transcript_path": Home + "/.claude/projects/-home-dev-proj/corpus-session.jsonl",
		"cwd":             c.Cwd,
		"permission_mode": c.Mode,
		"hook_event_name": "PreToolUse",
		"tool_name":       c.Tool,
		"tool_input":      input,
		"tool_use_id":     "toolu_corpus",
	}
	b, err := json.Marshal(ev)
	if err != nil {
		panic(err) // a RawMessage that Load decoded: cannot happen
	}
	return b
}

// PolicyFile is the path of the case's policy under the testdata directory.
func (c *Case) PolicyFile(testdata string) string {
	return filepath.Join(testdata, "policies", c.Policy+".json")
}
