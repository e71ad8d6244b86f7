-- The audit trail: one row per record, every field in its own column.
-- Column names follow the record's JSON names (user_name: "user" is
-- reserved in SQL); internal/storetest documents them for every store.
CREATE TABLE audit_records (
	seq             INTEGER PRIMARY KEY,         -- the chain position; unique, so the chain cannot fork
	id              TEXT    NOT NULL UNIQUE,
	time            TEXT    NOT NULL,            -- audit.TimeFormat, UTC, sorts as text
	event           TEXT    NOT NULL DEFAULT '',
	session         TEXT    NOT NULL DEFAULT '',
	user_name       TEXT    NOT NULL DEFAULT '',
	team            TEXT    NOT NULL DEFAULT '',
	host            TEXT    NOT NULL DEFAULT '',
	tool            TEXT    NOT NULL DEFAULT '',
	input           TEXT,                        -- canonical JSON, NULL when the record has none
	outcome         TEXT    NOT NULL DEFAULT '',
	reason          TEXT    NOT NULL DEFAULT '',
	risk            TEXT    NOT NULL DEFAULT '',
	rule            TEXT    NOT NULL DEFAULT '',
	layer           TEXT    NOT NULL DEFAULT '',
	personas        TEXT    NOT NULL DEFAULT '[]', -- JSON array
	recommendations TEXT    NOT NULL DEFAULT '[]', -- JSON array
	policy_revision TEXT    NOT NULL DEFAULT '',
	latency_us      INTEGER NOT NULL DEFAULT 0,
	prev_hash       TEXT    NOT NULL,
	hash            TEXT    NOT NULL
) STRICT;

-- List's filters; each ends in seq so that filtered pages come in order.
CREATE INDEX audit_records_time ON audit_records (time);
CREATE INDEX audit_records_user ON audit_records (user_name, seq);
CREATE INDEX audit_records_team ON audit_records (team, seq);
CREATE INDEX audit_records_tool ON audit_records (tool, seq);
CREATE INDEX audit_records_session ON audit_records (session, seq);
CREATE INDEX audit_records_outcome ON audit_records (outcome, seq);
CREATE INDEX audit_records_event ON audit_records (event, seq);

-- Signed checkpoints of the chain's head.
CREATE TABLE audit_checkpoints (
	id   INTEGER PRIMARY KEY,
	seq  INTEGER NOT NULL,
	hash TEXT    NOT NULL,
	time TEXT    NOT NULL,                       -- audit.TimeFormat
	note TEXT    NOT NULL
) STRICT;

-- The same note twice is one checkpoint.
CREATE UNIQUE INDEX audit_checkpoints_seq ON audit_checkpoints (seq, note);
