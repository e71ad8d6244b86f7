package install

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/govern-dev/govern/internal/policy"
)

// Options say what to install where.
type Options struct {
	Root   string // prefix of every path written; "" or "/" is this machine
	Layout Layout // where the files go on the target machine
	Policy string // the enterprise policy file to install
	Audit  string // audit DSN for the hook; "" for its default
	Bin    string // absolute path of the govern binary the hook runs
	// Force replaces files an administrator changed since govern wrote
	// them, keeping each changed file beside it with EditedSuffix.
	Force bool
}

// record is what govern install wrote, kept at Layout.Record.
type record struct {
	Settings fileRecord `json:"settings"`
	Policy   fileRecord `json:"policy"`
}

// fileRecord is one file govern wrote: where (on the target machine), the
// SHA-256 of what it wrote, and where the file as it was before govern is
// kept ("" when there was none).
type fileRecord struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Backup string `json:"backup,omitempty"`
}

// Install plans an installation: the policy copied to Layout.Policy and
// Claude Code's managed settings rendered from it, merged onto the settings
// found before govern's first install. Nothing is written until the plan is
// applied. An invalid policy is policy.Problems.
func Install(o Options) (Plan, []Note, error) {
	if !filepath.IsAbs(o.Bin) {
		return nil, nil, fmt.Errorf("the hook needs govern's absolute path, not %q", o.Bin)
	}
	if !IsGovern(o.Bin) {
		return nil, nil, fmt.Errorf("the hook's binary must be named govern (govern.exe on Windows), not %q: install, uninstall and doctor recognise govern's hook by that name", filepath.Base(o.Bin))
	}
	data, err := os.ReadFile(o.Policy)
	if err != nil {
		return nil, nil, fmt.Errorf("read policy: %w", err)
	}
	if ps := policy.Validate(o.Policy, data); ps != nil {
		return nil, nil, ps
	}
	p, err := policy.Parse(o.Policy, data)
	if err != nil {
		return nil, nil, err
	}
	s, notes := Render(p.File, Hook{Bin: o.Bin, Policy: o.Layout.Policy, Audit: o.Audit})

	var prev *record
	recFile := rooted(o.Root, o.Layout.Record)
	if b, ok, err := readFile(recFile); err != nil {
		return nil, nil, err
	} else if ok {
		prev = new(record)
		if err := json.Unmarshal(b, prev); err != nil {
			return nil, nil, fmt.Errorf("read install record %s: %v", recFile, err)
		}
	}

	pl := &planner{root: o.Root, force: o.Force}
	var rec record
	var prevPolicy, prevSettings *fileRecord
	if prev != nil {
		prevPolicy, prevSettings = &prev.Policy, &prev.Settings
	}
	rec.Policy, err = pl.file(o.Layout.Policy, prevPolicy, false, func([]byte) ([]byte, error) { return data, nil })
	if err != nil {
		return nil, nil, err
	}
	rec.Settings, err = pl.file(o.Layout.Settings, prevSettings, true, func(base []byte) ([]byte, error) {
		out, err := Merge(base, s)
		if err != nil {
			return nil, fmt.Errorf("merge with the managed settings found before govern: %w", err)
		}
		return out, nil
	})
	if err != nil {
		return nil, nil, err
	}
	recData, _ := json.MarshalIndent(rec, "", "  ")
	pl.change(Change{Path: recFile, New: append(recData, '\n'), Quiet: "the install record"})
	return pl.plan, notes, nil
}

// Uninstall plans putting back what govern install changed: each file as
// it was before govern (or removed, when govern created it), then the
// install record removed.
func Uninstall(root string, l Layout, force bool) (Plan, error) {
	recFile := rooted(root, l.Record)
	b, ok, err := readFile(recFile)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("govern is not installed here: there is no install record %s", recFile)
	}
	var rec record
	if err := json.Unmarshal(b, &rec); err != nil {
		return nil, fmt.Errorf("read install record %s: %v", recFile, err)
	}
	pl := &planner{root: root, force: force}
	// The settings come back without govern's hook, should they have held
	// it before govern install (shipped by other means): once the policy
	// is gone, the hook would block every call.
	if err := pl.restore(rec.Settings, Unwire); err != nil {
		return nil, err
	}
	if err := pl.restore(rec.Policy, nil); err != nil {
		return nil, err
	}
	pl.change(Change{Path: recFile, Remove: true, Quiet: "the install record"})
	return pl.plan, nil
}

// planner collects the changes of one install or uninstall.
type planner struct {
	root  string
	force bool
	plan  Plan
}

func (pl *planner) change(c Change) {
	old, ok, err := readFile(c.Path)
	c.Old, c.Existed = old, ok || err != nil // unreadable: Apply reports why
	if c.Remove && !c.Existed || !c.Remove && c.Existed && bytes.Equal(c.Old, c.New) {
		return // nothing to do
	}
	pl.plan = append(pl.plan, c)
}

// file plans one file govern installs: its new content is render(base),
// base being the file as it was before govern's first install; merged says
// that the render keeps base's content.
func (pl *planner) file(path string, prev *fileRecord, merged bool, render func(base []byte) ([]byte, error)) (fileRecord, error) {
	file := rooted(pl.root, path)
	backup := file + BackupSuffix
	cur, mode, exists, err := readFileMode(file)
	if err != nil {
		return fileRecord{}, err
	}
	saved, hasBackup, err := readFile(backup)
	if err != nil {
		return fileRecord{}, err
	}
	rec := fileRecord{Path: path}
	var base []byte
	edited := false
	switch {
	case prev != nil:
		edited = exists && digest(cur) != prev.SHA256
		switch {
		case prev.Backup == "":
		case hasBackup:
			base, rec.Backup = saved, prev.Backup
		case !pl.force && merged:
			return rec, fmt.Errorf("%s as it was before govern should be in %s, which is missing: put it back, or rerun with --force to merge onto the file as it is now, which becomes the new backup", file, backup)
		case !pl.force:
			return rec, fmt.Errorf("%s as it was before govern should be in %s, which is missing: put it back, or rerun with --force to install without it", file, backup)
		case merged && exists:
			// The file as it was before govern is lost. What is there now
			// is the best account left of the administrator's settings:
			// merge onto it (Merge takes govern's old hook out), and keep
			// it as the new backup, which uninstall puts back.
			base, rec.Backup = cur, path+BackupSuffix
			pl.change(Change{Path: backup, New: cur, Quiet: "in place of the missing backup: the file as found", Mode: mode})
		}
	case hasBackup:
		// A backup without an install record: an install stopped half-way,
		// or the record was removed. The backup is the pre-govern file.
		edited = exists && !bytes.Equal(cur, saved)
		base, rec.Backup = saved, path+BackupSuffix
	case exists:
		base, rec.Backup = cur, path+BackupSuffix
		pl.change(Change{Path: backup, New: cur, Quiet: "as it was before govern", Mode: mode})
	}
	next, err := render(base)
	if err != nil {
		return rec, err
	}
	if edited && !bytes.Equal(cur, next) {
		if !pl.force {
			if merged {
				return rec, fmt.Errorf("%s changed since govern wrote it: make lasting changes in %s (the file as it was before govern, which install merges onto) and rerun, or rerun with --force to replace it, keeping the changed file as %s", file, backup, file+EditedSuffix)
			}
			return rec, fmt.Errorf("%s changed since govern wrote it: rerun with --force to replace it, keeping the changed file as %s", file, file+EditedSuffix)
		}
		pl.change(Change{Path: file + EditedSuffix, New: cur, Quiet: "as changed since govern wrote it", Mode: mode})
	}
	pl.change(Change{Path: file, New: next})
	rec.SHA256 = digest(next)
	return rec, nil
}

// restore plans putting one file back as it was before govern, passed
// through clean when that is not nil.
func (pl *planner) restore(f fileRecord, clean func([]byte) []byte) error {
	file := rooted(pl.root, f.Path)
	cur, mode, exists, err := readFileMode(file)
	if err != nil {
		return err
	}
	if exists && digest(cur) != f.SHA256 {
		if !pl.force {
			return fmt.Errorf("%s changed since govern wrote it: rerun with --force to uninstall anyway, keeping the changed file as %s", file, file+EditedSuffix)
		}
		pl.change(Change{Path: file + EditedSuffix, New: cur, Quiet: "as changed since govern wrote it", Mode: mode})
	}
	if f.Backup == "" {
		pl.change(Change{Path: file, Remove: true})
		return nil
	}
	backup := rooted(pl.root, f.Backup)
	saved, savedMode, ok, err := readFileMode(backup)
	if err != nil {
		return err
	}
	if !ok {
		if !pl.force {
			return fmt.Errorf("%s as it was before govern should be in %s, which is missing: put it back, or rerun with --force to remove %s", file, backup, file)
		}
		pl.change(Change{Path: file, Remove: true})
		return nil
	}
	restored := saved
	if clean != nil {
		restored = clean(saved)
	}
	pl.change(Change{Path: file, New: restored, Restore: true, Unwired: !bytes.Equal(restored, saved), Mode: savedMode})
	pl.change(Change{Path: backup, Remove: true, Quiet: "restored"})
	return nil
}

// readFileMode reads a file and its permissions; a missing one is not an
// error.
func readFileMode(path string) ([]byte, os.FileMode, bool, error) {
	b, ok, err := readFile(path)
	if !ok || err != nil {
		return b, 0, ok, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, 0, false, err
	}
	return b, fi.Mode().Perm(), true, nil
}

// readFile reads a file; a missing one is not an error.
func readFile(path string) ([]byte, bool, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return b, true, nil
}

func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
