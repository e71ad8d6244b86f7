package sqlite

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/audit"
)

// The spool is the write-ahead file of the chain, beside the database as
// PATH-spool: one JSON line per sealed record. Every append takes its lock
// (flock), seals the records after its last line, writes them and syncs
// them: that is when they are durable. A hook process stops there (see
// Appender); the database takes the lines in, the import, when a store
// appends, opens, or when enough of them wait, and the spool is cut back
// to one anchor line, {"seq":N,"hash":H}, the head of the chain.
//
// So a hook appends with one small write and one fdatasync, without the
// cost of opening SQLite, and the chain stays one chain: the spool's lock
// orders every writer, and its last line is always the head.
//
// After a crash the spool is never behind the database: its lines are
// synced before they are imported (a hook killed before its own sync may
// have left one only in the page cache), and the database's head is always
// among them, or is the anchor. The cut after an import is not synced: a
// spool that comes back with lines already imported has them skipped. A
// spool that is behind all the same (something else wrote the database)
// costs nothing while nothing waits in it, since the store seals its own
// records after the database's head; records waiting in it are set aside.

// spoolSuffix names the spool beside the database.
const spoolSuffix = "-spool"

// maxPending is how many records may wait in the spool before an Appender
// imports them: one hook process in about this many pays for the import.
const maxPending = 32

// spool is an open spool file.
type spool struct {
	f    *os.File
	path string
	// held orders the goroutines of this process: flock excludes other
	// open files, not the holders of this one.
	held chan struct{}
}

// openSpool opens the spool of the database at dbPath, creating it with
// the database's permissions and owner, as SQLite creates its -wal and
// -shm files: the spool holds the same records.
func openSpool(dbPath string) (*spool, error) {
	path := dbPath + spoolSuffix
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		f, err = createLike(path, dbPath)
	}
	if err != nil {
		return nil, err
	}
	return &spool{f: f, path: path, held: make(chan struct{}, 1)}, nil
}

// createLike creates the file at path with the mode and owner of the file
// at like (0644 when like does not exist yet), and syncs its directory so
// that the new name survives a crash.
func createLike(path, like string) (*os.File, error) {
	mode, owner := fs.FileMode(0o644), (*syscall.Stat_t)(nil)
	if fi, err := os.Stat(like); err == nil {
		mode = fi.Mode().Perm()
		owner, _ = fi.Sys().(*syscall.Stat_t)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, mode)
	if errors.Is(err, fs.ErrExist) { // another process created it first
		return os.OpenFile(path, os.O_RDWR, 0)
	}
	if err != nil {
		return nil, err
	}
	f.Chmod(mode) // past the umask, as the database has it
	if owner != nil && os.Geteuid() == 0 {
		f.Chown(int(owner.Uid), int(owner.Gid))
	}
	if dir, err := os.Open(filepath.Dir(path)); err == nil {
		dir.Sync()
		dir.Close()
	}
	return f, nil
}

func (s *spool) close() error { return s.f.Close() }

// errSpoolLocked is returned when the spool's lock is not free within the
// busy timeout.
var errSpoolLocked = errors.New("the audit spool is locked by another process")

// lock takes the spool's lock, waiting for another process to release it
// until ctx ends or the busy timeout passes.
func (s *spool) lock(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	deadline := time.Now().Add(BusyTimeoutMS * time.Millisecond)
	select {
	case s.held <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	for {
		err := syscall.Flock(int(s.f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			<-s.held
			return err
		}
		if time.Now().After(deadline) {
			<-s.held
			return errSpoolLocked
		}
		select {
		case <-ctx.Done():
			<-s.held
			return ctx.Err()
		case <-time.After(time.Duration(500+rand.IntN(1500)) * time.Microsecond):
		}
	}
}

func (s *spool) unlock() {
	syscall.Flock(int(s.f.Fd()), syscall.LOCK_UN)
	<-s.held
}

// spoolLines is what the spool holds, read under its lock.
type spoolLines struct {
	data  []byte // whole lines only
	lines int
}

// read reads the spool. A last line without its newline was being written
// when its writer died, before its append returned: it is cut off.
func (s *spool) read() (spoolLines, error) {
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return spoolLines{}, err
	}
	data, err := io.ReadAll(s.f)
	if err != nil {
		return spoolLines{}, err
	}
	if whole := bytes.LastIndexByte(data, '\n') + 1; whole < len(data) {
		data = data[:whole]
		if err := s.f.Truncate(int64(whole)); err != nil {
			return spoolLines{}, err
		}
	}
	return spoolLines{data: data, lines: bytes.Count(data, []byte{'\n'})}, nil
}

// anchorOnly reports whether the spool holds its anchor and nothing else:
// nothing waits to be imported.
func (l spoolLines) anchorOnly() bool {
	return l.lines == 1 && !bytes.Contains(l.data, []byte(`"id":`))
}

// spoolHead is the head of the chain as a spool line gives it.
type spoolHead struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// head returns the last line's seq and hash; ok is false for an empty
// spool.
func (l spoolLines) head() (h spoolHead, ok bool, err error) {
	if l.lines == 0 {
		return h, false, nil
	}
	last := l.data[bytes.LastIndexByte(l.data[:len(l.data)-1], '\n')+1:]
	if err := json.Unmarshal(last, &h); err != nil || h.Hash == "" {
		return h, false, fmt.Errorf("its last line is not a record")
	}
	return h, true, nil
}

// records decodes every line.
func (l spoolLines) records() ([]*govern.AuditRecord, error) {
	recs := make([]*govern.AuditRecord, 0, l.lines)
	n := 0
	for line := range bytes.Lines(l.data) {
		n++
		r := new(govern.AuditRecord)
		if err := json.Unmarshal(line, r); err != nil || r.Hash == "" {
			return nil, fmt.Errorf("line %d is not a record", n)
		}
		recs = append(recs, r)
	}
	return recs, nil
}

// add seals recs after head and writes them at the end of the spool, then
// syncs it. On error the spool is as it was and recs are unsealed.
func (s *spool) add(l spoolLines, head spoolHead, recs []*govern.AuditRecord) error {
	saved := make([]govern.AuditRecord, len(recs))
	for i, r := range recs {
		saved[i] = *r
	}
	restore := func() {
		for i, r := range recs {
			*r = saved[i]
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	seq, prev := head.Seq, head.Hash
	for _, r := range recs {
		if err := audit.Seal(r, seq, prev); err != nil {
			restore()
			return err
		}
		if err := enc.Encode(r); err != nil {
			restore()
			return err
		}
		seq, prev = r.Seq, r.Hash
	}
	end := int64(len(l.data))
	_, err := s.f.WriteAt(buf.Bytes(), end)
	if err == nil {
		err = s.f.Sync()
	}
	if err != nil {
		s.cut(l)
		restore()
		return err
	}
	return nil
}

// cut takes back what add wrote after l, durably, when it or the import
// of it failed.
func (s *spool) cut(l spoolLines) error {
	if err := s.f.Truncate(int64(len(l.data))); err != nil {
		return err
	}
	return s.f.Sync()
}

// reset leaves only the anchor line for head, after an import. It is not
// synced: see the package comment above.
func (s *spool) reset(head spoolHead) error {
	line, _ := json.Marshal(head)
	if err := s.f.Truncate(0); err != nil {
		return err
	}
	_, err := s.f.WriteAt(append(line, '\n'), 0)
	return err
}

// asideSuffix, after the spool's name and a time, names a file of records
// that did not continue the database when they were imported.
const asideSuffix = ".aside-"

// setAside writes recs, as spool lines, to a file of their own beside the
// spool, and syncs it.
func (s *AuditStore) setAside(recs []*govern.AuditRecord) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	path := s.spool.path + asideSuffix + time.Now().UTC().Format("20060102T150405.000000000Z")
	f, err := createLike(path, s.spool.path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Write(buf.Bytes()); err != nil {
		return err
	}
	return f.Sync()
}

// SetAside returns the files of records that were set aside because they
// did not continue the database: the trail is not whole while one exists.
func (s *AuditStore) SetAside() ([]string, error) {
	dir, prefix := filepath.Split(s.spool.path + asideSuffix)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	return files, nil
}
