package install

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/govern-dev/govern/internal/policy"
)

// Status is a check's result.
type Status string

const (
	OK   Status = "ok"
	Warn Status = "warn"
	Fail Status = "FAIL"
	// Info is something doctor cannot check and a person should.
	Info Status = "note"
)

// Check is one thing doctor looked at: what it found and, for a problem,
// how to fix it.
type Check struct {
	Status Status
	Name   string
	Detail string
	Fix    string
}

// Doctor checks an installation end to end.
type Doctor struct {
	Root   string // where the installation's files are; "" or "/" is this machine
	Layout Layout
	// OpenAudit opens and closes the audit store a DSN names. What it
	// returns besides an error is for an administrator to look at: records
	// the store had to set aside, say.
	OpenAudit func(ctx context.Context, dsn string) (notes []string, err error)
	// DefaultAudit is the hook's audit DSN when nothing names one.
	DefaultAudit func() string
	Getenv       func(string) string
	LookPath     func(string) (string, error)
	Timeout      time.Duration // for each command run and the server check; 0 is 10 s
}

// Run runs every check, in order.
func (d *Doctor) Run(ctx context.Context) []Check {
	if d.Timeout == 0 {
		d.Timeout = 10 * time.Second
	}
	var cs []Check
	add := func(c ...Check) { cs = append(cs, c...) }

	settings, env, c := d.settings()
	add(c)
	var hook *hookCmd
	var wired wiring
	if settings != nil {
		var err error
		if wired, err = readWiring(settings); err != nil {
			add(Check{Status: Fail, Name: "hooks", Detail: fmt.Sprintf(`"hooks" is not Claude Code's hook configuration: %v`, err), Fix: reinstall})
		} else {
			hook = wired.first()
		}
	}
	policyPath := d.Layout.Policy
	if hook != nil && hook.policy != "" {
		policyPath = hook.policy
	}
	var pf *policy.File
	if p, err := policy.Load(d.rooted(policyPath)); err == nil {
		pf = p.File
	}
	if wired != nil {
		add(wired.check(pf)...)
	}
	if settings != nil {
		add(d.dropIns(settings, pf)...)
	}
	add(d.permissions(policyPath, hook)...)
	if hook != nil {
		c := d.binary(hook)
		add(c)
		if c.Status != Fail {
			add(d.roundTrip(ctx, hook, env))
		}
	}
	add(d.policy(policyPath))
	add(d.audit(ctx, hook, env))
	add(d.server(ctx, env, policyPath))
	add(d.claude(ctx))
	add(Check{Status: Info, Name: "managed sources", Detail: "server-managed settings and MDM or OS policies (macOS profiles, the Windows registry) " +
		"take precedence over managed-settings.json, which Claude Code then ignores; doctor cannot check them from here"})
	return cs
}

// Print writes one line per check, a fix line under each problem, and a
// summary; it returns how many checks failed. Notes are not counted.
func Print(w io.Writer, cs []Check) (failed int) {
	warned, noted := 0, 0
	for _, c := range cs {
		fmt.Fprintf(w, "%-4s  %s: %s\n", c.Status, c.Name, c.Detail)
		if c.Fix != "" && c.Status != OK && c.Status != Info {
			fmt.Fprintf(w, "      fix: %s\n", c.Fix)
		}
		switch c.Status {
		case Fail:
			failed++
		case Warn:
			warned++
		case Info:
			noted++
		}
	}
	fmt.Fprintf(w, "%d failed, %d warned, %d ok\n", failed, warned, len(cs)-failed-warned-noted)
	return failed
}

func (d *Doctor) rooted(path string) string { return rooted(d.Root, path) }

const reinstall = "run `govern install --policy FILE` as root"

// settings reads the managed settings and the environment they give hooks.
func (d *Doctor) settings() (map[string]json.RawMessage, map[string]string, Check) {
	file := d.rooted(d.Layout.Settings)
	c := Check{Name: "managed settings"}
	data, err := os.ReadFile(file)
	if err != nil {
		c.Status, c.Detail, c.Fix = Fail, fmt.Sprintf("cannot read %s: %v", file, readReason(err)), reinstall
		return nil, nil, c
	}
	var s map[string]json.RawMessage
	if err := json.Unmarshal(data, &s); err != nil {
		c.Status, c.Detail, c.Fix = Fail, fmt.Sprintf("%s is not a JSON object: %v", file, err), "fix the file's syntax, or "+reinstall
		return nil, nil, c
	}
	var env map[string]string
	if raw, ok := s["env"]; ok && json.Unmarshal(raw, &env) != nil {
		c.Status, c.Detail, c.Fix = Fail, file+`: "env" is not an object of strings`, "fix it, or "+reinstall
		return nil, nil, c
	}
	var off bool
	if raw, ok := s["disableAllHooks"]; ok && json.Unmarshal(raw, &off) == nil && off {
		c.Status, c.Detail, c.Fix = Fail, file+` sets "disableAllHooks": true, which silences govern's hook too`, `remove "disableAllHooks" from `+file
		return s, env, c
	}
	c.Status, c.Detail = OK, file+" is well-formed"
	return s, env, c
}

// DropInDir is where Claude Code reads drop-in managed settings, beside
// managed-settings.json: each *.json file, alphabetically, after it; later
// values of a setting win (claude-code-hooks.md §8).
const DropInDir = "managed-settings.d"

// dropIns checks that no drop-in undoes what govern's hook needs: that
// hooks run at all, and, when the policy says so, that only managed hooks
// do. s are the managed settings themselves.
func (d *Doctor) dropIns(s map[string]json.RawMessage, pf *policy.File) []Check {
	dir := filepath.Join(filepath.Dir(d.rooted(d.Layout.Settings)), DropInDir)
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return []Check{{Status: Warn, Name: "drop-ins", Detail: fmt.Sprintf("cannot read %s: %v", dir, readReason(err)), Fix: "make it readable, so that doctor can check what it adds to the managed settings"}}
	}
	// The effective value of a setting, and the drop-in that set it last
	// ("" for managed-settings.json).
	type setting struct {
		on   bool
		from string
	}
	var off, only setting
	boolean := func(s map[string]json.RawMessage, key string, into *setting, from string) {
		var v bool
		if raw, ok := s[key]; ok && json.Unmarshal(raw, &v) == nil {
			*into = setting{v, from}
		}
	}
	boolean(s, "disableAllHooks", &off, "")
	boolean(s, "allowManagedHooksOnly", &only, "")
	var cs []Check
	n := 0
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".json") {
			continue // Claude Code reads only visible *.json files
		}
		n++
		file := filepath.Join(dir, name)
		var ds map[string]json.RawMessage
		data, err := os.ReadFile(file)
		if err == nil {
			err = json.Unmarshal(data, &ds)
		}
		if err != nil {
			cs = append(cs, Check{Status: Warn, Name: "drop-ins", Detail: fmt.Sprintf("cannot read %s: %v", file, readReason(err)), Fix: "fix or remove it: doctor cannot tell what it changes"})
			continue
		}
		boolean(ds, "disableAllHooks", &off, file)
		boolean(ds, "allowManagedHooksOnly", &only, file)
	}
	if off.on && off.from != "" {
		cs = append(cs, Check{Status: Fail, Name: "drop-ins",
			Detail: off.from + ` sets "disableAllHooks": true, which silences govern's hook too`,
			Fix:    `remove "disableAllHooks" from ` + off.from})
	}
	if pf != nil && pf.Settings.AllowManagedHooksOnly != nil && *pf.Settings.AllowManagedHooksOnly && !only.on && only.from != "" {
		cs = append(cs, Check{Status: Warn, Name: "drop-ins",
			Detail: only.from + ` sets "allowManagedHooksOnly": false, where the policy sets it true: developers' own hooks run beside govern's`,
			Fix:    `remove "allowManagedHooksOnly" from ` + only.from})
	}
	if len(cs) > 0 {
		return cs
	}
	if n == 0 {
		return []Check{{Status: OK, Name: "drop-ins", Detail: "none in " + dir}}
	}
	return []Check{{Status: OK, Name: "drop-ins", Detail: fmt.Sprintf("the %d in %s leave govern's hook on", n, dir)}}
}
