package persona

import (
	"path"
	"strconv"
	"strings"

	"github.com/govern-dev/govern"
)

// Emily Watson, code quality: what a Write or Edit leaves in the code.
// Mostly advice; she asks only when a credential is hard-coded.

// codeExts are the source files Emily reviews.
var codeExts = map[string]bool{
	".py": true, ".js": true, ".mjs": true, ".cjs": true, ".jsx": true, ".ts": true, ".tsx": true,
	".mts": true, ".cts": true, ".go": true, ".java": true, ".kt": true, ".kts": true, ".scala": true,
	".rb": true, ".rs": true, ".c": true, ".h": true, ".cc": true, ".cpp": true, ".hpp": true,
	".cs": true, ".php": true, ".swift": true, ".m": true, ".sh": true, ".bash": true, ".zsh": true,
	".ps1": true, ".pl": true, ".lua": true, ".r": true, ".dart": true, ".ex": true, ".exs": true,
	".erl": true, ".clj": true, ".hs": true, ".ml": true, ".vue": true, ".svelte": true, ".sql": true,
	".ipynb": true, ".groovy": true, ".tf": true,
}

// codeFile reports whether p is source code.
func codeFile(p string) bool {
	return codeExts[strings.ToLower(path.Ext(p))]
}

// qualityConcerns reports whether Emily reviews c: a file tool writing
// source code.
func qualityConcerns(c *Call) bool {
	return writesFile(c.Tool) && codeFile(c.Path)
}

// Limits for generated content.
const (
	maxLine  = 2000      // bytes in one line before it reads as minified or generated
	maxBlob  = 4 << 10   // bytes of unbroken base64 before it reads as an embedded binary
	maxWrite = 256 << 10 // bytes in one write before it reads as generated
)

// A marker is a fragment of code worth a word from Emily.
type marker struct {
	text string
	exts string // the extensions it applies to, space-separated; "" for all
	what string
}

var (
	disabledTests = [...]marker{
		{".skip(", ".js .mjs .cjs .jsx .ts .tsx .mts .cts .vue .svelte", ".skip("},
		{"xit(", ".js .mjs .cjs .jsx .ts .tsx .mts .cts", "xit("},
		{"xdescribe(", ".js .mjs .cjs .jsx .ts .tsx .mts .cts", "xdescribe("},
		{"xtest(", ".js .mjs .cjs .jsx .ts .tsx .mts .cts", "xtest("},
		{".only(", ".js .mjs .cjs .jsx .ts .tsx .mts .cts", ".only("},
		{"@pytest.mark.skip", ".py", "@pytest.mark.skip"},
		{"@unittest.skip", ".py", "@unittest.skip"},
		{"t.Skip(", ".go", "t.Skip("},
		{"t.SkipNow(", ".go", "t.SkipNow("},
		{"@Disabled", ".java .kt .kts", "@Disabled"},
		{"@Ignore", ".java .kt .kts .scala", "@Ignore"},
		{"#[ignore]", ".rs", "#[ignore]"},
	}
	debugLeftovers = [...]marker{
		{"console.log(", ".js .mjs .cjs .jsx .ts .tsx .mts .cts .vue .svelte", "console.log"},
		{"debugger;", ".js .mjs .cjs .jsx .ts .tsx .mts .cts .vue .svelte", "debugger;"},
		{"pdb.set_trace()", ".py", "pdb.set_trace()"},
		{"breakpoint()", ".py", "breakpoint()"},
		{"import pdb", ".py", "import pdb"},
		{`fmt.Println("DEBUG`, ".go", `fmt.Println("DEBUG`},
		{`fmt.Printf("DEBUG`, ".go", `fmt.Printf("DEBUG`},
		{`log.Println("DEBUG`, ".go", `log.Println("DEBUG`},
		{"spew.Dump(", ".go", "spew.Dump"},
		{"binding.pry", ".rb", "binding.pry"},
		{"byebug", ".rb", "byebug"},
		{"var_dump(", ".php", "var_dump"},
		{"dbg!(", ".rs", "dbg!"},
		{"System.out.println(\"DEBUG", ".java", "System.out.println(\"DEBUG"},
	}
)

func (m *marker) in(ext, content string) bool {
	if m.exts != "" && !strings.Contains(" "+m.exts+" ", " "+ext+" ") {
		return false
	}
	return strings.Contains(content, m.text)
}

// quality is Emily Watson's review.
func quality(c *Call) govern.Verdict {
	v := newVerdict(EmilyWatson)
	if !writesFile(c.Tool) || c.Content == "" {
		return v.Verdict
	}
	name := path.Base(c.Path)
	ext := strings.ToLower(path.Ext(name))
	if fs := c.Credentials(); len(fs) > 0 {
		v.flag(govern.Ask, govern.RiskHigh, "hard-coded credential ("+fs[0].Kind+") in "+name,
			"Read the credential from the environment or a secret manager instead of the source ("+envExample(ext)+")")
	}
	test := testFile(name)
	for i := range disabledTests {
		if m := &disabledTests[i]; m.in(ext, c.Content) {
			v.flag(govern.Allow, govern.RiskMedium, "", "A test is disabled or focused ("+m.what+") in "+name+": fix or delete it instead of skipping, or link the issue that tracks it")
			break
		}
	}
	if !test {
		for i := range debugLeftovers {
			if m := &debugLeftovers[i]; m.in(ext, c.Content) {
				v.flag(govern.Allow, govern.RiskLow, "", "Remove the debug leftover ("+m.what+") from "+name+" before committing, or use the project's logger")
				break
			}
		}
	}
	blobs(&v, name, c.Content)
	return v.Verdict
}

// testFile reports whether name is a test file, where prints are normal.
func testFile(name string) bool {
	return strings.Contains(name, "_test.") || strings.Contains(name, ".test.") || strings.Contains(name, ".spec.") ||
		strings.HasPrefix(name, "test_")
}

// envExample shows how the file's language reads an environment variable.
func envExample(ext string) string {
	switch ext {
	case ".py":
		return `os.environ["API_KEY"]`
	case ".go":
		return `os.Getenv("API_KEY")`
	case ".rb":
		return `ENV.fetch("API_KEY")`
	case ".rs":
		return `std::env::var("API_KEY")`
	case ".java", ".kt":
		return `System.getenv("API_KEY")`
	}
	return "process.env.API_KEY"
}

// blobs advises against generated content: minified lines, embedded
// base64, very large writes.
func blobs(v *verdict, name, content string) {
	if len(content) > maxWrite {
		v.flag(govern.Allow, govern.RiskMedium, "", "Writing "+strconv.Itoa(len(content)>>10)+" KB to "+name+": generate large files in the build, not in the source tree")
	}
	line, run := 0, 0
	longLine, blob := false, false
	for i := 0; i < len(content) && !(longLine && blob); i++ {
		b := content[i]
		if b == '\n' {
			line = 0
		} else if line++; line > maxLine {
			longLine = true
		}
		if 'A' <= b && b <= 'Z' || 'a' <= b && b <= 'z' || '0' <= b && b <= '9' || b == '+' || b == '/' || b == '=' {
			if run++; run > maxBlob {
				blob = true
			}
		} else {
			run = 0
		}
	}
	if blob {
		v.flag(govern.Allow, govern.RiskMedium, "", "Don't embed base64 data in "+name+": commit the file as an asset and load it, or fetch it at build time")
	} else if longLine {
		v.flag(govern.Allow, govern.RiskLow, "", "A line in "+name+" is over "+strconv.Itoa(maxLine)+" characters, which reads as minified or generated code: keep generated output out of the source tree")
	}
}
