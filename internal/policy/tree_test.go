package policy

import (
	"encoding/json"
	"testing"
)

func TestDecodeStringOffsets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw     string // between the quotes
		at      int    // byte in the decoded value
		want    string
		wantRaw int
	}{
		{`abc`, 1, "abc", 1},
		{`abc`, 3, "abc", 3},
		{`abc`, 9, "abc", 3},
		{`\"a\"b`, 3, `"a"b`, 5},
		{`\u0041b`, 1, "Ab", 6},
		{`\u00e9x`, 2, "éx", 6},
		{`\u00e9x`, 1, "éx", 0}, // inside a character: its start
		{`\ud83d\ude00!`, 4, "😀!", 12},
		{`\ud83d!`, 3, "\uFFFD!", 6}, // lone surrogate
		{`\ud83d\u0041`, 3, "\uFFFDA", 6},
		{`é\n`, 2, "é\n", 2},
		{`\t\\\/`, 2, "\t\\/", 4},
	}
	for _, tt := range tests {
		got, gotRaw := decodeString([]byte(tt.raw), tt.at)
		if got != tt.want || gotRaw != tt.wantRaw {
			t.Errorf("decodeString(%s, %d) = %q, %d; want %q, %d", tt.raw, tt.at, got, gotRaw, tt.want, tt.wantRaw)
		}
		// The decoded value is what encoding/json makes of the string.
		var std string
		if err := json.Unmarshal([]byte(`"`+tt.raw+`"`), &std); err != nil || std != got {
			t.Errorf("json.Unmarshal(%s) = %q, %v; decodeString gives %q", tt.raw, std, err, got)
		}
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	names := []string{"allowList", "askList", "denyList", "conditionalRules"}
	for key, want := range map[string]string{
		"allowlist":       ` (did you mean "allowList"?)`,
		"denyLst":         ` (did you mean "denyList"?)`,
		"conditionalRule": ` (did you mean "conditionalRules"?)`,
		"deny":            "",
		"x":               "",
	} {
		if got := suggest(key, names); got != want {
			t.Errorf("suggest(%q) = %q, want %q", key, got, want)
		}
	}
}
