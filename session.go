package govern

import (
	"context"
	"time"
)

// SessionRecord is one Claude Code session as the session registry keeps
// it: the registry behind the policy's maxConcurrentSessions and
// sessionTimeout.
type SessionRecord struct {
	ID       string    `json:"id"`
	User     string    `json:"user"`
	Host     string    `json:"host,omitempty"`
	PID      int       `json:"pid,omitempty"` // Claude Code's process on Host (CLAUDE_PID); 0 when unknown
	Started  time.Time `json:"started"`
	LastSeen time.Time `json:"last_seen"`
	Ended    time.Time `json:"ended,omitzero"` // zero while the session is open
}

// SessionStore is the session registry. The audit stores implement it, so
// that one database holds both, shared by every machine of an
// organization on PostgreSQL.
type SessionStore interface {
	// TouchSession records that session s.ID was active at s.LastSeen. A
	// session the registry does not know is registered as started at
	// s.Started; an ended one is open again. With restart, a known session
	// starts again at s.Started (a session resumed or cleared). It returns
	// the session as stored.
	TouchSession(ctx context.Context, s SessionRecord, restart bool) (SessionRecord, error)
	// EndSession marks session id ended at t. Ending a session the
	// registry does not know does nothing.
	EndSession(ctx context.Context, id string, t time.Time) error
	// OpenSessions returns the user's sessions that have not ended and
	// were active at or after since, oldest start first.
	OpenSessions(ctx context.Context, user string, since time.Time) ([]SessionRecord, error)
}
