// Command govern enforces an organization's policy on AI coding agents.
//
// See the README for the commands; `govern help` lists them.
package main

import (
	"fmt"
	"io"
	"os"
)

const usage = `govern enforces an organization's policy on AI coding agents.

Usage:
  govern hook   [--policy FILE] [--audit DSN]   one Claude Code hook event on stdin → Claude Code answer
  govern check  [--policy FILE] [--audit DSN]   same input; prints the explained decision as JSON
  govern policy validate FILE...                exit 0, or file:line:col: message per problem and exit 1
  govern policy init [--out FILE]               write the recommended enterprise default policy
  govern policy test FILE                       run the policy's own test cases
  govern audit list [--json] [--since --until --user --team --tool --outcome --session --limit]
  govern audit verify [--audit DSN] [--key FILE] [--checkpoints FILE]
  govern audit checkpoint [--audit DSN] [--key FILE] [--out FILE]
  govern audit keygen [--name NAME] [--out PREFIX]
  govern install [--root DIR] --policy FILE [--audit DSN] [--bin PATH] [--dry-run] [--force]
                                                install the policy and wire govern into Claude Code's
                                                managed settings (merged with what is there)
  govern uninstall [--root DIR] [--dry-run] [--force]
                                                put back what govern install changed
  govern doctor [--root DIR]                    check an installation end to end; exit 1 if a check fails

Environment:
  GOVERN_POLICY   policy file (default /etc/govern/policy.json); --policy beats it
  GOVERN_AUDIT    audit store: a SQLite file or postgres://… (default /var/lib/govern/audit.db,
                  or $XDG_STATE_HOME/govern/audit.db when that is not writable); --audit beats it
  GOVERN_TEAM     the team to decide for, instead of the policy's team mapping
`

// command is one subcommand: it gets its arguments and the process's
// streams, and returns the exit code.
type command func(args []string, stdin io.Reader, stdout, stderr io.Writer) int

var commands = map[string]command{
	"hook":   runHook,
	"check":  runCheck,
	"policy": runPolicy,
	"audit":  runAudit,

	"install":   runInstall,
	"uninstall": runUninstall,
	"doctor":    runDoctor,
}

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "govern: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	return cmd(args[1:], stdin, stdout, stderr)
}
