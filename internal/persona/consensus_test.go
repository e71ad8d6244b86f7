package persona

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/govern-dev/govern"
)

// fixed is a persona that always says the same.
func fixed(id, role string, o govern.Outcome, r govern.Risk, reason, rec string) *Persona {
	return &Persona{ID: id, Name: id, Role: role, Consult: Always, Check: func(*Call) govern.Verdict {
		v := newVerdict(id)
		v.flag(o, r, reason, rec)
		return v.Verdict
	}}
}

func TestCombine(t *testing.T) {
	t.Parallel()
	allow := fixed("a", "architecture", govern.Allow, govern.RiskLow, "", "pin versions")
	allow2 := fixed("b", "quality", govern.Allow, govern.RiskMedium, "", "pin versions")
	ask := fixed("c", "data", govern.Ask, govern.RiskHigh, "migrates down", "use staging")
	deny := fixed("d", "data", govern.Deny, govern.RiskCritical, "drops the table", "back up first")
	secAsk := fixed("sec", "security", govern.Ask, govern.RiskHigh, "runs sudo", "drop sudo")
	for _, tc := range []struct {
		name     string
		strategy Strategy
		ps       []*Persona
		want     govern.Outcome
		reason   string
	}{
		{"unanimous all approve", Unanimous, []*Persona{allow, allow2}, govern.Allow, ""},
		{"unanimous one ask", Unanimous, []*Persona{allow, ask, allow2}, govern.Ask, "c (data): migrates down"},
		{"unanimous deny beats ask", Unanimous, []*Persona{ask, deny}, govern.Deny, "d (data): drops the table"},
		{"majority approves over one deny", Majority, []*Persona{allow, allow2, deny}, govern.Allow, ""},
		{"majority tie goes to the stricter", Majority, []*Persona{allow, deny}, govern.Deny, "d (data): drops the table"},
		{"majority three-way tie", Majority, []*Persona{allow, ask, deny}, govern.Deny, "d (data): drops the table"},
		{"majority of asks", Majority, []*Persona{ask, ask, deny}, govern.Ask, "c (data): migrates down; c (data): migrates down"},
		{"veto: security ask stands alone", SecurityVeto, []*Persona{allow, allow2, secAsk}, govern.Ask, "sec (security): runs sudo"},
		{"veto: no security objection, majority", SecurityVeto, []*Persona{allow, allow2, deny}, govern.Allow, ""},
		{"veto: security ask, other deny", SecurityVeto, []*Persona{deny, secAsk}, govern.Ask, "sec (security): runs sudo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := &Panel{personas: tc.ps, strategy: tc.strategy}
			r := p.Review(&Call{Tool: "Bash"})
			if r.Outcome != tc.want || r.Reason != tc.reason {
				t.Fatalf("Review = %s %q, want %s %q", r.Outcome, r.Reason, tc.want, tc.reason)
			}
			if len(r.Verdicts) != len(tc.ps) {
				t.Errorf("%d verdicts, want %d", len(r.Verdicts), len(tc.ps))
			}
		})
	}
}

func TestPanelReview(t *testing.T) {
	t.Parallel()
	p, err := NewPanel(Config{}, "")
	if err != nil {
		t.Fatal(err)
	}
	r := p.Review(bash(t, `sudo rm -rf ~/ && npm install left-pad`))
	want := Review{
		Outcome: govern.Deny,
		Risk:    govern.RiskCritical,
		Verdicts: []govern.Verdict{
			{Persona: SarahChen, Outcome: govern.Allow, Risk: govern.RiskMedium,
				Recommendations: []string{"New dependency left-pad: check its maintenance, license and known vulnerabilities, and pin its version"}},
			{Persona: MarcusRodriguez, Outcome: govern.Deny, Risk: govern.RiskCritical,
				Reasons: []string{"sudo runs commands as another user (root)", "rm -rf deletes ~/ (/home/dev), outside the project"},
				Recommendations: []string{
					"Run the command without sudo; if it needs root, ask an administrator or run it yourself",
					"Delete only inside the project or a temp dir, e.g. rm -rf ./build",
				}},
		},
		Reason: "Marcus Rodriguez (security): sudo runs commands as another user (root); rm -rf deletes ~/ (/home/dev), outside the project",
		Recommendations: []string{
			"New dependency left-pad: check its maintenance, license and known vulnerabilities, and pin its version",
			"Run the command without sudo; if it needs root, ask an administrator or run it yourself",
			"Delete only inside the project or a temp dir, e.g. rm -rf ./build",
		},
	}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("Review (-want +got):\n%s", diff)
	}

	// An everyday call: only Sarah, approving, nothing to say.
	r = p.Review(bash(t, `go test ./...`))
	if r.Outcome != govern.Allow || len(r.Verdicts) != 1 || r.Verdicts[0].Persona != SarahChen || r.Reason != "" || r.Recommendations != nil {
		t.Errorf("go test: %+v", r)
	}
	// A code write: Sarah and Emily, in that order.
	r = p.Review(file("Write", "src/app.py", "print(1)\n"))
	if got := []string{r.Verdicts[0].Persona, r.Verdicts[1].Persona}; len(r.Verdicts) != 2 || got[1] != EmilyWatson {
		t.Errorf("code write consulted %+v", r.Verdicts)
	}
}

func TestNewPanelStrategy(t *testing.T) {
	t.Parallel()
	if _, err := NewPanel(Config{}, "quorum"); err == nil || err.Error() != `unknown consensus strategy "quorum" (want unanimous, majority or security-veto)` {
		t.Errorf("err = %v", err)
	}
	p, err := NewPanel(Config{}, SecurityVeto)
	if err != nil || p.Strategy() != SecurityVeto || len(p.Personas()) != 4 {
		t.Errorf("NewPanel = %v, %v", p, err)
	}
}
