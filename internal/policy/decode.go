package policy

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// A path names a value in the file for messages: permissions.denyList[3].
type path []seg

type seg struct {
	text  string // "permissions", "[3]", or a map key
	field bool   // a struct field's key, as opposed to an index or map key
}

func (p path) key(k string) path  { return append(p[:len(p):len(p)], seg{k, true}) }
func (p path) elem(k string) path { return append(p[:len(p):len(p)], seg{k, false}) }
func (p path) index(i int) path {
	return append(p[:len(p):len(p)], seg{"[" + strconv.Itoa(i) + "]", false})
}

// String is the full path: teams.backend.permissions.denyList[0].
func (p path) String() string {
	var b strings.Builder
	for i, s := range p {
		if i > 0 && !strings.HasPrefix(s.text, "[") {
			b.WriteByte('.')
		}
		b.WriteString(s.text)
	}
	return b.String()
}

// short is the path from its last key on: denyList[0], auditLevel.
func (p path) short() string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i].field {
			return p[i:].String()
		}
	}
	return p.String()
}

// where is " in <path>", or " at top level" for the root object.
func (p path) where() string {
	if len(p) == 0 {
		return " at top level"
	}
	return " in " + p.String()
}

// decoder fills File from the node tree by reflection over the Go types, so
// that the types themselves define which keys exist and what JSON type each
// value has. It reports, with positions, unknown keys, missing required keys
// (a field whose tag has neither omitempty nor omitzero) and wrong types,
// and goes on past every one of them.
type decoder struct {
	data []byte
	loc  *locator
}

var (
	rawType      = reflect.TypeFor[json.RawMessage]()
	hookSpecType = reflect.TypeFor[HookSpec]()
)

func (d *decoder) wrongType(n *node, p path, want string) {
	d.loc.add(n.off, "%s must be %s, not %s", p.short(), want, n.kind)
}

func (d *decoder) decode(n *node, v reflect.Value, p path) {
	switch v.Type() {
	case rawType:
		if n.kind != kObject {
			d.wrongType(n, p, "an object")
			return
		}
		v.SetBytes(append([]byte(nil), d.data[n.off:n.end]...))
		return
	case hookSpecType:
		d.hookSpec(n, v.Addr().Interface().(*HookSpec), p)
		return
	}
	switch v.Kind() {
	case reflect.String:
		if n.kind != kString {
			d.wrongType(n, p, "a string")
			return
		}
		v.SetString(n.str)
	case reflect.Bool:
		if n.kind != kBool {
			d.wrongType(n, p, "a boolean")
			return
		}
		v.SetBool(n.boolean)
	case reflect.Int:
		if n.kind != kNumber {
			d.wrongType(n, p, "an integer")
			return
		}
		i, err := strconv.ParseInt(n.str, 10, 64)
		if err != nil || v.OverflowInt(i) {
			d.loc.add(n.off, "%s must be an integer, not %s", p.short(), n.str)
			return
		}
		v.SetInt(i)
	case reflect.Float64:
		if n.kind != kNumber {
			d.wrongType(n, p, "a number")
			return
		}
		f, err := strconv.ParseFloat(n.str, 64)
		if err != nil {
			d.loc.add(n.off, "%s is out of range", p.short())
			return
		}
		v.SetFloat(f)
	case reflect.Pointer:
		e := reflect.New(v.Type().Elem())
		d.decode(n, e.Elem(), p)
		if n.kind != kNull {
			v.Set(e)
		}
	case reflect.Slice:
		if n.kind != kArray {
			d.wrongType(n, p, "an array")
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.elems), len(n.elems))
		for i, e := range n.elems {
			d.decode(e, s.Index(i), p.index(i))
		}
		v.Set(s)
	case reflect.Map:
		if n.kind != kObject {
			d.wrongType(n, p, "an object")
			return
		}
		m := reflect.MakeMapWithSize(v.Type(), len(n.members))
		for _, mem := range n.members {
			e := reflect.New(v.Type().Elem()).Elem()
			d.decode(mem.val, e, p.elem(mem.key))
			m.SetMapIndex(reflect.ValueOf(mem.key), e)
		}
		v.Set(m)
	case reflect.Struct:
		if n.kind != kObject {
			d.wrongType(n, p, "an object")
			return
		}
		fs := fieldsOf(v.Type())
		for _, mem := range n.members {
			i, ok := fs.index[mem.key]
			if !ok {
				d.loc.add(mem.keyOff, "unknown key %q%s%s", mem.key, p.where(), suggest(mem.key, fs.names))
				continue
			}
			d.decode(mem.val, v.Field(i), p.key(mem.key))
		}
		for _, r := range fs.required {
			if n.get(r) == nil {
				d.loc.add(n.off, "missing key %q%s", r, p.where())
			}
		}
	default:
		panic("policy: no decoding for " + v.Type().String())
	}
}

// hookSpec decodes either shape of a hook: a script path or matcher groups.
func (d *decoder) hookSpec(n *node, h *HookSpec, p path) {
	switch n.kind {
	case kString:
		h.Command = n.str
	case kArray:
		d.decode(n, reflect.ValueOf(&h.Groups).Elem(), p)
	default:
		d.loc.add(n.off, "%s must be a script path or an array of matcher groups, not %s", p.short(), n.kind)
	}
}

// fields is what the decoder needs to know about a struct type.
type fields struct {
	index    map[string]int // json name → field index
	names    []string       // json names in declaration order
	required []string
}

var fieldCache sync.Map // reflect.Type → *fields

func fieldsOf(t reflect.Type) *fields {
	if f, ok := fieldCache.Load(t); ok {
		return f.(*fields)
	}
	f := &fields{index: map[string]int{}}
	for i := range t.NumField() {
		name, opts, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			panic("policy: field " + t.Name() + "." + t.Field(i).Name + " needs a json name")
		}
		f.index[name] = i
		f.names = append(f.names, name)
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
			f.required = append(f.required, name)
		}
	}
	fieldCache.Store(t, f)
	return f
}

// suggest returns ` (did you mean "x"?)` for the known name closest to an
// unknown key, or "" when none is close.
func suggest(key string, names []string) string {
	best, bestDist := "", 3
	for _, n := range names {
		if strings.EqualFold(n, key) {
			return ` (did you mean "` + n + `"?)`
		}
		if d := distance(strings.ToLower(key), strings.ToLower(n)); d < bestDist && d < len(n)/2+1 {
			best, bestDist = n, d
		}
	}
	if best == "" {
		return ""
	}
	return ` (did you mean "` + best + `"?)`
}

// distance is the Levenshtein distance between a and b, in bytes.
func distance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 64
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
