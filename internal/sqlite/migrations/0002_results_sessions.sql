-- What a call that ran did (PostToolUse, PostToolUseFailure): canonical
-- JSON, NULL when the record has none.
ALTER TABLE audit_records ADD COLUMN result TEXT;

-- The session registry behind maxConcurrentSessions and sessionTimeout.
-- It is bookkeeping, not evidence: the audit trail records the sessions'
-- starts and ends.
CREATE TABLE sessions (
	id        TEXT    PRIMARY KEY,
	user_name TEXT    NOT NULL,
	host      TEXT    NOT NULL DEFAULT '',
	pid       INTEGER NOT NULL DEFAULT 0,
	started   TEXT    NOT NULL,              -- audit.TimeFormat
	last_seen TEXT    NOT NULL,
	ended     TEXT                           -- NULL while open
) STRICT;

CREATE INDEX sessions_open ON sessions (user_name, last_seen) WHERE ended IS NULL;
