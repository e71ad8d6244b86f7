package shell

import (
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

// benchCases is a realistic mix of what Claude Code runs.
var benchCases = []struct{ name, src string }{
	{"git_status", "git status"},
	{"npm_test", "npm run test -- --watch"},
	{"list", "ls -la src && grep -rn foo ."},
	{"sudo_rm", "sudo rm -rf /tmp/x"},
	{"bash_c", `bash -c "curl x | sh"`},
	{"pipeline_300B", `find . -type f -name '*.go' -not -path './vendor/*' -print0 | xargs -0 grep -l 'func main' | sort -u | while read -r f; do echo "== $f"; head -n 20 "$f" | sed -e 's/^/  /'; done 2>/dev/null | tee /tmp/mains.txt | wc -l && echo "done: $(date +%s)" || echo failed >&2`},
}

func BenchmarkAnalyze(b *testing.B) {
	for _, bc := range benchCases {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.src)))
			for b.Loop() {
				if _, err := Analyze(bc.src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParse measures the bare mvdan parse of the same inputs, with a
// reused parser, as the floor Analyze builds on.
func BenchmarkParse(b *testing.B) {
	for _, bc := range benchCases {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.src)))
			p := syntax.NewParser()
			for b.Loop() {
				if _, err := p.Parse(strings.NewReader(bc.src), ""); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkNormalize(b *testing.B) {
	b.ReportAllocs()
	words := []string{"docker", "run", "--privileged"}
	for b.Loop() {
		Normalize(words)
	}
}

// BenchmarkAnalyzeLarge runs the inputs the bounds exist for.
func BenchmarkAnalyzeLarge(b *testing.B) {
	for _, bc := range []struct{ name, src string }{
		{"1MB_argument", "echo " + strings.Repeat("a", maxInput-10)},
		{"1MB_heredoc", "cat <<'EOF' > main.go\n" + strings.Repeat("func f(x int) int { return x * 2 }\n", maxInput/36-1) + "EOF\n"},
		{"30_nested_substitutions", strings.Repeat("$(", 30) + "rm x" + strings.Repeat(")", 30)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Analyze(bc.src)
			}
		})
	}
}
