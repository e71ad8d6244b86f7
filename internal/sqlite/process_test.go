package sqlite

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/audit"
)

// The child processes are this test binary, re-run with these variables.
const (
	envDB    = "GOVERN_TEST_APPENDER_DB"    // the database file
	envCount = "GOVERN_TEST_APPENDER_COUNT" // appends to make; 0 means until killed
	envName  = "GOVERN_TEST_APPENDER_NAME"  // the user the records carry
	envBatch = "GOVERN_TEST_APPENDER_BATCH" // records per Append; 0 means 1
	envHook  = "GOVERN_TEST_APPENDER_HOOK"  // "1": append through an Appender, as a hook does
)

// TestHelperAppender is not a test: it is the child process of the
// multi-process tests. It appends one record at a time, as a hook does (or
// batches, as the server does), and prints "seq id" for each record after
// its Append returns.
func TestHelperAppender(t *testing.T) {
	path := os.Getenv(envDB)
	if path == "" {
		t.Skip("child process of TestProcesses*; runs only when " + envDB + " is set")
	}
	n, _ := strconv.Atoi(os.Getenv(envCount))
	batch, _ := strconv.Atoi(os.Getenv(envBatch))
	batch = max(batch, 1)
	ctx := context.Background()
	var s interface {
		Append(context.Context, ...*govern.AuditRecord) error
		Close() error
	}
	var err error
	if os.Getenv(envHook) == "1" {
		s, err = OpenAppender(path)
	} else {
		s, err = Open(ctx, path)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	out := bufio.NewWriter(os.Stdout)
	for i := 0; n == 0 || i < n; i += batch {
		recs := make([]*govern.AuditRecord, batch)
		for j := range recs {
			recs[j] = record(i + j)
			recs[j].User = os.Getenv(envName)
		}
		if err := s.Append(ctx, recs...); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(4)
		}
		for _, r := range recs {
			fmt.Fprintf(out, "%d %s\n", r.Seq, r.ID)
		}
		if err := out.Flush(); err != nil { // before the next append: the parent may kill us at any time
			os.Exit(5)
		}
	}
	s.Close()
	os.Exit(0)
}

// appender starts a child appending to path, through an Appender when
// hook is set.
func appender(t *testing.T, path, name string, count, batch int, hook bool) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperAppender$", "-test.count=1")
	cmd.Env = append(os.Environ(), envDB+"="+path, envCount+"="+strconv.Itoa(count), envName+"="+name,
		envBatch+"="+strconv.Itoa(batch))
	if hook {
		cmd.Env = append(cmd.Env, envHook+"=1")
	}
	cmd.Stderr = &strings.Builder{}
	return cmd
}

// parse adds what a child printed (seq → id) to into and returns how many
// lines it read.
func parse(t *testing.T, name string, out string, into map[int64]string) int {
	t.Helper()
	n := 0
	for line := range strings.Lines(out) {
		seqText, id, ok := strings.Cut(strings.TrimSpace(line), " ")
		seq, err := strconv.ParseInt(seqText, 10, 64)
		if !ok || err != nil {
			if strings.HasSuffix(line, "\n") {
				t.Fatalf("%s printed %q", name, line)
			}
			continue // cut short by the kill
		}
		if other, dup := into[seq]; dup {
			t.Fatalf("seq %d returned to two appenders: %s and %s", seq, other, id)
		}
		into[seq] = id
		n++
	}
	return n
}

// checkAll opens path and checks that every record in want is stored at
// its seq, that nothing else is (when exact), and that the chain
// verifies. It returns how many records each user has.
func checkAll(t *testing.T, path string, want map[int64]string, exact bool) map[string]int {
	t.Helper()
	s := open(t, path)
	stored := map[int64]string{}
	users := map[string]int{}
	err := s.Scan(t.Context(), 0, func(r *govern.AuditRecord) error {
		stored[r.Seq] = r.ID
		users[r.User]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for seq, id := range want {
		if stored[seq] != id {
			t.Errorf("record %d (%s) was appended but the store has %q there", seq, id, stored[seq])
		}
	}
	if exact && len(stored) != len(want) {
		t.Errorf("the store holds %d records, the appenders appended %d", len(stored), len(want))
	}
	rep, err := audit.Verify(t.Context(), s, nil)
	if err != nil || rep.Problem != nil || rep.Records != int64(len(stored)) {
		t.Fatalf("Verify = %+v (problem %v), %v", rep, rep.Problem, err)
	}
	t.Logf("%d records stored, %d confirmed to appenders, chain intact", len(stored), len(want))
	return users
}

// TestProcessesAppend runs 64 processes that open one new file at the same
// moment and append 50 records each, one per Append: half of them through
// an Appender, as hooks do, half through the store.
func TestProcessesAppend(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("64 processes; skipped with -short")
	}
	const procs, each = 64, 50
	path := filepath.Join(t.TempDir(), "audit.db")
	var mu sync.Mutex
	var wg sync.WaitGroup
	want := map[int64]string{}
	start := time.Now()
	for p := range procs {
		name := fmt.Sprintf("proc-%d", p)
		cmd := appender(t, path, name, each, 1, p%2 == 0)
		wg.Go(func() {
			out, err := cmd.Output()
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Errorf("%s: %v: %s", name, err, cmd.Stderr)
				return
			}
			if n := parse(t, name, string(out), want); n != each {
				t.Errorf("%s confirmed %d appends, want %d", name, n, each)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	t.Logf("%d processes × %d appends in %v", procs, each, time.Since(start).Round(time.Millisecond))
	checkAll(t, path, want, true)
}

// TestProcessesKilled kills appending processes with SIGKILL mid-stream:
// every record whose Append returned must be there, the chain must
// verify, and a batch is there whole or not at all.
func TestProcessesKilled(t *testing.T) {
	t.Parallel()
	const lines = 300
	batches := []int{1, 1, 7, 25, 1, 3}                     // records per Append, per child
	hooks := []bool{false, false, false, false, true, true} // through an Appender
	procs := len(batches)
	path := filepath.Join(t.TempDir(), "audit.db")
	s := open(t, path) // create the file first
	s.Close()

	type child struct {
		cmd  *exec.Cmd
		out  strings.Builder
		done chan struct{}
	}
	var printed atomic.Int64
	enough := make(chan struct{})
	children := make([]*child, procs)
	for i := range children {
		c := &child{cmd: appender(t, path, fmt.Sprintf("killed-%d", i), 0, batches[i], hooks[i]), done: make(chan struct{})}
		pipe, err := c.cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := c.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() {
			defer close(c.done)
			r := bufio.NewReader(pipe)
			for {
				line, err := r.ReadString('\n')
				c.out.WriteString(line)
				if err != nil {
					return
				}
				if printed.Add(1) == lines {
					close(enough)
				}
			}
		}()
		children[i] = c
	}
	select {
	case <-enough:
	case <-time.After(time.Minute):
		t.Errorf("appenders printed %d lines in a minute, want %d", printed.Load(), lines)
	}
	for _, c := range children {
		if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
	}
	want := map[int64]string{}
	for i, c := range children {
		<-c.done
		err := c.cmd.Wait()
		if ws, ok := c.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("child %d ended with %v before the kill: %s", i, err, c.cmd.Stderr)
		}
		parse(t, fmt.Sprintf("child %d", i), c.out.String(), want)
	}
	if len(want) < lines {
		t.Fatalf("children confirmed %d appends, want at least %d", len(want), lines)
	}
	users := checkAll(t, path, want, false)
	for i, b := range batches {
		if n := users[fmt.Sprintf("killed-%d", i)]; n%b != 0 {
			t.Errorf("child %d appended batches of %d, but %d of its records are stored", i, b, n)
		}
	}
}
