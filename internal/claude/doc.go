// Package claude speaks Claude Code's formats: hook events in, hook answers
// out, the tool inputs inside events, and the permission rules of Claude
// Code's own settings files. See ../shared/claude-code-hooks.md.
package claude
