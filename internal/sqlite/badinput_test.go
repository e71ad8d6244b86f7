package sqlite

import (
	"bytes"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/audit"
)

// openErr opens path, which must fail, and returns the error's message,
// checked to be one line.
func openErr(t *testing.T, path string) string {
	t.Helper()
	s, err := Open(t.Context(), path)
	if err == nil {
		s.Close()
		t.Fatalf("Open(%s) succeeded", path)
	}
	if !errors.As(err, new(*govern.Error)) {
		t.Errorf("Open(%s) error %T is not a *govern.Error", path, err)
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") {
		t.Errorf("error is more than one line: %q", msg)
	}
	return msg
}

func want(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("error:\n got %s\nwant %s", got, want)
	}
}

func TestOpenMissingDirectory(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "nowhere")
	path := filepath.Join(dir, "audit.db")
	want(t, openErr(t, path), "open audit store "+path+": directory "+dir+" does not exist")
}

func TestOpenUnderAFile(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(file, "audit.db")
	want(t, openErr(t, path), "open audit store "+path+": "+file+" is not a directory")
}

func TestOpenDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	want(t, openErr(t, dir), "open audit store "+dir+": it is a directory")
}

func TestOpenCorrupt(t *testing.T) {
	t.Parallel()
	random := make([]byte, 64<<10)
	rand.Read(random)
	for name, content := range map[string][]byte{
		"random":  random,
		"text":    []byte("this is not a database\n"),
		"json":    bytes.Repeat([]byte(`{"event":"PreToolUse"}`+"\n"), 100),
		"trailer": append([]byte("SQLite format 3\x00"), random[:4096]...),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "audit.db")
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			msg := openErr(t, path)
			if !strings.HasPrefix(msg, "open audit store "+path+": not a govern audit database (") {
				t.Errorf("error %q does not say what is wrong with the file", msg)
			}
			want(t, msg, "open audit store "+path+": not a govern audit database (file is not a database)")
			if got, _ := os.ReadFile(path); !bytes.Equal(got, content) {
				t.Error("Open changed the corrupt file")
			}
		})
	}
}

func TestOpenEmptyFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "audit.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s := open(t, path) // an empty file is an empty database
	if err := s.Append(t.Context(), record(0)); err != nil {
		t.Fatal(err)
	}
}

func TestOpenForeignDatabase(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "other.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE customers (name TEXT)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	want(t, openErr(t, path), "open audit store "+path+": not a govern audit database (it holds other tables)")
}

func TestOpenNewerSchema(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "audit.db")
	s := open(t, path)
	if _, err := s.db.Exec("INSERT INTO govern_schema (version, name, applied) VALUES (3, '0003_future.sql', 'x')"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	ms, _ := migrations()
	want(t, openErr(t, path), "open audit store "+path+": audit database schema version 3 is newer than this govern ("+
		strconv.Itoa(len(ms))+"); upgrade govern")
}

// mountTmpfs mounts a tmpfs with opts on a new directory for the length of
// the test, or skips the test where mounting is not permitted.
func mountTmpfs(t *testing.T, opts string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", opts, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s)", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
			exec.Command("umount", "-l", dir).Run()
		}
	})
	return dir
}

func remount(t *testing.T, dir, opts string) {
	t.Helper()
	if out, err := exec.Command("mount", "-o", "remount,"+opts, dir).CombinedOutput(); err != nil {
		t.Fatalf("remount %s %s: %v: %s", dir, opts, err, out)
	}
}

// TestReadOnly opens an audit file that cannot be written: on a read-only
// mount when the test runs as root (root ignores file modes), else with
// the file's and directory's write bits cleared.
func TestReadOnly(t *testing.T) {
	t.Parallel()
	var dir string
	if os.Geteuid() == 0 {
		dir = mountTmpfs(t, "size=8m")
	} else {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, "audit.db")
	s := open(t, path)
	if err := s.Append(t.Context(), record(0)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if os.Geteuid() == 0 {
		remount(t, dir, "ro")
		defer remount(t, dir, "rw")
	} else {
		os.Chmod(path, 0o444)
		os.Chmod(dir, 0o555)
		defer os.Chmod(dir, 0o755)
	}

	want(t, openErr(t, path), "open audit store "+path+": file is read-only")
	fresh := filepath.Join(dir, "new.db")
	want(t, openErr(t, fresh), "open audit store "+fresh+": directory "+dir+" is read-only")
}

// TestDiskFull appends to a file on a full tmpfs: one clear line, nothing
// half-written, and the store works again once there is room.
func TestDiskFull(t *testing.T) {
	t.Parallel()
	dir := mountTmpfs(t, "size=1m") // room for a 256 KB record in the spool, the WAL and the database
	path := filepath.Join(dir, "audit.db")
	s := open(t, path)
	if err := s.Append(t.Context(), record(0)); err != nil {
		t.Fatal(err)
	}
	filler := filepath.Join(dir, "filler")
	fill(t, filler)

	big := record(1)
	big.Input, _ = json.Marshal(map[string]string{"content": strings.Repeat("x", 256<<10)})
	before := *big
	err := s.Append(t.Context(), big)
	if err == nil {
		t.Fatal("Append on a full disk succeeded")
	}
	want(t, err.Error(), "append to audit store "+path+": disk is full")
	if big.Seq != before.Seq || big.Hash != before.Hash || big.ID != before.ID {
		t.Errorf("failed Append left the record sealed: seq %d id %q", big.Seq, big.ID)
	}
	fresh := filepath.Join(dir, "new.db")
	want(t, openErr(t, fresh), "open audit store "+fresh+": disk is full")

	os.Remove(filler)
	if err := s.Append(t.Context(), big); err != nil {
		t.Fatalf("Append once there is room: %v", err)
	}
	rep, err := audit.Verify(t.Context(), s, nil)
	if err != nil || rep.Problem != nil || rep.Records != 2 {
		t.Fatalf("Verify after a full disk = %+v (problem %v), %v", rep, rep.Problem, err)
	}
}

// fill writes to path until the file system is full.
func fill(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 4096)
	for {
		if _, err := f.Write(buf); err != nil {
			return
		}
	}
}

// TestCorruptPages damages the middle of a database that was fine: reading
// it gives one clear line, never a panic.
func TestCorruptPages(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "audit.db")
	s := open(t, path)
	recs := make([]*govern.AuditRecord, 2000)
	for i := range recs {
		recs[i] = record(i)
	}
	if err := s.Append(t.Context(), recs...); err != nil {
		t.Fatal(err)
	}
	s.Close()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	garbage := make([]byte, 64<<10)
	rand.Read(garbage)
	if _, err := f.WriteAt(garbage, 64<<10); err != nil {
		t.Fatal(err)
	}
	f.Close()

	s, err = Open(t.Context(), path)
	if err != nil {
		t.Logf("Open: %v", err)
		return
	}
	defer s.Close()
	rep, err := audit.Verify(t.Context(), s, nil)
	switch {
	case err != nil:
		if strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "corrupt") {
			t.Errorf("Verify of a damaged file: %q, want one line saying it is corrupt", err)
		}
	case rep.Problem == nil:
		t.Errorf("Verify of a damaged file found nothing wrong in %d records", rep.Records)
	}
	t.Logf("Verify: %+v, %v", rep.Problem, err)
}
