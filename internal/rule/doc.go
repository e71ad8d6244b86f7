// Package rule implements Claude Code's permission-rule syntax, Tool or
// Tool(specifier), parsed once and matched many times.
package rule
