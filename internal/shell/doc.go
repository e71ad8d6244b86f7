// Package shell tells what a shell command line really runs and writes.
//
// It parses the text with mvdan.cc/sh/v3/syntax and walks the tree: every
// simple command anywhere in it (pipelines, lists, subshells, control flow,
// command and process substitutions, arithmetic, parameter defaults, here-docs
// fed to shells, bash -c strings, eval, and the commands that wrappers such as
// sudo, env, timeout, xargs and find -exec run) comes out as a Command with its
// resolved program name and normalized flags, so that policy rules match what a
// command does rather than how it is spelled. Quoted arguments and quoted
// here-doc bodies stay data. Writes (redirections, tee, cp, mv, dd of=, sed -i,
// …) come out as Writes.
//
// Commands come in the order they run: the substitutions in a command's words
// before the command, a wrapper before the command it wraps. A command whose
// program, or whose code, is only known at run time ($x, bash -c "$x", curl …
// | sh) is marked Dynamic and raises a Finding. Relative write paths are
// resolved against the directories earlier cd commands in the line moved to.
//
// Analyze bounds its work: the text is checked lexically before it is parsed
// (the parser recurses once per nesting level), and the walk, the re-parsing
// of nested code, brace expansion and the number of commands are capped. What
// it cannot analyze it refuses with an error, and callers deny.
package shell
