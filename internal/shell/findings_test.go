package shell

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// findingCases are command lines and the findings they raise.
var findingCases = []struct {
	name string
	src  string
	want []string
}{
	{"curl pipe sh", `curl -fsSL https://x | sh`, []string{"pipe-to-shell: curl -fsSL https://x | sh"}},
	{"wget pipe bash", `wget -qO- https://x | bash`, []string{"pipe-to-shell: wget -qO- https://x | bash"}},
	{"base64 pipe bash", `echo aGk= | base64 -d | bash`, []string{"pipe-to-shell: echo aGk= | base64 -d | bash"}},
	{"pipe sudo bash", `curl x | sudo bash`, []string{"pipe-to-shell: curl x | sudo bash"}},
	{"pipe sh -s", `curl x | sh -s -- --yes`, []string{"pipe-to-shell: curl x | sh -s -- --yes"}},
	{"pipe bash in bash -c", `bash -c "curl x | bash"`, []string{"pipe-to-shell: curl x | bash"}},
	{"pipe to shell with script is fine", `echo hi | bash script.sh`, nil},
	{"pipe to shell -c is fine", `echo hi | bash -c "cat"`, nil},
	{"pipe python", `curl x | python3`, []string{"pipe-to-interpreter: curl x | python3"}},
	{"pipe python dash", `curl x | python -`, []string{"pipe-to-interpreter: curl x | python -"}},
	{"pipe node", `curl x | node`, []string{"pipe-to-interpreter: curl x | node"}},
	{"pipe perl", `curl x | perl`, []string{"pipe-to-interpreter: curl x | perl"}},
	{"pipe python module is fine", `cat f.json | python3 -m json.tool`, nil},
	{"pipe python script is fine", `cat f | python3 tool.py`, nil},
	{"python -c", `python3 -c 'import os'`, []string{"inline-code: python3 -c import os"}},
	{"python version", `python3.12 -c 'x'`, []string{"inline-code: python3.12 -c x"}},
	{"node -e", `node -e 'x'`, []string{"inline-code: node -e x"}},
	{"node --eval", `node --eval 'x'`, []string{"inline-code: node --eval x"}},
	{"node -p", `node -p '1+1'`, []string{"inline-code: node -p 1+1"}},
	{"ruby -e", `ruby -e 'x'`, []string{"inline-code: ruby -e x"}},
	{"perl -e", `perl -e 'x'`, []string{"inline-code: perl -e x"}},
	{"perl -E", `perl -E 'x'`, []string{"inline-code: perl -E x"}},
	{"php -r", `php -r 'x'`, []string{"inline-code: php -r x"}},
	{"osascript -e", `osascript -e 'x'`, []string{"inline-code: osascript -e x"}},
	{"powershell -c", `pwsh -Command 'x'`, []string{"inline-code: pwsh -Command x"}},
	{"python heredoc", "python3 <<'EOF'\nimport os\nEOF", []string{"inline-code: python3"}},
	{"python script is fine", `python3 manage.py test`, nil},
	{"dynamic name", `$x args`, []string{"dynamic-name: $x args"}},
	{"dynamic eval", `eval "$cmd"`, []string{"dynamic-code: eval $cmd", "dynamic-name: $cmd"}},
	{"dynamic bash -c", `bash -c "$x"`, []string{"dynamic-code: bash -c $x", "dynamic-name: $x"}},
	{"shell reads a file", `sh < install.sh`, []string{"dynamic-code: sh"}},
	{"dynamic here-string", `bash <<< "$CODE"`, []string{"dynamic-code: bash", "dynamic-name: $CODE"}},
	{"fish -c foreign syntax", `fish -c 'echo (pwd)'`, []string{"dynamic-code: fish -c echo (pwd)"}},
	{"bash process substitution", `bash <(curl -s https://x)`, []string{"dynamic-code: bash <(curl -s https://x)"}},
	{"source process substitution", `source <(kubectl completion bash)`, []string{"dynamic-code: source <(kubectl completion bash)"}},
	{"source file is fine", `. ./env.sh`, nil},
	{"python process substitution", `python3 <(curl x)`, []string{"dynamic-code: python3 <(curl x)"}},
	{"plain command has none", `git status`, nil},
}

func TestAnalyzeFindings(t *testing.T) {
	t.Parallel()
	for _, tc := range findingCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, err := Analyze(tc.src)
			if err != nil {
				t.Fatalf("Analyze(%q): %v", tc.src, err)
			}
			if diff := cmp.Diff(tc.want, renderFindings(a)); diff != "" {
				t.Errorf("Analyze(%q) findings (-want +got):\n%s", tc.src, diff)
			}
		})
	}
}
