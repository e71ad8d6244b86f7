package shell

import (
	"reflect"
	"testing"
)

// FuzzAnalyze checks that Analyze never panics or hangs, that it is
// deterministic, and that what it returns is well formed.
func FuzzAnalyze(f *testing.F) {
	for _, tc := range commandCases {
		f.Add(tc.src)
	}
	for _, tc := range writeCases {
		f.Add(tc.src)
	}
	for _, tc := range findingCases {
		f.Add(tc.src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		a, err := Analyze(src)
		b, err2 := Analyze(src)
		if (err == nil) != (err2 == nil) || !reflect.DeepEqual(a, b) {
			t.Fatalf("Analyze(%q) is not deterministic", src)
		}
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("Analyze(%q): empty error", src)
			}
			return
		}
		for _, c := range a.Commands {
			if !c.Dynamic && c.Name == "" {
				t.Fatalf("Analyze(%q): static command without a name: %+v", src, c)
			}
			if c.Depth < 0 || (c.Via == "") != (c.Depth == 0) {
				t.Fatalf("Analyze(%q): Via %q at depth %d", src, c.Via, c.Depth)
			}
			if len(c.Operands) > len(c.Args) {
				t.Fatalf("Analyze(%q): more operands than args: %+v", src, c)
			}
		}
		for _, fd := range a.Findings {
			if fd.Kind == "" {
				t.Fatalf("Analyze(%q): finding without kind", src)
			}
		}
	})
}
