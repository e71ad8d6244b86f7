// Package session keeps the session registry behind the policy's
// maxConcurrentSessions and sessionTimeout: which Claude Code sessions a
// user has open, and where a session stands among them. The registry
// lives in the audit store (govern.SessionStore); the hook registers a
// session on SessionStart and on its tool calls, and ends it on SessionEnd.
package session

import (
	"time"

	"github.com/govern-dev/govern"
)

// Idle is how long a session may go without a tool call before the
// session limits stop counting it as open: Claude Code does not always
// get to send SessionEnd (a crash, a killed terminal).
const Idle = 12 * time.Hour

// Place is what Decide needs to know of session this, given the user's
// open sessions as the registry lists them (this one among them or not):
// when it started, and its place among the open sessions by start, 1 for
// the oldest. Sessions past timeout (when it is not 0) no longer count:
// their calls are denied anyway. So with a limit of N, the N oldest
// sessions keep working and a newer one is told to wait, whatever order
// their calls come in.
func Place(this govern.SessionRecord, open []govern.SessionRecord, now time.Time, timeout time.Duration) govern.Session {
	place := 1
	for _, o := range open {
		if o.ID == this.ID || (timeout > 0 && now.Sub(o.Started) > timeout) {
			continue
		}
		if o.Started.Before(this.Started) || (o.Started.Equal(this.Started) && o.ID < this.ID) {
			place++
		}
	}
	return govern.Session{Started: this.Started, Place: place}
}
