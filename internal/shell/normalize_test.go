package shell

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNormalize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		words []string
		want  Command
	}{
		{"empty", nil, Command{}},
		{"cluster", []string{"rm", "-rf"}, Command{Name: "rm", Path: "rm", Args: []string{"-rf"}, Flags: []Flag{{Name: "r"}, {Name: "f"}}, Text: "rm -rf"}},
		{"long forms", []string{"rm", "--recursive", "--force"}, Command{Name: "rm", Path: "rm", Args: []string{"--recursive", "--force"}, Flags: []Flag{{Name: "r"}, {Name: "f"}}, Text: "rm --recursive --force"}},
		{"path", []string{"/bin/rm", "-r"}, Command{Name: "rm", Path: "/bin/rm", Args: []string{"-r"}, Flags: []Flag{{Name: "r"}}, Text: "/bin/rm -r"}},
		{"docker long name", []string{"docker", "run", "--privileged"}, Command{Name: "docker", Path: "docker", Args: []string{"run", "--privileged"}, Flags: []Flag{{Name: "privileged"}}, Operands: []string{"run"}, Text: "docker run --privileged"}},
		{"git push force", []string{"git", "push", "--force"}, Command{Name: "git", Path: "git", Args: []string{"push", "--force"}, Flags: []Flag{{Name: "f"}}, Operands: []string{"push"}, Text: "git push --force"}},
		{"flag value", []string{"curl", "--output=x"}, Command{Name: "curl", Path: "curl", Args: []string{"--output=x"}, Flags: []Flag{{Name: "o", Value: "x", HasValue: true}}, Text: "curl --output=x"}},
		{"program only", []string{"ls"}, Command{Name: "ls", Path: "ls", Text: "ls"}},
		{"words are literal", []string{"$x", "a"}, Command{Name: "$x", Path: "$x", Args: []string{"a"}, Operands: []string{"a"}, Text: "$x a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, Normalize(tc.words)); diff != "" {
				t.Errorf("Normalize(%q) (-want +got):\n%s", tc.words, diff)
			}
		})
	}
}

// TestNormalizeMatchesAnalyze checks that a rule pattern and the command it
// spells normalize alike.
func TestNormalizeMatchesAnalyze(t *testing.T) {
	t.Parallel()
	for _, src := range []string{
		"rm -rf /tmp/x",
		"rm --recursive --force x",
		"git push --force origin main",
		"git -C dir commit -m msg",
		"docker run --privileged -v /:/h alpine",
		"chmod -R 777 /",
		"curl -sSL --output f https://x",
		"kill -9 1",
		"tar xzf a.tgz",
		"find . -name x -delete",
		"npm run test -- --watch",
	} {
		a, err := Analyze(src)
		if err != nil {
			t.Fatalf("Analyze(%q): %v", src, err)
		}
		got := Normalize(strings.Fields(src))
		if diff := cmp.Diff(a.Commands[0], got); diff != "" {
			t.Errorf("Normalize(%q) differs from Analyze (-analyze +normalize):\n%s", src, diff)
		}
	}
}
