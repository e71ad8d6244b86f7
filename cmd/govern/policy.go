package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/govern-dev/govern/internal/engine"
	"github.com/govern-dev/govern/internal/policy"
)

const policyUsage = "usage: govern policy validate FILE... | test FILE | init [--out FILE]\n"

// runPolicy runs the policy subcommands.
func runPolicy(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, policyUsage)
		return 2
	}
	switch args[0] {
	case "test":
		if len(args) != 2 {
			fmt.Fprint(stderr, "usage: govern policy test FILE\n")
			return 2
		}
		return policyTest(args[1], stdout, stderr)
	case "init":
		return policyInit(args[1:], stdout, stderr)
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
	fmt.Fprintf(stderr, "govern policy: unknown subcommand %q\n%s", args[0], policyUsage)
	return 2
}

// policyTest runs a policy's own test cases: a line per case, a summary,
// exit 1 when any fails.
func policyTest(file string, stdout, stderr io.Writer) int {
	p, err := policy.Load(file)
	if err != nil {
		fmt.Fprintf(stderr, "govern policy test: %v\n", err)
		return 1
	}
	if ps := p.CompileConditions(); ps != nil {
		fmt.Fprintf(stderr, "govern policy test: %v\n", ps)
		return 1
	}
	eng, err := engine.New(p, engine.WithoutCache())
	if err != nil {
		fmt.Fprintf(stderr, "govern policy test: %v\n", err)
		return 1
	}
	results := eng.RunTests(context.Background(), time.Now())
	failed := 0
	for i := range results {
		fmt.Fprintln(stdout, results[i].String())
		if !results[i].Pass() {
			failed++
		}
	}
	switch {
	case len(results) == 0:
		fmt.Fprintf(stdout, "%s has no tests\n", file)
	case failed > 0:
		fmt.Fprintf(stdout, "%d of %d tests failed\n", failed, len(results))
		return 1
	default:
		fmt.Fprintf(stdout, "all %d tests passed\n", len(results))
	}
	return 0
}

// policyInit writes the recommended enterprise default policy.
func policyInit(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("govern policy init", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "write to `FILE` (which must not exist) instead of stdout")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" {
		if _, err := stdout.Write(policy.Default); err != nil {
			fmt.Fprintf(stderr, "govern policy init: %v\n", err)
			return 1
		}
		return 0
	}
	if err := writeNew(*out, string(policy.Default), 0o644); err != nil {
		fmt.Fprintf(stderr, "govern policy init: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s: review it, then `govern policy test %s`\n", *out, *out)
	return 0
}
