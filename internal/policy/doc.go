// Package policy is the enterprise policy file: it loads the file, checks
// it strictly and reports every problem with its line and column
// (policy.json:14:9: unknown tool "Bsh" in denyList), and compiles it into a
// Policy that the engine evaluates many times without parsing again.
//
// The file is the seed's managed-settings JSON (version, organization,
// enforced_at, permissions, hooks, environmentVariables, mcp, settings)
// with govern's additions beside it (askList, teams, scopes, personas,
// consensus, enforcement, protectedPaths, tests). Schema is its JSON Schema,
// for editors; File is its Go form.
//
// Checking happens in three passes over one scan of the bytes. A small
// scanner builds a tree of JSON values that remember their byte offsets
// (syntax errors, duplicate keys and invalid UTF-8 are found here). The
// decoder fills File from the tree by reflection over the Go types, so the
// types alone say which keys exist and what each holds. The compiler then
// checks what types cannot say (enumerations, rule syntax via
// internal/rule, globs, references between teams and scopes) and builds the
// Policy. Conditions (CEL) compile lazily, on first use: see Condition.
package policy
