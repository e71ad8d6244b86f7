package install

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pmezard/go-difflib/difflib"
)

// Plan is the file changes of an install or uninstall, in the order they
// are made: copies of what is replaced first, the install record last, so
// that a run stopped half-way loses nothing.
type Plan []Change

// Change is one file written or removed.
type Change struct {
	Path    string // the file, under the root
	Old     []byte // its content now, when Existed
	Existed bool
	New     []byte // its content after; ignored when Remove
	Remove  bool
	// Quiet, when set, says what the file is; a dry run names it instead of
	// printing its diff (backups, the install record).
	Quiet string
	// Restore says the new content is the file as it was before govern;
	// Unwired, that govern's hook was taken out of it.
	Restore, Unwired bool
	// Mode is the new file's permissions; 0 is 0644. A copy of a file
	// keeps the file's, which may be narrower: managed settings can hold
	// secrets in "env".
	Mode os.FileMode
}

// Apply makes the changes. Files are written atomically (a temporary file
// renamed into place), mode 0644 unless the change says otherwise, in
// directories of mode 0755, and owned by root when run as root: what
// Claude Code and the hook read must not be writable by the developers
// they govern.
func (p Plan) Apply(w io.Writer) error {
	for _, c := range p {
		if c.Remove {
			if err := os.Remove(c.Path); err != nil && !os.IsNotExist(err) {
				return err
			}
			fmt.Fprintf(w, "removed %s\n", c.Path)
			continue
		}
		if err := writeFile(c.Path, c.New, c.Mode); err != nil {
			return err
		}
		switch {
		case c.Restore && c.Unwired:
			fmt.Fprintf(w, "restored %s as it was before govern, without govern's hook\n", c.Path)
		case c.Restore:
			fmt.Fprintf(w, "restored %s as it was before govern\n", c.Path)
		case c.Quiet != "":
			fmt.Fprintf(w, "wrote %s (%s)\n", c.Path, c.Quiet)
		default:
			fmt.Fprintf(w, "wrote %s\n", c.Path)
		}
	}
	return nil
}

// Diff prints what Apply would do: a unified diff of each file that would
// change, and a line for each backup or record.
func (p Plan) Diff(w io.Writer) error {
	for _, c := range p {
		verb := "write"
		if c.Remove {
			verb = "remove"
		}
		if c.Quiet != "" {
			fmt.Fprintf(w, "would %s %s (%s)\n", verb, c.Path, c.Quiet)
			continue
		}
		d := difflib.UnifiedDiff{FromFile: c.Path, ToFile: c.Path, Context: 3}
		if c.Existed {
			d.A = lines(c.Old)
		} else {
			d.FromFile = "/dev/null"
		}
		if c.Remove {
			d.ToFile = "/dev/null"
		} else {
			d.B = lines(c.New)
		}
		if err := difflib.WriteUnifiedDiff(w, d); err != nil {
			return err
		}
	}
	return nil
}

// lines splits a file into lines that each end in a newline.
func lines(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	ls := strings.SplitAfter(string(b), "\n")
	if ls[len(ls)-1] == "" {
		return ls[:len(ls)-1]
	}
	ls[len(ls)-1] += "\n" // a last line without one: shown as if it had it
	return ls
}

// writeFile writes data to path atomically, with mode (0: 0644), creating
// missing directories with mode 0755.
func writeFile(path string, data []byte, mode os.FileMode) error {
	if mode == 0 {
		mode = 0o644
	}
	dir := filepath.Dir(path)
	if err := mkdirAll(dir); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename there is nothing left to remove
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := secure(f.Chmod, f.Chown, mode.Perm()); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil { // make the rename durable
		d.Sync()
		d.Close()
	}
	return nil
}

// mkdirAll creates dir and its missing parents with mode 0755 whatever the
// umask, owned by root when run as root.
func mkdirAll(dir string) error {
	fi, err := os.Stat(dir)
	if err == nil {
		if !fi.IsDir() {
			return fmt.Errorf("%s is not a directory", dir)
		}
		return nil
	}
	if !os.IsNotExist(err) {
		return err
	}
	if parent := filepath.Dir(dir); parent != dir {
		if err := mkdirAll(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !os.IsExist(err) {
		return err
	}
	return secure(func(m os.FileMode) error { return os.Chmod(dir, m) }, func(uid, gid int) error { return os.Chown(dir, uid, gid) }, 0o755)
}

// secure sets mode and, when run as root, root ownership.
func secure(chmod func(os.FileMode) error, chown func(uid, gid int) error, mode os.FileMode) error {
	if os.Geteuid() == 0 {
		if err := chown(0, 0); err != nil {
			return err
		}
	}
	return chmod(mode)
}
