package rule

import "strings"

// maxAlternatives bounds {a,b} expansion so a rule cannot blow up.
const maxAlternatives = 256

// Alternatives returns the {a,b} alternatives of s, nested groups
// expanded, in order: "Edit(src/*.{js,ts})" → "Edit(src/*.js)",
// "Edit(src/*.ts)". Braces without a top-level comma are literal. It
// returns nil when s has more than 256 alternatives. Claude Code's own
// rule matcher has no alternatives, so `govern install` expands them.
func Alternatives(s string) []string { return expand(s) }

// expand returns the {a,b} alternatives of s, as the seed's rules use them
// ("npm run {test,build}:*" → "npm run test:*", "npm run build:*"). Braces
// without a top-level comma are literal. It returns nil when s has more
// than maxAlternatives alternatives.
func expand(s string) []string {
	out := []string{s}
	for {
		var next []string
		changed := false
		for _, x := range out {
			alts, ok := expandOne(x)
			if ok {
				changed = true
			}
			next = append(next, alts...)
			if len(next) > maxAlternatives {
				return nil
			}
		}
		out = next
		if !changed {
			return out
		}
	}
}

// expandOne expands the first brace group of s that has a top-level comma.
func expandOne(s string) ([]string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] != '{' {
			continue
		}
		depth, commas := 0, []int(nil)
		for j := i; j < len(s); j++ {
			switch s[j] {
			case '{':
				depth++
			case '}':
				depth--
				if depth == 0 {
					if len(commas) == 0 {
						j = len(s) // literal braces: look further on
						break
					}
					var alts []string
					start := i + 1
					for _, c := range append(commas, j) {
						alts = append(alts, s[:i]+s[start:c]+s[j+1:])
						start = c + 1
					}
					return alts, true
				}
			case ',':
				if depth == 1 {
					commas = append(commas, j)
				}
			}
		}
	}
	return []string{s}, false
}

// globMatch matches s against pattern, where '*' matches any run of
// characters, spaces and slashes included, and every other byte is literal.
func globMatch(pattern, s string) bool {
	px, sx := 0, 0
	nextPx, nextSx := -1, -1
	for px < len(pattern) || sx < len(s) {
		if px < len(pattern) {
			c := pattern[px]
			if c == '*' {
				nextPx, nextSx = px, sx+1
				px++
				continue
			}
			if sx < len(s) && s[sx] == c {
				px++
				sx++
				continue
			}
		}
		if nextPx >= 0 && nextSx <= len(s) {
			px, sx = nextPx+1, nextSx
			nextSx++
			continue
		}
		return false
	}
	return true
}

// collapseSpaces turns every run of spaces and tabs into one space.
func collapseSpaces(s string) string {
	if !strings.Contains(s, "  ") && !strings.ContainsAny(s, "\t\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
