package policy

import (
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func loadSchema(t *testing.T) map[string]any {
	t.Helper()
	var s map[string]any
	if err := json.Unmarshal(Schema, &s); err != nil {
		t.Fatalf("Schema is not JSON: %v", err)
	}
	return s
}

// TestSchemaMatchesTypes walks File and the schema side by side: every
// struct's json names are exactly the schema object's properties, required
// fields (no omitempty or omitzero) are exactly its required list, and
// every value has the schema type its Go type decodes from. The schema and
// the types cannot drift apart.
func TestSchemaMatchesTypes(t *testing.T) {
	t.Parallel()
	root := loadSchema(t)
	if root["$schema"] != "https://json-schema.org/draft/2020-12/schema" || !strings.HasPrefix(root["$id"].(string), "https://github.com/govern-dev/govern/") {
		t.Errorf("$schema, $id = %v, %v", root["$schema"], root["$id"])
	}
	w := schemaWalker{t: t, root: root}
	w.walk(reflect.TypeFor[File](), root, "File")
}

type schemaWalker struct {
	t    *testing.T
	root map[string]any
}

// resolve follows a local $ref.
func (w schemaWalker) resolve(s map[string]any, where string) map[string]any {
	ref, ok := s["$ref"].(string)
	if !ok {
		return s
	}
	name, ok := strings.CutPrefix(ref, "#/$defs/")
	def, found := w.root["$defs"].(map[string]any)[name].(map[string]any)
	if !ok || !found {
		w.t.Fatalf("%s: bad $ref %q", where, ref)
	}
	return def
}

func (w schemaWalker) wantType(s map[string]any, where, want string) {
	if s["type"] != want {
		w.t.Errorf("%s: schema type %v, Go type decodes from %s", where, s["type"], want)
	}
	if s["description"] == nil && !strings.Contains(where, "[]") && !strings.Contains(where, "{}") {
		w.t.Errorf("%s: no description", where)
	}
}

func (w schemaWalker) walk(t reflect.Type, s map[string]any, where string) {
	if d, ok := s["description"]; ok && d == "" {
		w.t.Errorf("%s: empty description", where)
	}
	desc := s["description"]
	s = w.resolve(s, where)
	if desc != nil && s["description"] == nil {
		s = maps(s, "description", desc)
	}
	switch t {
	case rawType:
		w.wantType(s, where, "object")
		return
	case hookSpecType:
		var kinds []string
		for _, alt := range s["oneOf"].([]any) {
			a := alt.(map[string]any)
			kinds = append(kinds, a["type"].(string))
			if a["type"] == "array" {
				w.walk(reflect.TypeFor[[]HookGroup](), a, where)
			}
		}
		if !slices.Equal(kinds, []string{"string", "array"}) {
			w.t.Errorf("%s: oneOf types %v, want string and array", where, kinds)
		}
		return
	}
	switch t.Kind() {
	case reflect.String:
		w.wantType(s, where, "string")
	case reflect.Bool:
		w.wantType(s, where, "boolean")
	case reflect.Int:
		w.wantType(s, where, "integer")
	case reflect.Float64:
		w.wantType(s, where, "number")
	case reflect.Pointer:
		w.walk(t.Elem(), s, where)
	case reflect.Slice:
		w.wantType(s, where, "array")
		w.walk(t.Elem(), s["items"].(map[string]any), where+"[]")
	case reflect.Map:
		w.wantType(s, where, "object")
		w.walk(t.Elem(), s["additionalProperties"].(map[string]any), where+"{}")
	case reflect.Struct:
		w.wantType(s, where, "object")
		if s["additionalProperties"] != false {
			w.t.Errorf("%s: additionalProperties is not false", where)
		}
		props, _ := s["properties"].(map[string]any)
		fs := fieldsOf(t)
		var schemaNames []string
		for name := range props {
			schemaNames = append(schemaNames, name)
		}
		goNames := slices.Clone(fs.names)
		sort.Strings(schemaNames)
		sort.Strings(goNames)
		if diff := cmp.Diff(goNames, schemaNames); diff != "" {
			w.t.Errorf("%s: keys differ (-Go +schema):\n%s", where, diff)
		}
		var required []string
		rs, _ := s["required"].([]any)
		for _, r := range rs {
			required = append(required, r.(string))
		}
		if diff := cmp.Diff(fs.required, required); diff != "" {
			w.t.Errorf("%s: required keys differ (-Go +schema):\n%s", where, diff)
		}
		for _, name := range fs.names {
			ps, ok := props[name].(map[string]any)
			if !ok {
				continue // absent (reported above) or false: not allowed here
			}
			w.walk(t.Field(fs.index[name]).Type, ps, where+"."+name)
		}
	default:
		w.t.Fatalf("%s: no schema check for %v", where, t)
	}
}

func maps(s map[string]any, k string, v any) map[string]any {
	out := make(map[string]any, len(s)+1)
	for kk, vv := range s {
		out[kk] = vv
	}
	out[k] = v
	return out
}

func TestSchemaEventsAndEnums(t *testing.T) {
	t.Parallel()
	root := loadSchema(t)
	hooks := root["properties"].(map[string]any)["hooks"].(map[string]any)
	var events []string
	for _, e := range hooks["propertyNames"].(map[string]any)["enum"].([]any) {
		events = append(events, e.(string))
	}
	if diff := cmp.Diff(Events, events); diff != "" {
		t.Errorf("hook events (-Go +schema):\n%s", diff)
	}
	handler := root["$defs"].(map[string]any)["hookHandler"].(map[string]any)
	var types []string
	for _, e := range handler["properties"].(map[string]any)["type"].(map[string]any)["enum"].([]any) {
		types = append(types, e.(string))
	}
	if diff := cmp.Diff(hookTypes, types); diff != "" {
		t.Errorf("hook handler types (-Go +schema):\n%s", diff)
	}
}
