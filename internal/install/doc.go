// Package install puts govern in front of Claude Code on one machine and
// checks that it stays there: `govern install`, `govern uninstall` and
// `govern doctor`.
//
// Install renders Claude Code's own managed settings from the enterprise
// policy, so that Claude Code's native permission rules and govern's hook
// defend in depth: the policy's rules translated to what Claude Code
// honours (Render), govern's hook wired on the events it answers (and, at
// auditLevel comprehensive, on every event the trail records) in exec
// form, which no shell or CLAUDE_CODE_SHELL_PREFIX stands between, merged
// into whatever managed settings the administrator already has (Merge),
// replacing any hook of govern's already there.
// Every change is planned first (a Plan of file changes), so a dry run
// prints exactly the diff that a real run writes. The settings found before
// the first install are kept beside the file, and a record of what govern
// wrote lets a re-install or an uninstall notice, and refuse to overwrite,
// an administrator's later edits.
//
// Doctor checks an installation end to end: files, drop-ins, permissions,
// the hook command and how it is wired, a dry PreToolUse round trip
// through it, the policy, the audit store, the server and Claude Code
// itself.
package install
