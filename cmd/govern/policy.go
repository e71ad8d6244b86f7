package main

import (
	"fmt"
	"io"

	"github.com/govern-dev/govern/internal/policy"
)

// runPolicy runs the policy subcommands.
func runPolicy(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, "usage: govern policy validate FILE...\n")
		return 2
	}
	switch args[0] {
	case "validate":
		if len(args) < 2 {
			fmt.Fprint(stderr, "usage: govern policy validate FILE...\n")
			return 2
		}
		if !policy.ValidateFiles(args[1:], stdout) {
			return 1
		}
		return 0
	}
	fmt.Fprintf(stderr, "govern policy: unknown subcommand %q\n", args[0])
	return 2
}
