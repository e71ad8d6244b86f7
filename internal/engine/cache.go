package engine

import (
	"hash/maphash"
	"sync"

	"github.com/govern-dev/govern"
)

// cacheSize bounds the decision cache. A server sees the same calls over and
// over (git status, npm test); a hook process decides once and gains nothing.
const cacheSize = 4096

// cache remembers decisions by everything a decision depends on apart from
// the clock and the session, which the guards in front of it check on every
// call. The policy revision is part of the key, so a decision made under
// one revision is never served under another; every call, cached or not, is
// still audited by the door that asked.
type cache struct {
	seed maphash.Seed

	mu    sync.Mutex
	m     map[uint64]cacheEntry
	order [cacheSize]uint64 // FIFO ring of keys, for eviction
	next  int
}

type cacheEntry struct {
	key string // the full key, to rule out hash collisions
	d   govern.Decision
}

func newCache() *cache {
	return &cache{seed: maphash.MakeSeed(), m: make(map[uint64]cacheEntry, cacheSize)}
}

// cacheKey renders what a decision depends on. Fields are separated by a
// byte that cannot occur in them unescaped (JSON and paths never hold NUL).
func cacheKey(revision string, req *govern.Request) string {
	n := len(revision) + len(req.ToolName) + len(req.ToolInput) + len(req.Cwd) + len(req.ProjectDir) +
		len(req.HomeDir) + len(req.PermissionMode) + len(req.Actor.User) + len(req.Actor.Team) + 16
	for _, l := range req.Layers {
		n += len(l.Name) + len(l.Source) + 8
		for _, r := range l.Allow {
			n += len(r) + 1
		}
		for _, r := range l.Ask {
			n += len(r) + 1
		}
		for _, r := range l.Deny {
			n += len(r) + 1
		}
	}
	b := make([]byte, 0, n)
	for _, s := range [...]string{revision, req.ToolName, string(req.ToolInput), req.Cwd, req.ProjectDir,
		req.HomeDir, req.PermissionMode, req.Actor.User, req.Actor.Team} {
		b = append(b, s...)
		b = append(b, 0)
	}
	for _, l := range req.Layers {
		b = append(b, 1)
		b = append(b, l.Name...)
		b = append(b, 0)
		b = append(b, l.Source...)
		for i, list := range [...][]string{l.Allow, l.Ask, l.Deny} {
			b = append(b, byte(2+i))
			for _, r := range list {
				b = append(b, r...)
				b = append(b, 0)
			}
		}
	}
	return string(b)
}

func (c *cache) get(key string) (govern.Decision, bool) {
	h := maphash.String(c.seed, key)
	c.mu.Lock()
	e, ok := c.m[h]
	c.mu.Unlock()
	if !ok || e.key != key {
		return govern.Decision{}, false
	}
	return e.d, true
}

func (c *cache) put(key string, d govern.Decision) {
	h := maphash.String(c.seed, key)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[h]; ok {
		c.m[h] = cacheEntry{key, d}
		return
	}
	if len(c.m) >= cacheSize {
		delete(c.m, c.order[c.next])
	}
	c.m[h] = cacheEntry{key, d}
	c.order[c.next] = h
	c.next = (c.next + 1) % cacheSize
}
