package secret

import (
	"regexp"
	"strings"
	"sync"
)

// Finding is one credential found in a text.
type Finding struct {
	Kind       string // "aws-access-key", "github-token", …
	Start, End int    // byte offsets of the secret itself in the text
}

// detector finds one kind of credential. The secret is the regexp's
// submatch named "s", or the whole match.
type detector struct {
	kind string
	re   *regexp.Regexp
	pre  string // a literal every match contains, to skip the regexp cheaply; "" to always run it
}

// detectors are compiled on first use: every hook process links this
// package, and most never look for a secret.
var detectors = sync.OnceValue(func() []detector { return compileDetectors() })

func compileDetectors() []detector {
	return []detector{
		{"private-key", regexp.MustCompile(`-----BEGIN (?:[A-Z]+ )?PRIVATE KEY(?: BLOCK)?-----(?s:.*?)(?:-----END (?:[A-Z]+ )?PRIVATE KEY(?: BLOCK)?-----|$)`), "PRIVATE KEY"},
		{"aws-access-key", regexp.MustCompile(`\b(?P<s>(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z2-7]{16})\b`), "A"},
		{"github-token", regexp.MustCompile(`\b(?P<s>(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}))\b`), ""},
		{"gitlab-token", regexp.MustCompile(`\b(?P<s>glpat-[A-Za-z0-9_\-]{20,})\b`), "glpat-"},
		{"slack-token", regexp.MustCompile(`\b(?P<s>xox[abposr]-[A-Za-z0-9-]{10,})\b`), "xox"},
		{"stripe-key", regexp.MustCompile(`\b(?P<s>(?:sk|rk)_live_[A-Za-z0-9]{16,})\b`), "_live_"},
		{"anthropic-key", regexp.MustCompile(`\b(?P<s>sk-ant-[A-Za-z0-9_\-]{20,})`), "sk-ant-"},
		{"openai-key", regexp.MustCompile(`\b(?P<s>sk-(?:proj-|svcacct-)?[A-Za-z0-9_\-]{32,})`), "sk-"},
		{"google-api-key", regexp.MustCompile(`\b(?P<s>AIza[0-9A-Za-z_\-]{35})\b`), "AIza"},
		{"npm-token", regexp.MustCompile(`\b(?P<s>npm_[A-Za-z0-9]{36})\b`), "npm_"},
		{"jwt", regexp.MustCompile(`\b(?P<s>eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,})`), "eyJ"},
		{"url-password", regexp.MustCompile(`[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s:/@'"]+:(?P<s>[^\s@/'"]{3,})@`), "://"},
		{"bearer-token", regexp.MustCompile(`(?i)\bbearer\s+(?P<s>[A-Za-z0-9_\-.=+/]{16,})`), ""},
		{"secret-assignment", regexp.MustCompile(`(?i)\b[A-Z0-9_]*(?:PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?)[A-Z0-9_]*["']?\s*[:=]\s*["']?(?P<s>[^\s"'$&;|]{8,})`), ""},
	}
}

// placeholder reports whether a value is an obvious stand-in rather than
// a credential: EXAMPLE keys, runs of x or *, ${VAR} references.
func placeholder(v string) bool {
	u := strings.ToUpper(v)
	switch {
	case strings.Contains(u, "EXAMPLE"), strings.Contains(u, "XXXX"), strings.Contains(u, "****"),
		strings.Contains(u, "PLACEHOLDER"), strings.Contains(u, "CHANGEME"), strings.Contains(u, "YOUR_"),
		strings.Contains(u, "<") && strings.Contains(u, ">"), strings.HasPrefix(v, "${"), strings.HasPrefix(v, "$("):
		return true
	}
	return false
}

// Find returns the credentials in text, in order, without overlaps.
func Find(text string) []Finding {
	var out []Finding
	for _, d := range detectors() {
		if d.pre != "" && !strings.Contains(text, d.pre) {
			continue
		}
		si := d.re.SubexpIndex("s")
		for _, m := range d.re.FindAllStringSubmatchIndex(text, -1) {
			start, end := m[0], m[1]
			if si > 0 && m[2*si] >= 0 {
				start, end = m[2*si], m[2*si+1]
			}
			if placeholder(text[start:end]) {
				continue
			}
			out = add(out, Finding{Kind: d.kind, Start: start, End: end})
		}
	}
	return out
}

// add inserts f into the sorted list unless it overlaps a finding already there.
func add(list []Finding, f Finding) []Finding {
	i := 0
	for i < len(list) && list[i].Start < f.Start {
		i++
	}
	if i > 0 && list[i-1].End > f.Start || i < len(list) && list[i].Start < f.End {
		return list
	}
	list = append(list, Finding{})
	copy(list[i+1:], list[i:])
	list[i] = f
	return list
}

// Mask returns text with every credential replaced by "[REDACTED:kind]",
// and whether it found any.
func Mask(text string) (string, bool) {
	fs := Find(text)
	if len(fs) == 0 {
		return text, false
	}
	var b strings.Builder
	last := 0
	for _, f := range fs {
		b.WriteString(text[last:f.Start])
		b.WriteString("[REDACTED:" + f.Kind + "]")
		last = f.End
	}
	b.WriteString(text[last:])
	return b.String(), true
}
