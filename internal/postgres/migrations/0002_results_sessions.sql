-- What a call that ran did (PostToolUse, PostToolUseFailure): canonical
-- JSON (text, like input), NULL when the record has none.
ALTER TABLE audit_records ADD COLUMN result text;

-- The session registry behind maxConcurrentSessions and sessionTimeout,
-- shared by every machine and replica. It is bookkeeping, not evidence:
-- the audit trail records the sessions' starts and ends.
CREATE TABLE sessions (
    id        text        PRIMARY KEY,
    user_name text        NOT NULL,
    host      text        NOT NULL DEFAULT '',
    pid       bigint      NOT NULL DEFAULT 0,
    started   timestamptz NOT NULL,
    last_seen timestamptz NOT NULL,
    ended     timestamptz                      -- NULL while open
);

CREATE INDEX sessions_open ON sessions (user_name, last_seen) WHERE ended IS NULL;
