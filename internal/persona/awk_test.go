package persona

import "testing"

func TestAwkRuns(t *testing.T) {
	tests := []struct {
		prog string
		want []awkRun
	}{
		{`{ print $1 }`, nil},
		{`BEGIN { system("date") }`, []awkRun{{via: "system()", text: "date", known: true}}},
		{`{ system("echo " $1) }`, []awkRun{{via: "system()"}}},
		{`{ print "a \"b\"" | "sort" }`, []awkRun{{via: "print |", text: "sort", known: true}}},
		{`{ print "id" | "sh" }`, []awkRun{{via: "print |", text: "sh", known: true}, {via: "print | sh", text: "id", known: true}}},
		{`{ print $0 | "/bin/sh" }`, []awkRun{{via: "print |", text: "/bin/sh", known: true}, {via: "print | /bin/sh"}}},
		{`BEGIN { "uname -a" | getline u }`, []awkRun{{via: "| getline", text: "uname -a", known: true}}},
		{`{ c = "ls " $1; c | getline }`, []awkRun{{via: "| getline"}}},
		{`BEGIN { print 1 |& "bc"; "bc" |& getline r }`, []awkRun{{via: "print |&", text: "bc", known: true}, {via: "|& getline", text: "bc", known: true}}},
		{`/a|b/ && x || y { print a / b | "cat" }`, []awkRun{{via: "print |", text: "cat", known: true}}},
		{"# x | \"sh\"\n{ print \"|\" }", nil},
	}
	for _, tt := range tests {
		got := awkRuns(tt.prog)
		if len(got) != len(tt.want) {
			t.Errorf("awkRuns(%q) = %+v, want %+v", tt.prog, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("awkRuns(%q)[%d] = %+v, want %+v", tt.prog, i, got[i], tt.want[i])
			}
		}
	}
}

func FuzzAwkRuns(f *testing.F) {
	for _, s := range []string{`BEGIN { system("date") }`, `{ print "x" | "sh" }`, `"a" | getline`, `/[/|]/ { print }`, `system(`, `print |`, "\\\n|"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, prog string) {
		n := 0
		for _, tok := range awkTokens(prog) {
			n += len(tok.text)
		}
		if n > len(prog) {
			t.Fatalf("awkTokens(%q) returned %d bytes of text from %d", prog, n, len(prog))
		}
		for _, r := range awkRuns(prog) {
			if r.via == "" {
				t.Fatalf("awkRuns(%q): a run without a via", prog)
			}
		}
	})
}
