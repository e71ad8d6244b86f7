package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/claude"
)

// checkOutput is what `govern check` prints: the decision, and the call it
// is about.
type checkOutput struct {
	Event string `json:"event"`
	Tool  string `json:"tool,omitempty"`
	govern.Decision
}

// runCheck decides one hook event like `govern hook` and prints the whole
// explained decision as JSON. Unlike the hook it is for people and
// scripts: problems are errors (exit 1), outcomes are data (exit 0).
func runCheck(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var c config
	fs := c.flags("check", stderr)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ev, err := claude.ReadEvent(stdin)
	if err != nil {
		fmt.Fprintf(stderr, "govern check: %v\n", err)
		return 1
	}
	if !ev.ToolEvent() {
		fmt.Fprintf(stderr, "govern check: %s is not a tool event; check decides tool calls\n", ev.HookEventName)
		return 1
	}
	eng, err := c.loadEngine()
	if err != nil {
		fmt.Fprintf(stderr, "govern check: %v\n", err)
		return 1
	}
	req, skipped := decisionRequest(ev, eng.Policy(), time.Now())
	for _, err := range skipped {
		fmt.Fprintf(stderr, "govern check: skipped: %v\n", err)
	}
	d, err := c.decideAndRecord(context.Background(), eng, &req, false)
	if err != nil {
		fmt.Fprintf(stderr, "govern check: %v\n", err)
		return 1
	}
	out, err := json.MarshalIndent(checkOutput{Event: ev.HookEventName, Tool: ev.ToolName, Decision: d}, "", "  ")
	if err != nil {
		fmt.Fprintf(stderr, "govern check: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s\n", out)
	return 0
}
