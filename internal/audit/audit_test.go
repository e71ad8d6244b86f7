package audit

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/govern-dev/govern"
)

func sample() *govern.AuditRecord {
	return &govern.AuditRecord{
		Time:  time.Date(2026, 11, 29, 8, 20, 0, 123456789, time.UTC),
		Event: "PreToolUse", Session: "s-1", User: "dev", Team: "platform", Host: "devbox", Tool: "Bash",
		Input:   json.RawMessage(`{"description":"Clean <build> & more","command":"rm -rf build é"}`),
		Outcome: govern.Deny, Reason: "command `rm -rf build` is denied by enterprise rule Bash(*rm -rf*)",
		Risk: govern.RiskHigh, Rule: "Bash(*rm -rf*)", Layer: govern.LayerEnterprise,
		Personas: []string{"sarah_chen:approve"}, PolicyRevision: "sha256:abc", LatencyUS: 42,
	}
}

func TestSealAndCanonical(t *testing.T) {
	t.Parallel()
	r := sample()
	r.ID = "01JDQ00000000000000000000A"
	if err := Seal(r, 6, strings.Repeat("a", 64)); err != nil {
		t.Fatal(err)
	}
	if r.Seq != 7 || r.PrevHash != strings.Repeat("a", 64) || r.Time.Nanosecond() != 123456000 {
		t.Fatalf("sealed = %+v", r)
	}
	c, err := Canonical(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"event":"PreToolUse","host":"devbox","id":"01JDQ00000000000000000000A","input":{"command":"rm -rf build é","description":"Clean <build> & more"},"latency_us":42,"layer":"enterprise","outcome":"deny","personas":["sarah_chen:approve"],"policy_revision":"sha256:abc","prev_hash":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","reason":"command ` + "`rm -rf build`" + ` is denied by enterprise rule Bash(*rm -rf*)","recommendations":[],"result":{},"risk":"high","rule":"Bash(*rm -rf*)","seq":7,"session":"s-1","team":"platform","time":"2026-11-29T08:20:00.123456Z","tool":"Bash","user":"dev"}`
	if string(c) != want {
		t.Errorf("canonical =\n%s\nwant\n%s", c, want)
	}
	// Any change to any field changes the hash.
	h := r.Hash
	for _, edit := range []func(*govern.AuditRecord){
		func(r *govern.AuditRecord) { r.Reason += "." },
		func(r *govern.AuditRecord) { r.Outcome = govern.Allow },
		func(r *govern.AuditRecord) { r.Seq++ },
		func(r *govern.AuditRecord) { r.PrevHash = Genesis },
		func(r *govern.AuditRecord) { r.Input = json.RawMessage(`{"command":"ls"}`) },
		func(r *govern.AuditRecord) { r.Time = r.Time.Add(time.Microsecond) },
		func(r *govern.AuditRecord) { r.Personas = nil },
	} {
		c := *r
		edit(&c)
		if h2, _ := Hash(&c); h2 == h {
			t.Errorf("an edit left the hash unchanged: %+v", c)
		}
	}
}

// TestAuditorRecipe checks the package documentation's promise: a few
// lines of Python re-compute a record's hash from its JSON.
func TestAuditorRecipe(t *testing.T) {
	t.Parallel()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed: the auditor recipe is not cross-checked")
	}
	r := sample()
	r.Reason = "line\u2028separator, paragraph\u2029separator, <html> & \"quotes\" \\ tab\t"
	if err := Seal(r, 0, Genesis); err != nil {
		t.Fatal(err)
	}
	c, _ := Canonical(r)
	var m map[string]any
	json.Unmarshal(c, &m)
	m["hash"] = r.Hash
	row, _ := json.Marshal(m)
	script := `import sys, json, hashlib
rec = json.loads(sys.stdin.read()); h = rec.pop("hash")
body = json.dumps(rec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
body = body.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
print(hashlib.sha256(body.encode()).hexdigest() == h)`
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = strings.NewReader(string(row))
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "True" {
		t.Errorf("python recipe: %s %v", out, err)
	}
}

func TestNewIDSortsByTime(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	a, b := NewID(t0), NewID(t0.Add(time.Millisecond))
	if len(a) != 26 || len(b) != 26 || !(a < b) || NewID(t0) == a {
		t.Errorf("ids %q %q", a, b)
	}
}

func TestInput(t *testing.T) {
	t.Parallel()
	key := "AKIA" + "Z7QK3MNB4XWP2RTY"
	got := string(Input(json.RawMessage(`{"file_path":"/p/.env","content":"AWS_KEY=` + key + `\n","command":"echo ` + key + `","edits":[{"old_string":"a","new_string":"bb"}],"n":1.50}`)))
	want := `{"command":"echo [REDACTED:aws-access-key]","content":{"bytes":29,"sha256":"` + sha(`AWS_KEY=`+key+"\n") + `"},"edits":[{"new_string":{"bytes":2,"sha256":"` + sha("bb") + `"},"old_string":{"bytes":1,"sha256":"` + sha("a") + `"}}],"file_path":"/p/.env","n":1.50}`
	if got != want {
		t.Errorf("Input =\n%s\nwant\n%s", got, want)
	}
	if strings.Contains(got, key) {
		t.Error("the secret reached the record")
	}
}

func sha(s string) string { d := digest(s); return d["sha256"].(string) }

func TestCheckpointRoundTrip(t *testing.T) {
	t.Parallel()
	skey, vkey, err := NewKey("govern-test")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	c, err := SignCheckpoint(skey, 42, strings.Repeat("b", 64), at)
	if err != nil {
		t.Fatal(err)
	}
	got, err := OpenCheckpoint(c.Note, vkey)
	if err != nil {
		t.Fatal(err)
	}
	if got.Seq != 42 || got.Hash != strings.Repeat("b", 64) || !got.Time.Equal(at) {
		t.Errorf("opened %+v", got)
	}
	forged := strings.Replace(c.Note, "\n42\n", "\n41\n", 1)
	if _, err := OpenCheckpoint(forged, vkey); err == nil {
		t.Error("a forged checkpoint opened")
	}
	_, other, _ := NewKey("someone-else")
	if _, err := OpenCheckpoint(c.Note, other); err == nil || !strings.Contains(err.Error(), "not signed by a trusted key") {
		t.Errorf("checkpoint opened with another key: %v", err)
	}
}

func TestFromDecisionKeepsNoSecret(t *testing.T) {
	t.Parallel()
	key := "AKIA" + "Z7QK3MNB4XWP2RTY"
	req := &govern.Request{Event: "PreToolUse", ToolName: "Bash", Time: time.Now(),
		ToolInput: json.RawMessage(`{"command":"aws s3 ls --access-key ` + key + `"}`)}
	d := &govern.Decision{Outcome: govern.Deny, Reason: "command `aws s3 ls --access-key " + key + "` is denied",
		Recommendations: []string{"do not pass " + key}, Personas: []govern.Verdict{{Persona: "marcus_rodriguez", Outcome: govern.Deny}}}
	r := FromDecision(req, d, 1500*time.Microsecond)
	if err := Seal(r, 0, Genesis); err != nil {
		t.Fatal(err)
	}
	c, _ := Canonical(r)
	if strings.Contains(string(c), key) {
		t.Errorf("record holds the secret: %s", c)
	}
	if r.LatencyUS != 1500 || len(r.Personas) != 1 || r.Personas[0] != "marcus_rodriguez:deny" {
		t.Errorf("record = %+v", r)
	}
}

func TestSealMakesTextStorable(t *testing.T) {
	t.Parallel()
	r := sample()
	r.Reason = "bad \xff byte and a \x00 nul"
	r.Recommendations = []string{"\x00"}
	if err := Seal(r, 0, Genesis); err != nil {
		t.Fatal(err)
	}
	if r.Reason != "bad \uFFFD byte and a \uFFFD nul" || r.Recommendations[0] != "\uFFFD" {
		t.Errorf("reason %q, recommendations %q", r.Reason, r.Recommendations)
	}
}
