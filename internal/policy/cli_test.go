package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestValidateFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.json", string(readSeed(t)))
	bad := write("bad.json", "{\n  \"permissions\": {\"denyList\": [\"Bsh\"]},\n  \"settings\": {\"auditLevel\": \"all\"}\n}\n")
	syntax := write("syntax.json", "{\"version\": \"1\",}")
	missing := filepath.Join(dir, "missing.json")

	tests := []struct {
		name  string
		paths []string
		ok    bool
		out   string
	}{
		{"valid file prints nothing", []string{good}, true, ""},
		{"no files", nil, true, ""},
		{"every problem of every file", []string{bad, good, syntax}, false, bad + `:2:33: unknown tool "Bsh" in denyList
` + bad + `:3:30: auditLevel must be one of minimal, standard, comprehensive
` + syntax + `:1:17: unexpected '}', expected a key in double quotes
`},
		{"unreadable file", []string{missing, good}, false, missing + ": read: no such file or directory\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out strings.Builder
			ok := ValidateFiles(tt.paths, &out)
			if ok != tt.ok {
				t.Errorf("ValidateFiles ok = %v, want %v", ok, tt.ok)
			}
			if diff := cmp.Diff(tt.out, out.String()); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
		})
	}
}
