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
// submatch named "s", or the whole match. Each regexp compiles on first
// use, and only for text that passes the detector's cheap literal test:
// every hook process masks the command it records, and most commands hold
// nothing that looks like a credential.
type detector struct {
	kind string
	expr string
	any  []string // the text must hold one of these, case-insensitively when fold
	fold bool

	once sync.Once
	re   *regexp.Regexp
}

func (d *detector) regexp() *regexp.Regexp {
	d.once.Do(func() { d.re = regexp.MustCompile(d.expr) })
	return d.re
}

// worth reports whether text may hold what d finds.
func (d *detector) worth(text string) bool {
	for _, a := range d.any {
		if d.fold && ContainsFold(text, a) || !d.fold && strings.Contains(text, a) {
			return true
		}
	}
	return len(d.any) == 0
}

// ContainsFold reports whether text holds the lower-case ASCII word w in
// any case, without allocating: the cheap test in front of a
// case-insensitive regexp.
func ContainsFold(text, w string) bool {
	for i := 0; i+len(w) <= len(text); i++ {
		j := 0
		for j < len(w) && text[i+j]|0x20 == w[j] {
			j++
		}
		if j == len(w) {
			return true
		}
	}
	return false
}

var detectors = []*detector{
	{kind: "private-key", expr: `-----BEGIN (?:[A-Z]+ )?PRIVATE KEY(?: BLOCK)?-----(?s:.*?)(?:-----END (?:[A-Z]+ )?PRIVATE KEY(?: BLOCK)?-----|$)`, any: []string{"PRIVATE KEY"}},
	{kind: "aws-access-key", expr: `\b(?P<s>(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z2-7]{16})\b`, any: []string{"AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA"}},
	{kind: "github-token", expr: `\b(?P<s>(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}))\b`, any: []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"}},
	{kind: "gitlab-token", expr: `\b(?P<s>glpat-[A-Za-z0-9_\-]{20,})\b`, any: []string{"glpat-"}},
	{kind: "slack-webhook", expr: `(?P<s>https://hooks\.slack\.com/(?:services|workflows|triggers)/T[A-Z0-9]{6,}/[A-Z0-9]{6,}/[A-Za-z0-9]{16,})`, any: []string{"hooks.slack.com"}},
	{kind: "slack-token", expr: `\b(?P<s>xox[abposr]-[A-Za-z0-9-]{10,})\b`, any: []string{"xox"}},
	{kind: "stripe-key", expr: `\b(?P<s>(?:sk|rk)_live_[A-Za-z0-9]{16,})\b`, any: []string{"_live_"}},
	{kind: "anthropic-key", expr: `\b(?P<s>sk-ant-[A-Za-z0-9_\-]{20,})`, any: []string{"sk-ant-"}},
	{kind: "openai-key", expr: `\b(?P<s>sk-(?:proj-|svcacct-)?[A-Za-z0-9_\-]{32,})`, any: []string{"sk-"}},
	{kind: "google-api-key", expr: `\b(?P<s>AIza[0-9A-Za-z_\-]{35})\b`, any: []string{"AIza"}},
	{kind: "npm-token", expr: `\b(?P<s>npm_[A-Za-z0-9]{36})\b`, any: []string{"npm_"}},
	{kind: "jwt", expr: `\b(?P<s>eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,})`, any: []string{"eyJ"}},
	{kind: "url-password", expr: `[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s:/@'"]+:(?P<s>[^\s@/'"]{3,})@`, any: []string{"://"}},
	{kind: "bearer-token", expr: `(?i)\bbearer\s+(?P<s>[A-Za-z0-9_\-.=+/]{16,})`, any: []string{"bearer"}, fold: true},
	{kind: "secret-assignment", expr: `(?i)\b[A-Z0-9_]*(?:PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?)[A-Z0-9_]*["']?\s*[:=]\s*["']?(?P<s>[^\s"'$&;|]{8,}|[A-Za-z_][A-Za-z0-9_.]{0,6}[(\[]["'])`,
		any: []string{"passw", "secret", "token", "key", "credential"}, fold: true},
}

// dummies are the passwords of local development defaults and examples.
var dummies = map[string]bool{
	"password": true, "passwd": true, "pass": true, "secret": true, "postgres": true, "root": true,
	"admin": true, "test": true, "example": true, "changeme": true, "mysql": true, "guest": true,
	"dev": true, "development": true, "localdev": true, "local": true, "redis": true,
}

// placeholder reports whether a value is an obvious stand-in rather than
// a credential: EXAMPLE keys, runs of x or *, ${VAR} references, the
// passwords of local development defaults.
func placeholder(v string) bool {
	if dummies[strings.ToLower(strings.Trim(v, `"'`))] || strings.HasPrefix(v, "[REDACTED:") {
		return true
	}
	u := strings.ToUpper(v)
	switch {
	case strings.Contains(u, "EXAMPLE"), strings.Contains(u, "XXXX"), strings.Contains(u, "****"),
		strings.Contains(u, "PLACEHOLDER"), strings.Contains(u, "CHANGEME"), strings.Contains(u, "CHANGE_ME"),
		strings.Contains(u, "REPLACE_ME"), strings.Contains(u, "REPLACEME"), strings.HasPrefix(u, "YOUR"), strings.Contains(u, "DUMMY"),
		strings.Contains(u, "<") && strings.Contains(u, ">"), strings.HasPrefix(v, "${"), strings.HasPrefix(v, "$("),
		strings.HasPrefix(v, "/"), strings.HasPrefix(v, "./"), strings.HasPrefix(v, "~/"): // a path to a secret, not one
		return true
	}
	return false
}

// Find returns the credentials in text, in order, without overlaps.
func Find(text string) []Finding {
	var out []Finding
	for _, d := range detectors {
		if !d.worth(text) {
			continue
		}
		re := d.regexp()
		si := re.SubexpIndex("s")
		for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
			start, end := m[0], m[1]
			if si > 0 && m[2*si] >= 0 {
				start, end = m[2*si], m[2*si+1]
			}
			if d.kind == "secret-assignment" {
				var ok bool
				if start, end, ok = assigned(text, start, end); !ok {
					continue
				}
			}
			if placeholder(text[start:end]) || d.kind == "url-password" && localURL(text[end:]) ||
				d.kind == "bearer-token" && unsignedJWT(text[start:end]) {
				continue
			}
			out = add(out, Finding{Kind: d.kind, Start: start, End: end})
		}
	}
	return out
}

// assigned returns what of a value found by secret-assignment, text[start:end],
// can be a credential, or false for none. The value stops at a quote, so
// code with a quoted argument ends in "(" or "[" there.
//
// A call or subscript is a lookup, code that reads the secret rather
// than the secret, when its first argument is a name (a variable's or a
// configuration key's: DB_PASSWORD, services.stripe.secret) or the
// function is a known lookup (os.getenv, ENV.fetch, config, settings, a
// secrets manager): only a literal fallback on the same line can then be
// a credential (os.getenv("DB_PASSWORD", "…")). Any other quoted
// argument is itself the candidate: SecretStr("…"), base64.b64decode("…"),
// decrypt('…'), x["…"]. A value that starts right after a quote
// (PASSWORD="Pa.ss(word)") is a literal, whatever it holds.
//
// A value shorter than 8 is a call or subscript opener and its quote
// (x[", f('), matched only for the literal after it.
func assigned(text string, start, end int) (int, int, bool) {
	opener := text[end-1] == '"' || text[end-1] == '\''
	if opener {
		end-- // the quote, which the literal starts with
	}
	value := func() (int, int, bool) { return start, end, !opener }
	if start > 0 && (text[start-1] == '"' || text[start-1] == '\'') {
		return value()
	}
	v := text[start:end]
	i := strings.IndexAny(v, "([")
	if i <= 0 || !codeName(v[:i]) {
		return value()
	}
	fn, rest := v[:i], v[i+1:]
	if rest == "" {
		if end == len(text) || text[end] != '"' && text[end] != '\'' {
			// getenv($NAME), settings[ KEY ]: no literal to weigh.
			if knownLookup(fn) || strings.ContainsAny(fn, ".:>") {
				return fallback(text, end)
			}
			return value()
		}
		j := strings.IndexByte(text[end+1:], text[end])
		if j < 0 {
			return value()
		}
		lit := text[end+1 : end+1+j]
		switch {
		case keyName(lit), knownLookup(fn) && !Random(lit):
			return fallback(text, end)
		case len(lit) >= 8 && !strings.ContainsAny(lit, " \t"):
			return end + 1, end + 1 + j, true
		}
		return 0, 0, false
	}
	// An unquoted argument, getenv(NAME): only a name, on a qualified
	// function or a known lookup, so that a password such as
	// "Zx81q[Lm2k]" stays one.
	closer := ")"
	if v[i] == '[' {
		closer = "]"
	}
	arg, ok := strings.CutSuffix(rest, closer)
	if ok && (arg == "" || codeName(arg) && !randomRun(arg)) && (strings.ContainsAny(fn, ".:>") || knownLookup(fn)) {
		return fallback(text, end)
	}
	return value()
}

// knownLookup reports whether fn names a function or map that reads
// configuration, the environment or a secrets manager: a part of its
// path is one of lookups, or it is fetch on ENV.
func knownLookup(fn string) bool {
	parts := strings.Split(strings.ToLower(strings.NewReplacer("::", ".", "->", ".").Replace(fn)), ".")
	for k, p := range parts {
		if lookups[p] || p == "fetch" && k > 0 && parts[k-1] == "env" {
			return true
		}
	}
	return false
}

// keyName reports whether s reads as the name of a variable or a
// configuration key rather than a value: letters, digits and the
// separators _ . - /, and no part that looks generated (DB_PASSWORD,
// services.stripe.secret, prod/api-key; not Zq8vN2kLmP4rT6wY).
func keyName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '_' && c != '.' && c != '-' && c != '/' && !('a' <= c|0x20 && c|0x20 <= 'z') && !('0' <= c && c <= '9') {
			return false
		}
	}
	return !randomRun(s)
}

// randomRun reports whether a part of s between separators (_ . - / :)
// looks generated: 12 or more characters mixing letters with digits, or
// upper with lower case more often than camelCase does.
func randomRun(s string) bool {
	for part := range strings.FieldsFuncSeq(s, func(r rune) bool { return strings.ContainsRune("_.-/:>", r) }) {
		if len(part) < 12 {
			continue
		}
		var digits, upper, lower int
		for i := 0; i < len(part); i++ {
			switch c := part[i]; {
			case '0' <= c && c <= '9':
				digits++
			case 'A' <= c && c <= 'Z':
				upper++
			case 'a' <= c && c <= 'z':
				lower++
			}
		}
		if digits > 0 && upper+lower > 0 || upper >= 3 && lower >= 3 && 3*upper >= len(part) {
			return true
		}
	}
	return false
}

// lookups are the names of functions and maps, or of the objects that
// hold them, that read configuration, the environment or a secrets
// manager.
var lookups = map[string]bool{
	"getenv": true, "env": true, "environ": true, "config": true, "settings": true, "secrets": true,
	"lookup": true, "var": true, "secretsmanager": true, "get_secret": true, "getsecret": true,
	"get_secret_value": true, "getsecretvalue": true, "get_parameter": true, "getparameter": true,
	"ssm": true, "vault": true, "keyring": true, "keychain": true, "credentials": true,
}

// codeName reports whether s is a name in code, or a path of names joined
// by ".", "::" or "->" (os.environ, ENV.fetch, Config::get, $this->env).
func codeName(s string) bool {
	s = strings.NewReplacer("::", ".", "->", ".").Replace(s)
	for part := range strings.SplitSeq(s, ".") {
		if part == "" || '0' <= part[0] && part[0] <= '9' {
			return false
		}
		for i := 0; i < len(part); i++ {
			c := part[i]
			if c != '_' && !('a' <= c|0x20 && c|0x20 <= 'z') && !('0' <= c && c <= '9') {
				return false
			}
		}
	}
	return true
}

// fallback finds a literal on the rest of a lookup's line that could be a
// credential: a default (getenv("X", "…"), ENV.fetch("X") { "…" }, … or
// "…"). The first string, the name looked up, is skipped. It returns the
// literal's span, quotes excluded.
func fallback(text string, from int) (start, end int, ok bool) {
	line := text[from:]
	if i := strings.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	first := true
	for i := 0; i < len(line); i++ {
		q := line[i]
		if q != '"' && q != '\'' {
			continue
		}
		j := strings.IndexByte(line[i+1:], q)
		if j < 0 {
			break
		}
		lit := line[i+1 : i+1+j]
		if !first && len(lit) >= 8 && !strings.ContainsAny(lit, " \t") {
			return from + i + 1, from + i + 1 + j, true
		}
		first = false
		i += j + 1
	}
	return 0, 0, false
}

// unsignedJWT reports whether v is a JWT without a signature (alg "none",
// as test fixtures use): it proves nothing, so it grants nothing.
func unsignedJWT(v string) bool {
	return strings.HasPrefix(v, "eyJ") && strings.Count(v, ".") == 2 && strings.HasSuffix(v, ".")
}

// localURL reports whether the text after a URL's password starts with a
// loopback host: a local development database's password protects nothing.
func localURL(rest string) bool {
	rest = strings.TrimPrefix(rest, "@")
	for _, h := range [...]string{"localhost", "127.0.0.1", "[::1]"} {
		if strings.HasPrefix(rest, h) && (len(rest) == len(h) || strings.ContainsRune(":/?'\" \t\n", rune(rest[len(h)]))) {
			return true
		}
	}
	return false
}

// Likely returns the findings worth acting on: every credential in a
// provider's own format, and generic ones only when their value looks
// generated (see Random), so "password: string" in code or
// 'password': 'test-password' in a fixture pass.
func Likely(text string) []Finding {
	fs := Find(text)
	out := fs[:0]
	for _, f := range fs {
		if !Generic(f.Kind) || Random(text[f.Start:f.End]) {
			out = append(out, f)
		}
	}
	return out
}

// Generic reports whether a kind of finding is found by its shape alone
// (an assignment to a secret-named variable, a bearer header) rather than
// by a provider's own format: likely, not certain, to be a credential.
func Generic(kind string) bool { return kind == "secret-assignment" || kind == "bearer-token" }

// Random reports whether a generically found value looks generated rather
// than written by a person: long enough, and mixing letters with digits or
// symbols other than the separators of names and paths (- _ . /).
// "test-password", "postgres" and "prod/api-key" (a secret's name in a
// secret manager) do not; "Tr0ub4dor3xyz" does.
func Random(v string) bool {
	if len(v) < 10 {
		return false
	}
	var letters, others bool
	for i := 0; i < len(v); i++ {
		c := v[i]
		if 'a' <= c|0x20 && c|0x20 <= 'z' {
			letters = true
		} else if c != '-' && c != '_' && c != '.' && c != '/' {
			others = true
		}
	}
	return letters && others
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
