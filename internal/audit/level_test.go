package audit

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLevelRecords(t *testing.T) {
	events := []string{"PreToolUse", "PostToolUse", "PostToolUseFailure", "UserPromptSubmit", "SessionStart", "SessionEnd", "Notification", "Stop", "PostToolBatch"}
	want := map[Level]string{
		Minimal:       "PreToolUse",
		Standard:      "PreToolUse PostToolUse PostToolUseFailure UserPromptSubmit SessionStart SessionEnd",
		Comprehensive: strings.Join(events, " "),
	}
	for level, w := range want {
		var got []string
		for _, e := range events {
			if level.Records(e) {
				got = append(got, e)
			}
		}
		if strings.Join(got, " ") != w {
			t.Errorf("%s records %v, want %s", level, got, w)
		}
	}
	for s, l := range map[string]Level{"": Standard, "minimal": Minimal, "standard": Standard, "comprehensive": Comprehensive} {
		if ParseLevel(s) != l {
			t.Errorf("ParseLevel(%q) = %s, want %s", s, ParseLevel(s), l)
		}
	}
}

func TestText(t *testing.T) {
	token := "ghp_aB3daB3daB3daB3daB3daB3daB3daB3daB3d"
	// A credential across the cut is masked whole, not cut in two.
	long := strings.Repeat("x", MaxText-10) + " " + token + " " + strings.Repeat("y", 5000)
	got, truncated := Text(long)
	if !truncated || len(got) > MaxText {
		t.Errorf("Text kept %d bytes, truncated %v; want at most %d, truncated", len(got), truncated, MaxText)
	}
	if strings.Contains(got, "ghp_") {
		t.Errorf("Text kept part of a credential: …%s", got[len(got)-40:])
	}
	// Masking shrinks a private key block; a credential that was past the
	// cut before masking may be inside it after: it is masked too.
	pem := "-----BEGIN RSA PRIVATE KEY-----\n" + strings.Repeat("MIIEpAIBAAKCAQEA\n", 200) + "-----END RSA PRIVATE KEY-----\n"
	got, _ = Text(pem + strings.Repeat("z", MaxText+1014-len(pem)) + " " + token + " tail") // the token starts 10 bytes before MaxText+1024
	if strings.Contains(got, "ghp_") || strings.Contains(got, "MIIE") {
		t.Errorf("Text kept credentials in clear: %q", got)
	}
	// Never a split rune.
	got, _ = Text(strings.Repeat("é", MaxText))
	if !utf8.ValidString(got) || !strings.HasSuffix(got, "é…") || len(got) > MaxText {
		t.Errorf("Text split a rune or kept too much: %d bytes ending %q", len(got), got[len(got)-5:])
	}
	if got, truncated := Text("short"); got != "short" || truncated {
		t.Errorf("Text(short) = %q, %v", got, truncated)
	}
}

func TestPromptAndResult(t *testing.T) {
	if got := string(Prompt("hello", Standard)); got != `{"prompt":{"bytes":5,"sha256":"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"}}` {
		t.Errorf("Prompt at standard = %s", got)
	}
	if got := string(Prompt("hello", Comprehensive)); got != `{"prompt":"hello"}` {
		t.Errorf("Prompt at comprehensive = %s", got)
	}
	if got := string(Result("failed", nil, 0, "boom", Standard)); got != `{"status":"failed","output":{"bytes":4,"sha256":"81f52337ebb4cb1669bb802c708807dde0519d15cb102a6313d26ad5cd821713"}}` {
		t.Errorf("Result at standard = %s", got)
	}
	if got := string(Result("failed", nil, 0, "boom", Comprehensive)); !strings.HasSuffix(got, `"text":"boom"}`) {
		t.Errorf("Result at comprehensive = %s", got)
	}
}

func TestEventFields(t *testing.T) {
	long := strings.Repeat("output line\n", 1000)
	raw := []byte(`{"tool_calls":[{"tool_name":"Bash","tool_input":{"command":"make"},"tool_response":"` +
		strings.ReplaceAll(long, "\n", `\n`) + `"}],"message":"token ghp_aB3daB3daB3daB3daB3daB3daB3daB3daB3d"}`)
	got := string(EventFields(raw))
	if len(got) > MaxText+500 || !strings.Contains(got, `"command":"make"`) || !strings.Contains(got, "…") {
		t.Errorf("EventFields kept %d bytes: %.300s", len(got), got)
	}
	if strings.Contains(got, "ghp_") {
		t.Errorf("EventFields kept a credential: %s", got)
	}
	// Input keeps a tool call's input whole.
	if in := string(Input([]byte(`{"command":"` + strings.Repeat("x", MaxText+10) + `"}`))); len(in) < MaxText+10 {
		t.Errorf("Input clipped a command to %d bytes", len(in))
	}
}
