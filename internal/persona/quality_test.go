package persona

import (
	"strings"
	"testing"

	"github.com/govern-dev/govern"
)

func TestQuality(t *testing.T) {
	t.Parallel()
	allow, ask := govern.Allow, govern.Ask
	key := "AKIA" + "Z7QW3RTYUIOPLKJH"
	runVerdicts(t, EmilyWatson, quality, []verdictCase{
		{"clean code", edit("Write", "src/app.py", "def add(a, b):\n    return a + b\n"), allow, ""},
		{"aws key in python", edit("Write", "src/aws.py", "KEY = '"+key+"'\n"), ask, "hard-coded credential (aws-access-key) in aws.py"},
		{"password assignment in go", edit("Edit", "db/conn.go", `const dbPassword = "s3cr3t-Pa55w0rd-9f8e7d"`), ask, "hard-coded credential"},
		{"placeholder key", edit("Write", "src/aws.py", "KEY = 'AKIAIOSFODNN7EXAMPLE'\n"), allow, ""},
		{"env lookup", edit("Write", "src/cfg.ts", "const key = process.env.API_KEY;\n"), allow, ""},
		{"os.environ subscript", edit("Write", "app/settings.py", "password = os.environ[\"DB_PASSWORD\"]\n"), allow, ""},
		{"os.getenv call", edit("Write", "app/settings.py", "password = os.getenv(\"DB_PASSWORD\")\n"), allow, ""},
		{"getenv in a notebook", edit("NotebookEdit", "nb/load.ipynb", "api_key = os.environ.get('OPENAI_API_KEY')\n"), allow, ""},
		{"getenv with a hard-coded default", edit("Write", "app/settings.py", "password = os.getenv(\"DB_PASSWORD\", \"Zx81qLm2kP9w\")\n"), ask, "hard-coded credential (secret-assignment)"},
		{"lookup or a hard-coded fallback", edit("Write", "app/settings.py", "password = os.environ.get(\"DB_PASSWORD\") or 'Zx81qLm2kP9w'\n"), ask, "hard-coded credential"},
		{"literal password in python", edit("Write", "app/settings.py", "password = \"Zx81qLm2kP9w\"\n"), ask, "hard-coded credential"},
		{"skipped js test", edit("Edit", "src/app.test.ts", "it.skip('adds', () => {});"), allow, "A test is disabled or focused (.skip("},
		{"xit", edit("Edit", "spec/app.spec.js", "xit('adds', () => {});"), allow, "xit("},
		{"pytest skip", edit("Write", "tests/test_app.py", "@pytest.mark.skip(reason='flaky')\ndef test_x(): pass\n"), allow, "@pytest.mark.skip"},
		{"go t.Skip", edit("Edit", "x_test.go", `t.Skip("later")`), allow, "t.Skip("},
		{"skip word in prose", edit("Write", "src/parse.py", "# skip blank lines\nif not line: continue\n"), allow, ""},
		{"console.log", edit("Edit", "src/app.ts", "console.log(user);\n"), allow, "console.log"},
		{"console.log in a test", edit("Edit", "src/app.test.ts", "console.log(user);\n"), allow, ""},
		{"debugger", edit("Edit", "web/main.js", "debugger;\n"), allow, "debugger;"},
		{"pdb", edit("Write", "app/views.py", "import pdb; pdb.set_trace()\n"), allow, "pdb"},
		{"go debug print", edit("Edit", "main.go", `fmt.Println("DEBUG user", u)`), allow, `fmt.Println("DEBUG`},
		{"go normal print", edit("Edit", "main.go", `fmt.Println("done")`), allow, ""},
		{"minified line", edit("Write", "web/vendor.js", strings.Repeat("a=1;", 600)), allow, "minified"},
		{"base64 blob", edit("Write", "src/logo.ts", "export const logo = '"+strings.Repeat("QUJD", 1200)+"';"), allow, "base64"},
		{"read is not reviewed", func(testing.TB) *Call { return &Call{Tool: "Read", Path: testRoot + "/a.py", Root: testRoot} }, allow, ""},
	})
	for p, want := range map[string]bool{"src/a.py": true, "a.GO": true, "README.md": false, "Makefile": false, "web/x.tsx": true} {
		if got := qualityConcerns(file("Write", p, "")); got != want {
			t.Errorf("qualityConcerns(Write %s) = %v, want %v", p, got, want)
		}
	}
	if qualityConcerns(bash(t, `echo x > a.py`)) {
		t.Error("Emily reviews file tools only")
	}
}
