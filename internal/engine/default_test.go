package engine

import (
	"testing"

	"github.com/govern-dev/govern/internal/policy"
)

// TestDefaultPolicy runs the recommended default policy's own test cases,
// as `govern policy test` does.
func TestDefaultPolicy(t *testing.T) {
	t.Parallel()
	if ps := policy.Validate("default.json", policy.Default); ps != nil {
		t.Fatalf("the default policy does not validate:\n%v", ps)
	}
	e := defaultEngine(t)
	results := e.RunTests(t.Context(), now)
	if len(results) < 15 {
		t.Errorf("the default policy has %d tests, want at least 15", len(results))
	}
	for i := range results {
		if !results[i].Pass() {
			t.Error(results[i].String())
		}
	}
}

// defaultEngine decides under the recommended default policy, as a hook
// does: no cache.
func defaultEngine(t testing.TB) *Engine {
	t.Helper()
	p, err := policy.Parse("default.json", policy.Default)
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(p, WithoutCache())
	if err != nil {
		t.Fatal(err)
	}
	return e
}
