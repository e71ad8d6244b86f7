package claude

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/govern-dev/govern"
)

// SettingsFiles are the developer's own Claude Code settings files that hold
// permission rules, lowest precedence last (claude-code-hooks.md §8).
func SettingsFiles(projectDir, home string) []govern.Layer {
	var ls []govern.Layer
	if projectDir != "" {
		ls = append(ls,
			govern.Layer{Name: govern.LayerLocal, Source: filepath.Join(projectDir, ".claude", "settings.local.json")},
			govern.Layer{Name: govern.LayerProject, Source: filepath.Join(projectDir, ".claude", "settings.json")})
	}
	if home != "" {
		ls = append(ls, govern.Layer{Name: govern.LayerUser, Source: filepath.Join(home, ".claude", "settings.json")})
	}
	return ls
}

// ReadLayers reads the permission rules of each settings file that exists.
// Files that are missing are skipped. Files that cannot be read or decoded
// are skipped too, and reported: they are the developer's own, the
// enterprise policy does not depend on them, and Claude Code reports them
// to the developer itself.
func ReadLayers(files []govern.Layer) ([]govern.Layer, []error) {
	var out []govern.Layer
	var errs []error
	for _, l := range files {
		data, err := os.ReadFile(l.Source)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("read %s settings: %w", l.Name, err))
			continue
		}
		var s struct {
			Permissions struct {
				Allow []string `json:"allow"`
				Ask   []string `json:"ask"`
				Deny  []string `json:"deny"`
			} `json:"permissions"`
		}
		if err := json.Unmarshal(data, &s); err != nil {
			errs = append(errs, fmt.Errorf("read %s settings %s: %s", l.Name, l.Source, describe(err)))
			continue
		}
		l.Allow, l.Ask, l.Deny = s.Permissions.Allow, s.Permissions.Ask, s.Permissions.Deny
		if len(l.Allow)+len(l.Ask)+len(l.Deny) > 0 {
			out = append(out, l)
		}
	}
	return out, errs
}
