package engine

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/policy"
)

func TestCacheServesTheSameDecision(t *testing.T) {
	t.Parallel()
	p, err := policy.Load(filepath.Join(testdata, "policies", "seed.json"))
	if err != nil {
		t.Fatal(err)
	}
	cached, _ := New(p)
	fresh, _ := New(p, WithoutCache())
	for _, m := range mix {
		for range 2 { // the second round is served from the cache
			a := decide(t, cached, m.tool, m.input, nil)
			b := decide(t, fresh, m.tool, m.input, nil)
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("%s %v: cached %+v\nfresh %+v", m.tool, m.input, a, b)
			}
		}
	}
	if len(cached.cache.m) != len(mix) {
		t.Errorf("cache holds %d decisions, want %d", len(cached.cache.m), len(mix))
	}
}

func TestCacheKeysEverythingADecisionDependsOn(t *testing.T) {
	t.Parallel()
	e := engineFor(t, "seed")
	base := func(r *govern.Request) {}
	for _, tc := range []struct {
		name string
		edit func(*govern.Request)
		want govern.Outcome
	}{
		{"allowed", base, govern.Allow},
		{"another user's project layer denies it", func(r *govern.Request) {
			r.Layers = []govern.Layer{{Name: govern.LayerProject, Source: "/p/.claude/settings.json", Deny: []string{"Bash(git status)"}}}
		}, govern.Deny},
		{"bypass mode", func(r *govern.Request) { r.PermissionMode = "bypassPermissions" }, govern.Deny},
		{"allowed again", base, govern.Allow},
	} {
		if d := decide(t, e, "Bash", bash("git status"), tc.edit); d.Outcome != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, d.Outcome, tc.want)
		}
	}
	if cacheKey("sha256:a", &govern.Request{ToolName: "Bash"}) == cacheKey("sha256:b", &govern.Request{ToolName: "Bash"}) {
		t.Error("the policy revision is not part of the cache key")
	}
}

func TestCacheEvicts(t *testing.T) {
	t.Parallel()
	c := newCache()
	for i := range cacheSize + 10 {
		c.put(string(rune('a'+i%26))+string(rune(i)), govern.Decision{Reason: "x"})
	}
	if len(c.m) != cacheSize {
		t.Errorf("cache holds %d, want %d", len(c.m), cacheSize)
	}
}
