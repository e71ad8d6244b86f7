package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/audit"
)

// The default places of the checkpoint keys on an installed machine.
const (
	defaultSignerKey   = "/etc/govern/audit.key"
	defaultVerifierKey = "/etc/govern/audit.pub"
)

func runAudit(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	const usage = "usage: govern audit list|verify|checkpoint|keygen [flags]\n"
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	sub := map[string]func([]string, io.Writer, io.Writer) int{
		"list": auditList, "verify": auditVerify, "checkpoint": auditCheckpoint, "keygen": auditKeygen,
	}[args[0]]
	if sub == nil {
		fmt.Fprintf(stderr, "govern audit: unknown subcommand %q\n%s", args[0], usage)
		return 2
	}
	return sub(args[1:], stdout, stderr)
}

func auditFlags(name string, c *config, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("govern audit "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.auditFlag(fs)
	return fs
}

// auditList prints the newest records that match, oldest first: a table
// for people, or one JSON object per line with --json.
func auditList(args []string, stdout, stderr io.Writer) int {
	var c config
	var f govern.AuditFilter
	var since, until, outcome string
	var asJSON bool
	fs := auditFlags("list", &c, stderr)
	fs.BoolVar(&asJSON, "json", false, "one JSON object per line")
	fs.StringVar(&since, "since", "", "records at or after `T` (RFC 3339, a date, or a duration ago such as 24h)")
	fs.StringVar(&until, "until", "", "records before `T`")
	fs.StringVar(&f.User, "user", "", "only this user's records")
	fs.StringVar(&f.Team, "team", "", "only this team's records")
	fs.StringVar(&f.Tool, "tool", "", "only calls of this tool")
	fs.StringVar(&f.Session, "session", "", "only this Claude Code session")
	fs.StringVar(&f.Event, "event", "", "only this hook `event` (PreToolUse, PostToolUse, SessionStart, …)")
	fs.StringVar(&outcome, "outcome", "", "only allow, ask, deny or none")
	fs.IntVar(&f.Limit, "limit", 50, "at most `N` records (the newest)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var err error
	now := time.Now()
	if f.Since, err = parseWhen(since, now); err != nil {
		fmt.Fprintf(stderr, "govern audit list: --since: %v\n", err)
		return 2
	}
	if f.Until, err = parseWhen(until, now); err != nil {
		fmt.Fprintf(stderr, "govern audit list: --until: %v\n", err)
		return 2
	}
	switch govern.Outcome(outcome) {
	case "", govern.Allow, govern.Ask, govern.Deny, govern.None:
		f.Outcome = govern.Outcome(outcome)
	default:
		fmt.Fprintf(stderr, "govern audit list: --outcome must be allow, ask, deny or none\n")
		return 2
	}
	f.Descending = true
	ctx := context.Background()
	store, err := openStore(ctx, c.auditDSN())
	if err != nil {
		fmt.Fprintf(stderr, "govern audit list: %v\n", err)
		return 1
	}
	defer store.Close()
	recs, err := store.List(ctx, f)
	if err != nil {
		fmt.Fprintf(stderr, "govern audit list: %v\n", err)
		return 1
	}
	slices.Reverse(recs)
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		for i := range recs {
			enc.Encode(&recs[i])
		}
		return 0
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SEQ\tTIME\tUSER\tTEAM\tEVENT\tTOOL\tOUTCOME\tRULE\tREASON")
	for _, r := range recs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Seq, r.Time.Local().Format("2006-01-02 15:04:05"),
			dash(r.User), dash(r.Team), r.Event, dash(r.Tool), dash(string(r.Outcome)), dash(r.Rule), clipText(detail(&r), 80))
	}
	tw.Flush()
	return 0
}

// parseWhen reads a time: RFC 3339, a date (midnight UTC), or a duration
// before now.
func parseWhen(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time, a date (2006-01-02) or a duration (24h)", s)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// detail is what the table says of a record: a decision's reason, else
// what happened (a call's status, exit code and duration; a session's
// source or end reason).
func detail(r *govern.AuditRecord) string {
	if r.Reason != "" {
		return r.Reason
	}
	if len(r.Result) > 0 {
		var res audit.RunResult
		if json.Unmarshal(r.Result, &res) == nil {
			s := res.Status
			if res.ExitCode != nil {
				s += fmt.Sprintf(", exit %d", *res.ExitCode)
			}
			if res.DurationMS > 0 {
				s += ", " + (time.Duration(res.DurationMS) * time.Millisecond).String()
			}
			return s
		}
	}
	var in struct{ Source, Reason string }
	if json.Unmarshal(r.Input, &in) == nil && (in.Source != "" || in.Reason != "") {
		return in.Source + in.Reason
	}
	return ""
}

func clipText(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// auditVerify re-computes the chain and checks it against every signed
// checkpoint it can authenticate: exit 0 with the count, or 1 with what was
// tampered.
func auditVerify(args []string, stdout, stderr io.Writer) int {
	var c config
	var keys multiFlag
	var cpFile string
	fs := auditFlags("verify", &c, stderr)
	fs.Var(&keys, "key", "verifier key `file` for signed checkpoints (repeatable; default "+defaultVerifierKey+" when present)")
	fs.StringVar(&cpFile, "checkpoints", "", "also check the signed checkpoints in `file` (JSON lines, as checkpoint --out writes)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if len(keys) == 0 {
		if _, err := os.Stat(defaultVerifierKey); err == nil {
			keys = append(keys, defaultVerifierKey)
		}
	}
	ctx := context.Background()
	store, err := openStore(ctx, c.auditDSN())
	if err != nil {
		fmt.Fprintf(stderr, "govern audit verify: %v\n", err)
		return 1
	}
	defer store.Close()
	cps, unchecked, err := loadCheckpoints(ctx, store, keys, cpFile)
	if err != nil {
		fmt.Fprintf(stderr, "govern audit verify: %v\n", err)
		return 1
	}
	rep, err := audit.Verify(ctx, store, cps)
	if err != nil {
		fmt.Fprintf(stderr, "govern audit verify: %v\n", err)
		return 1
	}
	if rep.Problem != nil {
		fmt.Fprintf(stdout, "TAMPERED: %s\n", rep.Problem.Msg)
		return 1
	}
	if s, ok := store.(interface{ SetAside() ([]string, error) }); ok {
		// Records a hook spooled after a head that something else had
		// appended after are kept apart (internal/sqlite/spool.go).
		files, err := s.SetAside()
		if err != nil {
			fmt.Fprintf(stderr, "govern audit verify: %v\n", err)
			return 1
		}
		if len(files) > 0 {
			fmt.Fprintf(stdout, "INCOMPLETE: %d records, chain intact, but records that did not continue it were set aside in %s\n", rep.Records, strings.Join(files, ", "))
			return 1
		}
	}
	fmt.Fprintf(stdout, "ok: %d records, chain intact, %d signed checkpoints match", rep.Records, rep.Checked)
	if unchecked > 0 {
		fmt.Fprintf(stdout, " (%d stored checkpoints not checked: no --key to verify them)", unchecked)
	}
	fmt.Fprintln(stdout)
	return 0
}

// loadCheckpoints authenticates the store's checkpoints and the file's with
// the verifier keys. Without keys nothing can be trusted, so stored
// checkpoints are only counted. A checkpoint that fails its signature is an
// error: someone forged or damaged it.
func loadCheckpoints(ctx context.Context, store govern.AuditStore, keyFiles []string, file string) ([]govern.Checkpoint, int, error) {
	stored, err := store.Checkpoints(ctx)
	if err != nil {
		return nil, 0, err
	}
	if file != "" {
		fromFile, err := readCheckpointFile(file)
		if err != nil {
			return nil, 0, err
		}
		stored = append(stored, fromFile...)
	}
	if len(keyFiles) == 0 {
		if file != "" {
			return nil, 0, errors.New("--checkpoints needs --key to verify their signatures")
		}
		return nil, len(stored), nil
	}
	var keys []string
	for _, f := range keyFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, 0, fmt.Errorf("read verifier key: %w", err)
		}
		keys = append(keys, strings.TrimSpace(string(b)))
	}
	out := make([]govern.Checkpoint, 0, len(stored))
	for _, s := range stored {
		c, err := audit.OpenCheckpoint(s.Note, keys...)
		if err != nil {
			return nil, 0, fmt.Errorf("checkpoint at record %d: %w", s.Seq, err)
		}
		out = append(out, c)
	}
	return out, 0, nil
}

func readCheckpointFile(path string) ([]govern.Checkpoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read checkpoints: %w", err)
	}
	defer f.Close()
	var out []govern.Checkpoint
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var c govern.Checkpoint
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, n, err)
		}
		out = append(out, c)
	}
	return out, sc.Err()
}

// auditCheckpoint signs the chain's head and keeps the checkpoint in the
// store and, with --out, in a file outside it.
func auditCheckpoint(args []string, stdout, stderr io.Writer) int {
	var c config
	var keyFile, out string
	fs := auditFlags("checkpoint", &c, stderr)
	fs.StringVar(&keyFile, "key", defaultSignerKey, "signing key `file` (from govern audit keygen)")
	fs.StringVar(&out, "out", "", "also append the checkpoint to `file`, kept where the database's writers cannot reach")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	skey, err := os.ReadFile(keyFile)
	if err != nil {
		fmt.Fprintf(stderr, "govern audit checkpoint: read signing key: %v\n", err)
		return 1
	}
	ctx := context.Background()
	store, err := openStore(ctx, c.auditDSN())
	if err != nil {
		fmt.Fprintf(stderr, "govern audit checkpoint: %v\n", err)
		return 1
	}
	defer store.Close()
	head, err := store.List(ctx, govern.AuditFilter{Descending: true, Limit: 1})
	if err != nil {
		fmt.Fprintf(stderr, "govern audit checkpoint: %v\n", err)
		return 1
	}
	seq, hash := int64(0), audit.Genesis
	if len(head) == 1 {
		seq, hash = head[0].Seq, head[0].Hash
	}
	cp, err := audit.SignCheckpoint(string(skey), seq, hash, time.Now())
	if err == nil {
		err = store.AddCheckpoint(ctx, cp)
	}
	if err == nil && out != "" {
		err = appendCheckpointFile(out, cp)
	}
	if err != nil {
		fmt.Fprintf(stderr, "govern audit checkpoint: %v\n", err)
		return 1
	}
	fmt.Fprint(stdout, cp.Note)
	return 0
}

func appendCheckpointFile(path string, cp govern.Checkpoint) error {
	line, err := json.Marshal(cp)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("write checkpoint file: %w", err)
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("write checkpoint file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("write checkpoint file: %w", err)
	}
	return f.Close()
}

// auditKeygen writes a new checkpoint signing key and its verifier key.
func auditKeygen(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("govern audit keygen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	host, _ := os.Hostname()
	name := fs.String("name", "govern-"+host, "key `name`, shown in signatures")
	out := fs.String("out", "audit", "write `PREFIX`.key (secret, mode 0600) and PREFIX.pub")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	skey, vkey, err := audit.NewKey(*name)
	if err == nil {
		err = writeNew(*out+".key", skey+"\n", 0o600)
	}
	if err == nil {
		err = writeNew(*out+".pub", vkey+"\n", 0o644)
	}
	if err != nil {
		fmt.Fprintf(stderr, "govern audit keygen: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s.key (keep it secret, outside the audit database) and %s.pub (%s)\n", *out, *out, vkey)
	return 0
}

// writeNew writes a file that must not exist yet: a key is never replaced
// by accident.
func writeNew(path, data string, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }
