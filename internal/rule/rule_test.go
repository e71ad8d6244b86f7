package rule

import (
	"testing"

	"github.com/govern-dev/govern/internal/shell"
)

func mustParse(t testing.TB, s string) *Rule {
	t.Helper()
	r, err := Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return r
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in     string
		offset int
		msg    string
	}{
		{"", 0, "empty rule"},
		{" Bash", 0, `rule " Bash" has surrounding spaces`},
		{"Bsh(ls)", 0, `unknown tool "Bsh"`},
		{"bash", 0, `unknown tool "bash"`},
		{"Bash(ls", 7, `rule "Bash(ls" has no closing parenthesis`},
		{"Bash()", 5, `empty specifier in "Bash()"`},
		{"Bash)", 4, `unbalanced parenthesis in "Bash)"`},
		{"(ls)", 0, `missing tool name in "(ls)"`},
		{"Ba sh", 2, `bad character ' ' in tool name "Ba sh"`},
		{"Ed*", 0, `tool-name globs must be "*" or start with mcp__: "Ed*"`},
		{"mcp__github(x)", 12, "mcp__github takes no specifier"},
		{"Edit(src/[a)", 5, `bad glob "src/[a"`},
		{"WebFetch(https://x.com)", 9, `WebFetch rules take domain:HOST, not "https://x.com"`},
		{"WebFetch(domain:)", 16, `bad domain ""`},
		{"TodoWrite(x)", 10, "TodoWrite takes no specifier"},
		{`Bash(echo "hi)`, 10, `unbalanced quote in "Bash(echo \"hi)"`},
	} {
		_, err := Parse(tc.in)
		e, ok := err.(*Error)
		if !ok {
			t.Errorf("Parse(%q) error = %v, want *Error", tc.in, err)
			continue
		}
		if e.Offset != tc.offset || e.Msg != tc.msg {
			t.Errorf("Parse(%q) = %d %q, want %d %q", tc.in, e.Offset, e.Msg, tc.offset, tc.msg)
		}
	}
}

func TestParseForms(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in         string
		tool, spec string
		kind       Kind
	}{
		{"Bash", "Bash", "", Command},
		{"Bash(*)", "Bash", "", Command},
		{"Bash(npm run test:*)", "Bash", "npm run test:*", Command},
		{"Bash(run_in_background:true)", "Bash", "run_in_background:true", Param},
		{"Edit(src/**/*.{js,ts})", "Edit", "src/**/*.{js,ts}", Path},
		{"WebFetch(domain:*.example.com)", "WebFetch", "domain:*.example.com", Domain},
		{"Agent(Explore)", "Agent", "Explore", Other},
		{"mcp__github", "mcp__github", "", Other},
		{"mcp__github__*", "mcp__github__*", "", Other},
		{"*", "*", "", Other},
	} {
		r := mustParse(t, tc.in)
		if r.Tool != tc.tool || r.Spec != tc.spec || r.Kind != tc.kind {
			t.Errorf("Parse(%q) = tool %q spec %q kind %d, want %q %q %d", tc.in, r.Tool, r.Spec, r.Kind, tc.tool, tc.spec, tc.kind)
		}
	}
}

func TestAppliesTo(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		rule, tool string
		want       bool
	}{
		{"Bash", "Bash", true},
		{"Bash", "Monitor", true},
		{"Bash", "Read", false},
		{"Edit(x)", "Write", true},
		{"Write(x)", "Edit", true},
		{"Write(x)", "NotebookEdit", true},
		{"Write(x)", "MultiEdit", true},
		{"Write(x)", "Read", false},
		{"Read(x)", "Grep", true},
		{"Read(x)", "Glob", true},
		{"Read(x)", "Edit", false},
		{"mcp__gov", "mcp__gov__check", true},
		{"mcp__gov", "mcp__governance__check", false},
		{"mcp__gov__*", "mcp__gov__check", true},
		{"mcp__gov__get_*", "mcp__gov__get_x", true},
		{"mcp__gov__get_*", "mcp__gov__put_x", false},
		{"mcp__gov__check", "mcp__gov__check", true},
		{"mcp__*", "mcp__x__y", true},
		{"mcp__*", "Bash", false},
		{"*", "Bash", true},
		{"Task", "Agent", true},
	} {
		if got := mustParse(t, tc.rule).AppliesTo(tc.tool); got != tc.want {
			t.Errorf("%s.AppliesTo(%s) = %v, want %v", tc.rule, tc.tool, got, tc.want)
		}
	}
}

func TestMatchText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		rule, text string
		want       bool
	}{
		{"Bash(git {status,diff,log,add,commit,push})", "git status", true},
		{"Bash(git {status,diff,log,add,commit,push})", "git push", true},
		{"Bash(git {status,diff,log,add,commit,push})", "git push origin main", false},
		{"Bash(git {status,diff,log,add,commit,push})", "git status --short", false},
		{"Bash(npm run {test,build,typecheck}:*)", "npm run test", true},
		{"Bash(npm run {test,build,typecheck}:*)", "npm run test -- --watch", true},
		{"Bash(npm run {test,build,typecheck}:*)", "npm run testing", false},
		{"Bash(npm run {test,build,typecheck}:*)", "npm run build:prod", false},
		{"Bash(npm run {test,build,typecheck}:*)", "npm run typecheck", true},
		{"Bash(ls *)", "ls -la", true},
		{"Bash(ls *)", "lsof", false},
		{"Bash(ls*)", "lsof", true},
		{"Bash(*)", "anything at all", true},
		{"Bash(git * main)", "git push origin main", true},
		{"Bash(git * main)", "git push origin main2", false},
		{"Bash(echo {a})", "echo {a}", true}, // braces without a comma are literal
	} {
		if got := mustParse(t, tc.rule).MatchText(tc.text); got != tc.want {
			t.Errorf("%s.MatchText(%q) = %v, want %v", tc.rule, tc.text, got, tc.want)
		}
	}
}

func TestMatchCommand(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		rule  string
		words []string
		want  bool
	}{
		{"Bash(*rm -rf*)", []string{"rm", "-r", "-f", "x"}, true},
		{"Bash(*rm -rf*)", []string{"rm", "-fr", "x"}, true},
		{"Bash(*rm -rf*)", []string{"rm", "--recursive", "--force", "x"}, true},
		{"Bash(*rm -rf*)", []string{"/bin/rm", "-Rf", "x"}, true},
		{"Bash(*rm -rf*)", []string{"rm", "-r", "x"}, false},
		{"Bash(*rm -rf*)", []string{"rm", "-f", "--", "-r"}, false},
		{"Bash(*rm -rf*)", []string{"echo", "rm", "-rf"}, false},
		{"Bash(*chmod 777*)", []string{"chmod", "-R", "777", "d"}, true},
		{"Bash(*chmod 777*)", []string{"chmod", "755", "d"}, false},
		{"Bash(*docker run --privileged*)", []string{"docker", "run", "--rm", "--privileged", "img"}, true},
		{"Bash(*docker run --privileged*)", []string{"docker", "run", "--privileged=true", "img"}, true},
		{"Bash(*docker run --privileged*)", []string{"docker", "run", "--rm", "img"}, false},
		{"Bash(*docker run --privileged*)", []string{"docker", "build", "--privileged"}, false},
		{"Bash(*npm publish*)", []string{"npm", "publish", "--access", "public"}, true},
		{"Bash(*npm publish*)", []string{"npm", "run", "publish-docs"}, false},
		{"Bash(*sudo*)", []string{"sudo", "ls"}, true},
		{"Bash(*sudo*)", []string{"git", "commit", "-m", "drop sudo"}, false},
		{"Bash(rm -rf /*)", []string{"rm", "-rf", "/home"}, true},
		{"Bash(rm -rf /*)", []string{"rm", "-rf", "build"}, false},
	} {
		c := shell.Normalize(tc.words)
		if got := mustParse(t, tc.rule).MatchCommand(&c); got != tc.want {
			t.Errorf("%s.MatchCommand(%q) = %v, want %v", tc.rule, tc.words, got, tc.want)
		}
	}
}

func TestMatchPath(t *testing.T) {
	t.Parallel()
	base := Base{Root: "/home/dev/proj", Home: "/home/dev"}
	for _, tc := range []struct {
		rule, path string
		strict     bool
		want       bool
	}{
		{"Write(.env*)", "/home/dev/proj/.env", false, true},
		{"Write(.env*)", "/home/dev/proj/services/api/.env.local", false, true},
		{"Write(.env*)", "/home/dev/proj/env.example", false, false},
		{"Write(config/production*)", "/home/dev/proj/config/production.yml", true, true},
		{"Write(config/production*)", "/home/dev/proj/svc/config/production.yml", true, true},
		{"Write(config/production*)", "/home/dev/proj/svc/config/production.yml", false, false},
		{"Edit(src/**/*.{js,ts,py,md})", "/home/dev/proj/src/a/b.ts", false, true},
		{"Edit(src/**/*.{js,ts,py,md})", "/home/dev/proj/src/x.ts", false, true},
		{"Edit(src/**/*.{js,ts,py,md})", "/home/dev/proj/src/x.go", false, false},
		{"Edit(src/**/*.{js,ts,py,md})", "/home/dev/proj/lib/src/x.ts", false, false},
		{"Edit(src/**/*.{js,ts,py,md})", "/elsewhere/src/x.ts", false, false},
		{"Read(**/*.{json,yml,yaml,toml,md})", "/home/dev/proj/package.json", false, true},
		{"Read(**/*.{json,yml,yaml,toml,md})", "/home/dev/proj/a/b/c.yaml", false, true},
		{"Read(**/*.{json,yml,yaml,toml,md})", "/etc/app.json", false, false},
		{"Edit(//etc/claude-code/**)", "/etc/claude-code/managed-settings.json", true, true},
		{"Edit(~/.claude.json)", "/home/dev/.claude.json", true, true},
		{"Edit(~/.claude.json)", "/home/dev/proj/.claude.json", true, false},
		{"Edit(/docs)", "/home/dev/proj/docs/a/b.md", false, true}, // a directory covers what is below it
		{"Edit(./docs/*.md)", "/home/dev/proj/docs/a.md", false, true},
		{"Edit(./docs/*.md)", "/home/dev/proj/x/docs/a.md", true, false},
		{"Edit", "/anything", false, true},
	} {
		if got := mustParse(t, tc.rule).MatchPath(tc.path, base, tc.strict); got != tc.want {
			t.Errorf("%s.MatchPath(%q, strict=%v) = %v, want %v", tc.rule, tc.path, tc.strict, got, tc.want)
		}
	}
}

func TestMatchDomain(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		rule, host string
		want       bool
	}{
		{"WebFetch(domain:example.com)", "example.com", true},
		{"WebFetch(domain:example.com)", "EXAMPLE.com", true},
		{"WebFetch(domain:example.com)", "api.example.com", false},
		{"WebFetch(domain:*.example.com)", "api.example.com", true},
		{"WebFetch(domain:*.example.com)", "a.b.example.com", true},
		{"WebFetch(domain:*.example.com)", "example.com", false},
		{"WebFetch(domain:*.example.com)", "evilexample.com", false},
		{"WebFetch(domain:*)", "anything.org", true},
		{"WebFetch(domain:docs.*.io)", "docs.x.io", true},
		{"WebFetch(domain:docs.*.io)", "docs.x.y.io", false},
	} {
		if got := mustParse(t, tc.rule).MatchDomain(tc.host); got != tc.want {
			t.Errorf("%s.MatchDomain(%q) = %v, want %v", tc.rule, tc.host, got, tc.want)
		}
	}
}

func TestMatchValue(t *testing.T) {
	t.Parallel()
	input := map[string]string{"run_in_background": "true", "subagent_type": "Explore", "model": "opus"}
	lookup := func(f string) (string, bool) { v, ok := input[f]; return v, ok }
	for _, tc := range []struct {
		rule string
		want bool
	}{
		{"Bash(run_in_background:true)", true},
		{"Bash(run_in_background:false)", false},
		{"Agent(model:op*)", true},
		{"Agent(Explore)", true},
		{"Agent(Plan)", false},
	} {
		if got := mustParse(t, tc.rule).MatchValue(lookup); got != tc.want {
			t.Errorf("%s.MatchValue = %v, want %v", tc.rule, got, tc.want)
		}
	}
}

func TestExpand(t *testing.T) {
	t.Parallel()
	got := expand("a{b,c{d,e}}f")
	want := []string{"abf", "acdf", "acef"}
	if len(got) != len(want) {
		t.Fatalf("expand = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("expand = %q, want %q", got, want)
		}
	}
	if expand("{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}") != nil {
		t.Error("expand of 512 alternatives did not refuse")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"Bash(npm run {test,build}:*)", "Edit(src/**/*.{js,ts})", "Write(.env*)",
		"WebFetch(domain:*.x.com)", "mcp__s__*", "Bash(*rm -rf*)", "Bash(run_in_background:true)", "Agent(Explore)", "Bash(curl * | sh)"} {
		f.Add(s, "rm -rf x")
	}
	base := Base{Root: "/p", Home: "/h"}
	f.Fuzz(func(t *testing.T, s, text string) {
		r, err := Parse(s)
		if err != nil {
			e, ok := err.(*Error)
			if !ok || e.Offset < 0 || e.Offset > len(s) {
				t.Fatalf("Parse(%q) error %v has a bad offset", s, err)
			}
			return
		}
		if r.Text != s {
			t.Fatalf("Text = %q, want %q", r.Text, s)
		}
		r.MatchText(text)
		r.MatchLine(text)
		c := shell.Normalize([]string{"rm", text})
		r.MatchCommand(&c)
		r.MatchPath("/p/"+text, base, true)
		r.MatchDomain(text)
	})
}

func TestAllowsTool(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		rule, tool string
		want       bool
	}{
		{"Write(x)", "Write", true},
		{"Write(x)", "Edit", false},
		{"Edit(x)", "Edit", true},
		{"Edit(x)", "MultiEdit", true},
		{"Edit(x)", "NotebookEdit", true},
		{"Edit(x)", "Write", false},
		{"Read(x)", "Grep", true},
		{"Bash", "Bash", true},
	} {
		if got := mustParse(t, tc.rule).AllowsTool(tc.tool); got != tc.want {
			t.Errorf("%s.AllowsTool(%s) = %v, want %v", tc.rule, tc.tool, got, tc.want)
		}
	}
}
