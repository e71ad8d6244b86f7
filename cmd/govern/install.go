package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/govern-dev/govern/internal/install"
	"github.com/govern-dev/govern/internal/policy"
)

// runInstall renders Claude Code's managed settings from the enterprise
// policy and wires govern's hook into them.
func runInstall(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("govern install", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", "/", "install under `DIR` instead of / (to stage an image)")
	pol := fs.String("policy", "", "the enterprise policy `file` to install (required)")
	audit := fs.String("audit", "", "audit store `DSN` for the hook (default: its GOVERN_AUDIT or /var/lib/govern/audit.db)")
	bin := fs.String("bin", "", "absolute `path` of the govern binary the hook runs (default: this binary)")
	dry := fs.Bool("dry-run", false, "print a diff of what would change; write nothing")
	force := fs.Bool("force", false, "replace files changed since govern wrote them, keeping each as FILE"+install.EditedSuffix)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *pol == "" || fs.NArg() > 0 {
		fmt.Fprint(stderr, "usage: govern install [--root DIR] --policy FILE [--audit DSN] [--bin PATH] [--dry-run] [--force]\n")
		return 2
	}
	self, err := governPath(*bin, *root)
	if err != nil {
		fmt.Fprintf(stderr, "govern install: %v\n", err)
		return 1
	}
	plan, notes, err := install.Install(install.Options{
		Root: *root, Layout: install.LayoutFor(runtime.GOOS),
		Policy: *pol, Audit: *audit, Bin: self, Force: *force,
	})
	var ps policy.Problems
	if errors.As(err, &ps) {
		for _, p := range ps {
			fmt.Fprintln(stderr, p)
		}
		fmt.Fprintln(stderr, "govern install: the policy is invalid; nothing was written")
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "govern install: %v\n", err)
		return 1
	}
	for _, n := range notes {
		fmt.Fprintf(stderr, "govern install: note: %s\n", n)
	}
	return apply(plan, *dry, "govern install", "govern is installed; check it with `govern doctor"+rootFlag(*root)+"`", stdout, stderr)
}

// runUninstall puts back what govern install changed.
func runUninstall(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("govern uninstall", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", "/", "uninstall from under `DIR` instead of /")
	dry := fs.Bool("dry-run", false, "print a diff of what would change; write nothing")
	force := fs.Bool("force", false, "uninstall even files changed since govern wrote them, keeping each as FILE"+install.EditedSuffix)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprint(stderr, "usage: govern uninstall [--root DIR] [--dry-run] [--force]\n")
		return 2
	}
	plan, err := install.Uninstall(*root, install.LayoutFor(runtime.GOOS), *force)
	if err != nil {
		fmt.Fprintf(stderr, "govern uninstall: %v\n", err)
		return 1
	}
	return apply(plan, *dry, "govern uninstall", "govern is uninstalled", stdout, stderr)
}

// apply prints a plan's diff (dry run) or carries it out.
func apply(plan install.Plan, dry bool, name, done string, stdout, stderr io.Writer) int {
	if len(plan) == 0 {
		fmt.Fprintln(stdout, "nothing to change")
		return 0
	}
	if dry {
		if err := plan.Diff(stdout); err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
			return 1
		}
		return 0
	}
	if err := plan.Apply(stdout); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	fmt.Fprintln(stdout, done)
	return 0
}

// governPath is the absolute path of the govern binary the hook runs: bin,
// or this binary, symlinks resolved so that the hook keeps working when a
// link moves, unless the link's target is not named govern (a release
// file such as govern-1.2-linux-amd64): install, uninstall and doctor
// recognise govern's hook by its name. Outside a staging root it must
// exist.
func governPath(bin, root string) (string, error) {
	if bin == "" {
		self, err := os.Executable()
		if err != nil {
			return "", fmt.Errorf("find this binary (use --bin): %w", err)
		}
		bin = self
	}
	abs, err := filepath.Abs(bin)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		if !install.IsGovern(real) && install.IsGovern(abs) {
			return abs, nil
		}
		return real, nil
	} else if root == "" || root == "/" {
		return "", fmt.Errorf("--bin: %w", err)
	}
	return abs, nil
}

func rootFlag(root string) string {
	if root == "" || root == "/" {
		return ""
	}
	return " --root " + root
}

// runDoctor checks an installation end to end.
func runDoctor(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("govern doctor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", "/", "check the installation under `DIR` instead of /")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprint(stderr, "usage: govern doctor [--root DIR]\n")
		return 2
	}
	d := &install.Doctor{
		Root:   *root,
		Layout: install.LayoutFor(runtime.GOOS),
		OpenAudit: func(ctx context.Context, dsn string) ([]string, error) {
			s, err := openStore(ctx, dsn)
			if err != nil {
				return nil, err
			}
			var notes []string
			if a, ok := s.(interface{ SetAside() ([]string, error) }); ok {
				if files, _ := a.SetAside(); len(files) > 0 {
					notes = append(notes, fmt.Sprintf("records that did not continue the chain were set aside in %s", strings.Join(files, ", ")))
				}
			}
			return notes, s.Close()
		},
		DefaultAudit: defaultAudit,
		Getenv:       os.Getenv,
		LookPath:     exec.LookPath,
	}
	if install.Print(stdout, d.Run(context.Background())) > 0 {
		return 1
	}
	return 0
}
