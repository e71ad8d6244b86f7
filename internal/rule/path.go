package rule

import (
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// anchor is where a path pattern starts.
type anchor uint8

const (
	anchorRoot     anchor = iota // "/x", "./x", and relative patterns in allow rules: the project root
	anchorAbs                    // "//x": the filesystem root
	anchorHome                   // "~/x": the home directory
	anchorAnywhere               // a bare name ("x"), or any relative pattern in deny and ask rules
)

// pathAlt is a compiled path pattern.
type pathAlt struct {
	anchor   anchor
	pattern  string // doublestar pattern relative to the anchor, without a leading slash
	relative bool   // written relative ("x/y", "./x" excluded): any depth in deny and ask rules
}

// Base is what a path pattern's anchors mean for one request.
type Base struct {
	Root string // the project root, absolute and clean
	Home string // the user's home directory, absolute and clean
}

func (r *Rule) compilePath(off int) error {
	p := r.Spec
	a := pathAlt{}
	switch {
	case strings.HasPrefix(p, "//"):
		a.anchor, p = anchorAbs, p[2:]
	case p == "~" || strings.HasPrefix(p, "~/"):
		a.anchor, p = anchorHome, strings.TrimPrefix(strings.TrimPrefix(p, "~"), "/")
	case strings.HasPrefix(p, "/"):
		a.anchor, p = anchorRoot, p[1:]
	case strings.HasPrefix(p, "./"):
		a.anchor, p = anchorRoot, p[2:]
	default:
		a.anchor, a.relative = anchorRoot, true
		if !strings.Contains(strings.TrimSuffix(p, "/**"), "/") {
			a.anchor = anchorAnywhere // a bare name matches at any depth
		}
	}
	p = strings.TrimSuffix(p, "/")
	if p == "" {
		p = "**"
	}
	if !doublestar.ValidatePattern(p) {
		return errAt(off, "bad glob %q", r.Spec)
	}
	a.pattern = p
	r.paths = []pathAlt{a}
	return nil
}

// MatchPath reports whether the absolute, clean path p falls under the
// rule's pattern, gitignore-style: a pattern that names a directory covers
// everything below it. In strict mode (deny and ask rules) a relative
// pattern matches at any depth anywhere, so "config/production*" also
// catches "services/api/config/production.yml"; in allow rules it is
// anchored at the project root.
func (r *Rule) MatchPath(p string, base Base, strict bool) bool {
	if r.Kind != Path {
		return false
	}
	if r.Spec == "" {
		return true
	}
	for i := range r.paths {
		a := &r.paths[i]
		anc := a.anchor
		if strict && a.relative {
			anc = anchorAnywhere
		}
		var rel string
		switch anc {
		case anchorAbs:
			rel = strings.TrimPrefix(p, "/")
		case anchorHome:
			rel, _ = under(p, base.Home)
		case anchorRoot:
			var ok bool
			if rel, ok = under(p, base.Root); !ok {
				continue
			}
		case anchorAnywhere:
			if anyDepth(a.pattern, strings.TrimPrefix(p, "/")) {
				return true
			}
			continue
		}
		if rel != "" && matchOrParent(a.pattern, rel) {
			return true
		}
	}
	return false
}

// under returns p relative to dir, and whether p is dir or below it.
func under(p, dir string) (string, bool) {
	if dir == "" {
		return "", false
	}
	if p == dir {
		return ".", true
	}
	dir = strings.TrimSuffix(dir, "/")
	if rest, ok := strings.CutPrefix(p, dir+"/"); ok {
		return rest, true
	}
	return "", false
}

// matchOrParent matches rel or any of its parent directories.
func matchOrParent(pattern, rel string) bool {
	for {
		if ok, _ := doublestar.Match(pattern, rel); ok {
			return true
		}
		i := strings.LastIndexByte(rel, '/')
		if i < 0 {
			return false
		}
		rel = rel[:i]
	}
}

// anyDepth matches pattern against every suffix of rel that starts at a
// path element, and their parents.
func anyDepth(pattern, rel string) bool {
	for {
		if matchOrParent(pattern, rel) {
			return true
		}
		i := strings.IndexByte(rel, '/')
		if i < 0 {
			return false
		}
		rel = rel[i+1:]
	}
}
