package shell

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeANSIC(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{`plain`, "plain"},
		{`\x72\x6d`, "rm"},
		{`\162\155`, "rm"},
		{`\u0072m`, "rm"},
		{`\U00000072m`, "rm"},
		{`a\tb\nc`, "a\tb\nc"},
		{`\'\"\\\?`, `'"\?`},
		{`\e[0m`, "\x1b[0m"},
		{`\cA`, "\x01"},
		{`\xZZ`, `\xZZ`},
		{`\q`, `\q`},
		{`trailing\`, `trailing\`},
	} {
		if got := decodeANSIC(tc.in); got != tc.want {
			t.Errorf("decodeANSIC(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestProgramName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"rm", "rm"},
		{"/usr/bin/../bin/rm", "rm"},
		{"./rm", "rm"},
		{"rm/", "rm"},
		{"/", "/"},
		{".", "."},
	} {
		if got := programName(tc.in); got != tc.want {
			t.Errorf("programName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSplitWords(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"rm -rf x", []string{"rm", "-rf", "x"}},
		{`  sh  -c 'rm "a b"'  `, []string{"sh", "-c", `rm "a b"`}},
		{`a\ b "c d"`, []string{"a b", "c d"}},
		{"", nil},
	} {
		var got []string
		for _, w := range splitWords(lit(tc.in)) {
			got = append(got, w.val)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("splitWords(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

// TestAnalyzeAcceptsEverydayCommands guards the lexical bounds against
// refusing ordinary command lines.
func TestAnalyzeAcceptsEverydayCommands(t *testing.T) {
	t.Parallel()
	for _, src := range []string{
		`awk '{print $1}' f | sort | uniq -c | sort -rn | head`,
		`jq '.items[] | select(.status == "ok") | {name: .name, tags: [.tags[] | ascii_downcase]}' data.json`,
		`python3 -c "import json; print(json.dumps({'a': [1, 2, {'b': [3]}]}))"`,
		`for i in {1..100}; do echo $i; done`,
		`echo {1..100}`,
		`git log --format='%H %s' -n 5 -- src/`,
		`[ -f x ] && echo y || echo z`,
		`echo $((1 + 2 * 3)) ${#PATH} ${PATH%%:*} ${arr[@]:1:2}`,
		"cat > config.json <<'EOF'\n{\"a\": {\"b\": [1, 2, 3], \"c\": {\"d\": null}}}\nEOF",
		`if [[ -n "$x" && "$y" =~ ^[a-z]+$ ]]; then echo ok; fi`,
		`case "$1" in start|stop) svc "$1";; *) echo usage;; esac`,
		`docker ps --format '{{.Names}}\t{{.Status}}'`,
		`kubectl get pods -o jsonpath='{.items[*].metadata.name}'`,
		`go test ./... -run 'Test(A|B)' -count=1 2>&1 | tail -n 50`,
	} {
		if _, err := Analyze(src); err != nil {
			t.Errorf("Analyze(%q): %v", src, err)
		}
	}
}

func TestWords(t *testing.T) {
	t.Parallel()
	for text, want := range map[string][]string{
		`'/opt/my tools/govern' hook --policy "/etc/govern/policy.json"`: {"/opt/my tools/govern", "hook", "--policy", "/etc/govern/policy.json"},
		`core.pager=less 'x.y=a b'`:                                      {"core.pager=less", "x.y=a b"},
		`$HOME/bin/govern hook`:                                          {"$HOME/bin/govern", "hook"},
	} {
		got, ok := Words(text)
		if !ok || !slices.Equal(got, want) {
			t.Errorf("Words(%q) = %q, %v; want %q", text, got, ok, want)
		}
	}
	for _, text := range []string{`a && b`, `X=1 cmd`, `(cmd)`, `'unclosed`, ``} {
		if got, ok := Words(text); ok {
			t.Errorf("Words(%q) = %q, true; want false (not one simple command)", text, got)
		}
	}
}
