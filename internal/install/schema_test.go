package install

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/govern-dev/govern/internal/policy"
)

const schemaFile = "../../testdata/claude-code-settings.schema.json"

// claudeSchema compiles SchemaStore's schema for Claude Code settings.
func claudeSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	const id = "https://json.schemastore.org/claude-code-settings.json"
	if err := c.AddResource(id, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// withoutOnFailure removes the one key govern renders that the schema
// predates.
func withoutOnFailure(t *testing.T, settings []byte) any {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(settings))
	if err != nil {
		t.Fatal(err)
	}
	removed := 0
	for _, groups := range doc.(map[string]any)["hooks"].(map[string]any) {
		for _, g := range groups.([]any) {
			for _, h := range g.(map[string]any)["hooks"].([]any) {
				if _, ok := h.(map[string]any)["onFailure"]; ok {
					delete(h.(map[string]any), "onFailure")
					removed++
				}
			}
		}
	}
	if removed != 2 {
		t.Errorf("removed onFailure from %d handlers, want 2 (PreToolUse, UserPromptSubmit)", removed)
	}
	return doc
}

// TestRenderValidatesAgainstSchema renders the seed's policy and the
// default policy, alone and merged into an administrator's settings, and
// validates each against Claude Code's published schema.
func TestRenderValidatesAgainstSchema(t *testing.T) {
	t.Parallel()
	schema := claudeSchema(t)
	seed, err := policy.Load("../../testdata/policies/seed.json")
	if err != nil {
		t.Fatal(err)
	}
	def, err := policy.Parse("default.json", policy.Default)
	if err != nil {
		t.Fatal(err)
	}
	hook := Hook{Bin: "/opt/it's/govern", Policy: "/etc/govern/policy.json", Audit: "postgres://govern@db/audit"}
	for name, f := range map[string]*policy.File{"seed": seed.File, "default": def.File} {
		for base, settings := range map[string]string{"alone": "", "merged": adminSettings} {
			t.Run(name+" "+base, func(t *testing.T) {
				t.Parallel()
				s, _ := Render(f, hook)
				out, err := Merge([]byte(settings), s)
				if err != nil {
					t.Fatal(err)
				}
				if err := schema.Validate(withoutOnFailure(t, out)); err != nil {
					t.Errorf("%v\n%s", err, out)
				}
				// The validator does look: with onFailure left in, the
				// schema's closed hook objects refuse the settings.
				doc, _ := jsonschema.UnmarshalJSON(bytes.NewReader(out))
				if schema.Validate(doc) == nil {
					t.Error("settings with onFailure validated: the schema no longer lags, or is not applied")
				}
			})
		}
	}
}

// TestNativeRuleIsTheSchemas keeps nativeRule equal to the schema's
// permissionRule pattern.
func TestNativeRuleIsTheSchemas(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Defs struct {
			PermissionRule struct {
				Pattern string `json:"pattern"`
			} `json:"permissionRule"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	if got, want := nativeRule().String(), s.Defs.PermissionRule.Pattern; got != want {
		t.Errorf("nativeRule = %s\nschema's permissionRule pattern = %s", got, want)
	}
}

// TestObservedEventsInSchema keeps the events govern's hook observes to
// those Claude Code's schema knows, and away from those a hook that exits
// 0 with no output would change.
func TestObservedEventsInSchema(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Properties struct {
			Hooks struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"hooks"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	for _, ev := range append(slices.Clip(Events), ObservedEvents...) {
		if _, ok := s.Properties.Hooks.Properties[ev]; !ok {
			t.Errorf("%s is not an event of the schema's hooks", ev)
		}
		switch ev {
		case "WorktreeCreate", "MessageDisplay", "FileChanged", "Setup":
			t.Errorf("govern's hook must not run on %s", ev)
		}
		if slices.Contains(Events, ev) && slices.Contains(ObservedEvents, ev) {
			t.Errorf("%s is in Events and ObservedEvents", ev)
		}
	}
}
