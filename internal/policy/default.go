package policy

import _ "embed"

// Default is the recommended enterprise policy that `govern policy init`
// writes: everyday development allowed (reading, editing inside the
// project, tests, builds, commits), publishing, privilege escalation and
// force pushes denied, credentials unreadable, changes to infrastructure
// asked about, and its own test cases. Personas and the security scan
// review what the rules leave open.
//
//go:embed default.json
var Default []byte
