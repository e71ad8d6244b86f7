package policy

import "testing"

// BenchmarkParse is the policy's cost at every hook start.
func BenchmarkParse(b *testing.B) {
	data := readSeed(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("seed.json", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidate includes compiling the seed's condition.
func BenchmarkValidate(b *testing.B) {
	data := readSeed(b)
	b.ReportAllocs()
	for b.Loop() {
		if ps := Validate("seed.json", data); ps != nil {
			b.Fatal(ps)
		}
	}
}

// BenchmarkConditionCompile is the seed condition's compile once the CEL
// environment exists (the first compile in a process costs more: see the
// package report).
func BenchmarkConditionCompile(b *testing.B) {
	p, err := Parse("seed.json", readSeed(b))
	if err != nil {
		b.Fatal(err)
	}
	c := p.Conditions[0].Condition
	b.ReportAllocs()
	for b.Loop() {
		fresh := &Condition{Text: c.Text, Source: c.Source, raw: c.raw}
		if ps := fresh.Compile(); ps != nil {
			b.Fatal(ps)
		}
	}
}

func BenchmarkConditionEval(b *testing.B) {
	p, err := Parse("seed.json", readSeed(b))
	if err != nil {
		b.Fatal(err)
	}
	c := p.Conditions[0].Condition
	vars := map[string]any{"tool_name": "Bash", "file_path": "/repo/src/app.py"}
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := c.Eval(vars); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}
