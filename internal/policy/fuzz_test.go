package policy

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzParse checks that Parse never panics, is deterministic, and agrees
// with Validate and with encoding/json.
func FuzzParse(f *testing.F) {
	f.Add(readSeed(f))
	for _, b := range badFiles {
		f.Add([]byte(b.data))
	}
	f.Add([]byte(`{"hooks": {"Stop": [{"hooks": [{"type": "prompt", "prompt": "ok?", "if": "Bash(x)"}]}]}, "tests": [{"name": "a", "event": {}, "expect": {"outcome": "none"}}]}`))
	f.Add([]byte(`{"permissions": {"conditionalRules": [{"condition": "file_pth == 1", "deny": ["Bash"]}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p1, err1 := Parse("f.json", data)
		p2, err2 := Parse("f.json", data)
		if (err1 == nil) != (err2 == nil) || err1 != nil && err1.Error() != err2.Error() {
			t.Fatalf("Parse is not deterministic: %v / %v", err1, err2)
		}
		ps := Validate("f.json", data)
		if err1 != nil {
			if len(ps) == 0 {
				t.Fatalf("Parse failed (%v) but Validate found nothing", err1)
			}
			for _, p := range err1.(Problems) {
				if p.Line < 1 || p.Col < 1 || p.Msg == "" {
					t.Fatalf("bad problem %+v", p)
				}
			}
			return
		}
		// A file that parses validates clean, but for conditions, which Parse
		// leaves to compile on first use.
		if diff := cmp.Diff(p1.CompileConditions(), ps); diff != "" {
			t.Fatalf("Validate reports more than the conditions (-conditions +Validate):\n%s", diff)
		}
		if !json.Valid(data) {
			t.Fatalf("Parse accepted what encoding/json rejects")
		}
		// The decoded File is what encoding/json makes of the bytes.
		var want File
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&want); err != nil {
			t.Fatalf("json: %v", err)
		}
		if diff := cmp.Diff(&want, p1.File); diff != "" {
			t.Fatalf("File differs from encoding/json (-json +Parse):\n%s", diff)
		}
		if p1.Revision != p2.Revision || !cmp.Equal(p1.File, p2.File) {
			t.Fatalf("Parse is not deterministic")
		}
	})
}
