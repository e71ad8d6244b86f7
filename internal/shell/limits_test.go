package shell

import (
	"strings"
	"testing"
	"time"
)

func TestAnalyzeErrors(t *testing.T) {
	t.Parallel()
	deepBash := "rm x"
	for range 9 {
		deepBash = "bash -c " + shellQuote(deepBash)
	}
	okBash := "rm x"
	for range 8 {
		okBash = "bash -c " + shellQuote(okBash)
	}
	if _, err := Analyze(okBash); err != nil {
		t.Fatalf("8 nested bash -c: %v", err)
	}
	for _, tc := range []struct {
		name, src, want string
	}{
		{"unclosed quote", `echo "hi`, "parse command: 1:6: reached EOF without closing quote `\"`"},
		{"syntax error", `if then fi`, "parse command: "},
		{"unparseable bash -c string", `bash -c 'echo "x'`, "parse command: "},
		{"unparseable eval string", `eval 'rm "x'`, "parse command: "},
		{"too large", strings.Repeat("a", maxInput+1), "command is too large to analyze"},
		{"deep brackets", strings.Repeat("(", 300) + "x" + strings.Repeat(")", 300), "command nests too deeply to analyze"},
		{"deep keywords", strings.Repeat("if x; then ", 300) + "y" + strings.Repeat("; fi", 300), "command nests too deeply to analyze"},
		{"too many bash -c levels", deepBash, "command nests too deeply to analyze"},
		{"arithmetic chain", "echo $((" + strings.Repeat("a=", 30000) + "1))", "command is too complex to analyze"},
		{"huge brace expansion", `echo {1..100}{1..100}`, "command is too complex to analyze"},
		{"too many commands", strings.Repeat("true;", maxCommands+1), "command is too complex to analyze"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, err := Analyze(tc.src)
			if err == nil {
				t.Fatalf("Analyze: no error, %d commands", len(a.Commands))
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error = %q, want prefix %q", err, tc.want)
			}
		})
	}
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// TestAnalyzeBounded feeds inputs built to make a parser or walker recurse or
// loop: each must return, with or without an error.
func TestAnalyzeBounded(t *testing.T) {
	t.Parallel()
	nest := func(open, mid, close string, n int) string {
		return strings.Repeat(open, n) + mid + strings.Repeat(close, n)
	}
	big := strings.Repeat("echo hello world; ", maxInput/len("echo hello world; "))
	for _, tc := range []struct {
		name string
		src  string
		ok   bool // must analyze without error
	}{
		{"30 nested substitutions", nest("$(", "rm x", ")", 30), true},
		{"30 nested backticks levels", nest("$(echo ", "x", ")", 30), true},
		{"1 MB of one command", "echo " + strings.Repeat("a", maxInput-10), true},
		{"1 MB quoted heredoc", "cat <<'EOF' > main.go\n" + strings.Repeat("func f(x int) int { return x * 2 }\n", maxInput/36-1) + "EOF\n", true},
		{"1 MB of commands", big, false},
		{"deep substitutions", nest("$(", "x", ")", 100000), false},
		{"deep subshells", nest("(", "x", ")", 200000), false},
		{"deep arithmetic", "$((" + nest("(", "1", ")", 200000) + "))", false},
		{"arithmetic assign chain", "$((" + strings.Repeat("a=", 400000) + "1))", false},
		{"arithmetic unary chain", "$((" + strings.Repeat("!", 900000) + "1))", false},
		{"arithmetic sum chain", "$((" + strings.Repeat("1+", 400000) + "1))", false},
		{"test chain", "[[ " + strings.Repeat("! ", 300000) + "x ]]", false},
		{"deep if", strings.Repeat("if x; then ", 70000) + "x" + strings.Repeat(";fi", 70000), false},
		{"long pipeline", strings.Repeat("a | ", 250000) + "b", false},
		{"long and list", strings.Repeat("a && ", 200000) + "b", false},
		{"sudo chain", strings.Repeat("sudo ", 200000) + "rm x", false},
		{"eval chain", strings.Repeat("eval ", 200000) + "rm x", false},
		{"param nesting", nest("${x:-", "x", "}", 150000), false},
		{"time chain", strings.Repeat("time ", 200000) + "x", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			_, err := Analyze(tc.src)
			t.Logf("%d bytes in %v (error: %v)", len(tc.src), time.Since(start), err)
			if tc.ok && err != nil {
				t.Errorf("Analyze: %v", err)
			}
		})
	}
}
