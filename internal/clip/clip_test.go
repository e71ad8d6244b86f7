package clip

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestBytes(t *testing.T) {
	tests := []struct {
		s    string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"abcdefghijk", 10, "abcdefg…"},
		{"ééééé", 7, "éé…"}, // é is 2 bytes, … is 3: a cut inside é backs up
		{"abc", 2, "…"},
	}
	for _, tt := range tests {
		if got := Bytes(tt.s, tt.max); got != tt.want {
			t.Errorf("Bytes(%q, %d) = %q, want %q", tt.s, tt.max, got, tt.want)
		}
	}
}

func FuzzBytes(f *testing.F) {
	f.Add("ééééé", 7)
	f.Add(strings.Repeat("日本", 10), 11)
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 0 || max > 1<<20 || !utf8.ValidString(s) {
			return
		}
		got := Bytes(s, max)
		if !utf8.ValidString(got) {
			t.Fatalf("Bytes(%q, %d) = %q: not UTF-8", s, max, got)
		}
		if len(got) > max && got != Ellipsis {
			t.Fatalf("Bytes(%q, %d) = %q: %d bytes", s, max, got, len(got))
		}
		if len(s) <= max && got != s {
			t.Fatalf("Bytes(%q, %d) = %q changed a text that fits", s, max, got)
		}
	})
}
