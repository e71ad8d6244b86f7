package persona

import (
	"slices"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/secret"
	"github.com/govern-dev/govern/internal/shell"
)

// Call is one tool call as the personas see it, normalized once by the
// engine.
type Call struct {
	Tool    string          // Claude Code tool name
	Command string          // the shell text, for Bash
	Shell   *shell.Analysis // nil unless the tool runs shell text
	Path    string          // canonical absolute path a file tool touches
	Writes  []string        // canonical absolute paths written, by a file tool or by the shell
	Content string          // what a file tool writes: Write content, Edit new_string, NotebookEdit new_source
	Host    string          // WebFetch host
	Root    string          // the project root, absolute
	Home    string          // the user's home directory, absolute
	Cwd     string          // the working directory relative shell operands resolve against; Root when empty

	creds   []secret.Finding // Credentials, once found
	scanned bool
	nested  int   // shell commands found inside this call's and reviewed (nestedShell), counted on the outermost call
	outer   *Call // the call a nested review was started from; nil for the call itself
}

// Credentials are the likely credentials in Content (secret.Likely), found
// once per call however many reviewers ask.
func (c *Call) Credentials() []secret.Finding {
	if !c.scanned {
		c.creds, c.scanned = secret.Likely(c.Content), true
	}
	return c.creds
}

// Review is what a Panel concludes about a Call.
type Review struct {
	Outcome         govern.Outcome   // Allow when the consensus approves, else Ask or Deny
	Risk            govern.Risk      // the highest risk any consulted persona saw
	Verdicts        []govern.Verdict // every persona consulted, in order
	Reason          string           // for Ask and Deny: the deciding personas' reasons, one sentence
	Recommendations []string         // every recommendation, de-duplicated, in persona order
}

// Mode says when a persona is consulted.
type Mode string

const (
	Always Mode = "always" // every call
	Auto   Mode = "auto"   // calls that concern it (Persona.Concerns)
	Never  Mode = "never"  // disabled
)

// The built-in personas' IDs.
const (
	SarahChen       = "sarah_chen"
	MarcusRodriguez = "marcus_rodriguez"
	EmilyWatson     = "emily_watson"
	RachelTorres    = "rachel_torres"
)

// Persona is one reviewer: who it is, when it is consulted and what it
// says about a call.
type Persona struct {
	ID   string // "marcus_rodriguez"
	Name string // "Marcus Rodriguez"
	Role string // "security"; a persona whose Role is "security" holds the SecurityVeto

	Consult Mode
	// Concerns reports whether a call is this persona's business; it is
	// asked only when Consult is Auto.
	Concerns func(c *Call) bool
	// Check reviews a call. It returns a Verdict whose Persona is ID and
	// whose Outcome is govern.Allow, govern.Ask or govern.Deny; reasons
	// are given only for Ask and Deny, advice comes as recommendations.
	Check func(c *Call) govern.Verdict
}

// Consulted reports whether the persona reviews c.
func (p *Persona) Consulted(c *Call) bool {
	switch p.Consult {
	case Always:
		return true
	case Auto:
		return p.Concerns != nil && p.Concerns(c)
	}
	return false
}

// Builtins returns fresh copies of the four built-in personas, in the
// order they are consulted: Sarah Chen (architecture, always), Marcus
// Rodriguez (security), Emily Watson (code quality), Rachel Torres (data
// and configuration).
func Builtins() []*Persona {
	return []*Persona{
		{ID: SarahChen, Name: "Sarah Chen", Role: "architecture", Consult: Always, Concerns: func(*Call) bool { return true }, Check: architecture},
		{ID: MarcusRodriguez, Name: "Marcus Rodriguez", Role: "security", Consult: Auto, Concerns: securityConcerns, Check: security},
		{ID: EmilyWatson, Name: "Emily Watson", Role: "quality", Consult: Auto, Concerns: qualityConcerns, Check: quality},
		{ID: RachelTorres, Name: "Rachel Torres", Role: "data", Consult: Auto, Concerns: dataConcerns, Check: data},
	}
}

// verdict builds a govern.Verdict. An approving verdict with nothing to
// say allocates nothing.
type verdict struct{ govern.Verdict }

func newVerdict(id string) verdict {
	return verdict{govern.Verdict{Persona: id, Outcome: govern.Allow, Risk: govern.RiskLow}}
}

// flag records a problem: the outcome and risk rise to o and r, the reason
// and recommendation are added once. Allow findings carry advice only.
func (v *verdict) flag(o govern.Outcome, r govern.Risk, reason, rec string) {
	if o.Stricter(v.Outcome) {
		v.Outcome = o
	}
	if riskRank(r) > riskRank(v.Risk) {
		v.Risk = r
	}
	if reason != "" && o != govern.Allow && !slices.Contains(v.Reasons, reason) {
		v.Reasons = append(v.Reasons, reason)
	}
	v.advise(rec)
}

// advise adds a recommendation once.
func (v *verdict) advise(rec string) {
	if rec != "" && !slices.Contains(v.Recommendations, rec) {
		v.Recommendations = append(v.Recommendations, rec)
	}
}

func riskRank(r govern.Risk) int {
	switch r {
	case govern.RiskCritical:
		return 4
	case govern.RiskHigh:
		return 3
	case govern.RiskMedium:
		return 2
	case govern.RiskLow:
		return 1
	}
	return 0
}

// commands returns the commands a shell call runs.
func (c *Call) commands() []shell.Command {
	if c.Shell == nil {
		return nil
	}
	return c.Shell.Commands
}

// writesFile reports whether the tool writes files (Write, Edit, …).
func writesFile(tool string) bool {
	switch tool {
	case "Write", "Edit", "MultiEdit", "NotebookEdit":
		return true
	}
	return false
}

// written returns every path the call writes: Writes, plus Path for a file
// tool whose engine did not list it there.
func (c *Call) written(yield func(string) bool) {
	for _, w := range c.Writes {
		if !yield(w) {
			return
		}
	}
	if c.Path != "" && writesFile(c.Tool) && !slices.Contains(c.Writes, c.Path) {
		yield(c.Path)
	}
}

// hasFlag reports whether cmd carries one of the normalized flags.
func hasFlag(cmd *shell.Command, names ...string) bool {
	for i := range cmd.Flags {
		if slices.Contains(names, cmd.Flags[i].Name) {
			return true
		}
	}
	return false
}

// operand returns cmd's i-th operand, or "".
func operand(cmd *shell.Command, i int) string {
	if i < len(cmd.Operands) {
		return cmd.Operands[i]
	}
	return ""
}
