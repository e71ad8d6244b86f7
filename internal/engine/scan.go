package engine

import (
	"strings"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/secret"
)

// scan is the last step (seed §Step 4, _enterprise_security_scan): a call
// that would put a credential into a file or a command line is stopped,
// whatever the rules allowed. The reason names the kind of credential and
// where, never the credential.
func scan(s *subject, d govern.Decision) govern.Decision {
	if d.Outcome == govern.Deny {
		return d
	}
	text, where := s.written()
	if text == "" {
		return d
	}
	var found []secret.Finding
	if s.analysis != nil {
		found = secret.Likely(text)
	} else {
		found = s.call().Credentials() // the same text the code-quality persona looked at
	}
	if len(found) == 0 {
		return d
	}
	kinds := make([]string, 0, len(found))
	outcome := govern.Ask
	for _, f := range found {
		if !secret.Generic(f.Kind) {
			outcome = govern.Deny // a provider's own format: certain enough to block
		}
		kinds = appendNew(kinds, f.Kind)
	}
	if outcome == govern.Ask && d.Outcome == govern.Ask {
		return d // already asking: keep the rule's reason
	}
	return govern.Decision{
		Outcome: outcome, Layer: govern.LayerEngine, Risk: govern.RiskCritical, Rule: "security-scan",
		Reason: where + " would hold a credential (" + strings.Join(kinds, ", ") + ")",
		Recommendations: []string{
			"Read credentials from the environment or a secret manager at run time; never write them into files or command lines.",
			"If this value is not a real credential, use an obvious placeholder such as ${API_KEY} or EXAMPLE.",
		},
		Personas: d.Personas,
	}
}

// written is the text a call would put somewhere lasting, and where: the
// content a file tool writes, or the command line a shell runs.
func (s *subject) written() (string, string) {
	switch {
	case s.analysis != nil:
		return s.line, "the command line"
	case s.in == nil:
		return "", ""
	case s.in.Content != "":
		return s.in.Content, "the file " + s.path
	case s.in.NewString != "":
		return s.in.NewString, "the file " + s.path
	case s.in.NewSource != "":
		return s.in.NewSource, "the notebook " + s.path
	case s.in.URL != "":
		return s.in.URL, "the URL it fetches" // a credential in a URL goes to whoever serves it
	}
	if len(s.in.Edits) > 0 {
		var b strings.Builder
		for _, e := range s.in.Edits {
			b.WriteString(e.NewString)
			b.WriteByte('\n')
		}
		return b.String(), "the file " + s.path
	}
	return "", ""
}

// CheckPrompt is the decision on a UserPromptSubmit prompt. It needs no
// policy, so a door can stop a prompt that carries a credential even when
// the policy cannot be loaded; Decide gives the same answer.
func CheckPrompt(prompt string) govern.Decision { return promptDecision(prompt) }

// promptDecision stops a prompt that carries a credential before Claude
// (and the model provider) sees it. Only credentials in a provider's own
// format stop a prompt: a person pasting "password: hunter2" into a
// question is asking about it.
func promptDecision(prompt string) govern.Decision {
	var kinds []string
	for _, f := range secret.Find(prompt) {
		if !secret.Generic(f.Kind) {
			kinds = appendNew(kinds, f.Kind)
		}
	}
	if len(kinds) == 0 {
		return govern.Decision{Outcome: govern.None, Risk: govern.RiskLow, Reason: "the prompt holds no credential"}
	}
	return govern.Decision{
		Outcome: govern.Deny, Layer: govern.LayerEngine, Risk: govern.RiskCritical, Rule: "security-scan",
		Reason: "the prompt holds a credential (" + strings.Join(kinds, ", ") + "); it was not sent",
		Recommendations: []string{
			"Remove the credential and send the prompt again; refer to it by the name of the environment variable that holds it.",
			"If it was a real credential, rotate it: it has left the secret store.",
		},
	}
}
