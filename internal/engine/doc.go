// Package engine decides: Decide turns one Request into one explained
// Decision under a compiled policy. It does no I/O; what it needs from
// storage comes in with the Request, and the clock is the Request's Time.
//
// The pipeline (DESIGN.md §2): normalize the call (shell analysis, canonical
// paths, domains), the engine's own guards (unanalyzable input, bypass mode,
// session limits, protected paths), then enterprise deny → ask → allow, then
// the lower layers of the developer's own settings, which can only tighten.
package engine
