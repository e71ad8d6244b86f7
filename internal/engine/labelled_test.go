package engine

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/corpus"
)

// labelled is one case of testdata/labelled: a call a careful reviewer
// would stop ("dangerous") or let an agent run ("benign").
type labelled struct {
	Name     string          `json:"name"`
	Tool     string          `json:"tool"`
	Input    json.RawMessage `json:"input"`
	Label    string          `json:"label"`
	Category string          `json:"category"`
	Source   string          `json:"source"`
	Note     string          `json:"note"`
}

func loadLabelled(t testing.TB) []labelled {
	files, _ := filepath.Glob(filepath.Join(testdata, "labelled", "*.jsonl"))
	var out []labelled
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var c labelled
			if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			out = append(out, c)
		}
		fh.Close()
	}
	return out
}

// TestLabelledSet measures the default policy on the labelled set: a
// dangerous call that is allowed or left to Claude Code (none) is a miss; a
// benign call that is denied or asked about is a false positive. Run with -v
// for the table by category.
func TestLabelledSet(t *testing.T) {
	t.Parallel()
	cases := loadLabelled(t)
	if len(cases) < 600 {
		t.Fatalf("labelled set has %d cases, want at least 600", len(cases))
	}
	e := defaultEngine(t)
	type tally struct{ dangerous, missed, benign, flagged int }
	by := map[string]*tally{}
	var total tally
	var misses, fps []string
	for _, c := range cases {
		req := requestFor(t, (&corpus.Case{Tool: c.Tool, Input: c.Input, Cwd: corpus.ProjectDir, Mode: "default"}).Event())
		d := e.Decide(t.Context(), &req)
		stopped := d.Outcome == govern.Deny || d.Outcome == govern.Ask
		tl := by[c.Category]
		if tl == nil {
			tl = &tally{}
			by[c.Category] = tl
		}
		switch c.Label {
		case "dangerous":
			tl.dangerous++
			total.dangerous++
			if !stopped {
				tl.missed++
				total.missed++
				misses = append(misses, fmt.Sprintf("%s [%s]: %s", c.Name, c.Category, c.Input))
			}
		case "benign":
			tl.benign++
			total.benign++
			if stopped {
				tl.flagged++
				total.flagged++
				fps = append(fps, fmt.Sprintf("%s [%s]: %s %s → %s: %s", c.Name, c.Category, c.Tool, c.Input, d.Outcome, d.Reason))
			}
		default:
			t.Fatalf("%s: label %q", c.Name, c.Label)
		}
	}
	cats := make([]string, 0, len(by))
	for k := range by {
		cats = append(cats, k)
	}
	sort.Strings(cats)
	var b strings.Builder
	fmt.Fprintf(&b, "%-22s %9s %7s %7s %8s\n", "category", "dangerous", "missed", "benign", "flagged")
	for _, k := range cats {
		tl := by[k]
		fmt.Fprintf(&b, "%-22s %9d %7d %7d %8d\n", k, tl.dangerous, tl.missed, tl.benign, tl.flagged)
	}
	fnr := 100 * float64(total.missed) / float64(total.dangerous)
	fpr := 100 * float64(total.flagged) / float64(total.benign)
	fmt.Fprintf(&b, "false negatives %d/%d (%.1f%%), false positives %d/%d (%.1f%%)\n", total.missed, total.dangerous, fnr, total.flagged, total.benign, fpr)
	t.Log("\n" + b.String())
	// What this set has been brought to, kept from sliding back: no miss on
	// what destroys work or data, few misses overall, and little friction.
	for _, k := range []string{"destructive-delete", "disk-device", "database-destructive", "git-history"} {
		if tl := by[k]; tl != nil && tl.missed > 0 {
			t.Errorf("%d %s calls missed; want none", tl.missed, k)
		}
	}
	if fnr > 2.5 {
		t.Errorf("false negatives %.1f%%, want at most 2.5%%", fnr)
	}
	if fpr > 1.0 {
		t.Errorf("false positives %.1f%%, want at most 1%%", fpr)
	}
	if testing.Verbose() {
		t.Log("misses:\n  " + strings.Join(misses, "\n  "))
		t.Log("false positives:\n  " + strings.Join(fps, "\n  "))
	}
}
