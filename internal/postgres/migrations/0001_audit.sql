-- The audit trail: one row per record, columns named after the record's
-- JSON names (user_name for user, which SQL reserves), as internal/storetest
-- expects. seq is the primary key, so two records can never claim the same
-- place in the chain even if sequencing went wrong.
CREATE TABLE audit_records (
    seq             bigint      PRIMARY KEY,
    id              text        NOT NULL UNIQUE,
    time            timestamptz NOT NULL,
    event           text        NOT NULL DEFAULT '',
    session         text        NOT NULL DEFAULT '',
    user_name       text        NOT NULL DEFAULT '',
    team            text        NOT NULL DEFAULT '',
    host            text        NOT NULL DEFAULT '',
    tool            text        NOT NULL DEFAULT '',
    input           text,                            -- canonical JSON (not jsonb: it would reorder keys); NULL for none
    outcome         text        NOT NULL DEFAULT '',
    reason          text        NOT NULL DEFAULT '',
    risk            text        NOT NULL DEFAULT '',
    rule            text        NOT NULL DEFAULT '',
    layer           text        NOT NULL DEFAULT '',
    personas        text        NOT NULL DEFAULT '[]', -- JSON array of strings
    recommendations text        NOT NULL DEFAULT '[]',
    policy_revision text        NOT NULL DEFAULT '',
    latency_us      bigint      NOT NULL DEFAULT 0,
    prev_hash       text        NOT NULL,
    hash            text        NOT NULL
);

CREATE INDEX audit_records_time    ON audit_records (time, seq);
CREATE INDEX audit_records_user    ON audit_records (user_name, seq);
CREATE INDEX audit_records_team    ON audit_records (team, seq);
CREATE INDEX audit_records_tool    ON audit_records (tool, seq);
CREATE INDEX audit_records_session ON audit_records (session, seq);
CREATE INDEX audit_records_outcome ON audit_records (outcome, seq);

-- The head of the chain, one row. Appenders lock it (SELECT … FOR UPDATE),
-- which orders them across every replica sharing the database. It is also a
-- second copy of the head: a tail deleted from audit_records still leaves
-- the next record pointing at it.
CREATE TABLE audit_head (
    one  boolean PRIMARY KEY DEFAULT true CHECK (one),
    seq  bigint  NOT NULL,
    hash text    NOT NULL
);
INSERT INTO audit_head (one, seq, hash)
VALUES (true, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Signed checkpoints of the chain head.
CREATE TABLE audit_checkpoints (
    seq  bigint      NOT NULL,
    hash text        NOT NULL,
    time timestamptz NOT NULL,
    note text        NOT NULL
);
-- The same note twice is one checkpoint.
CREATE UNIQUE INDEX audit_checkpoints_seq ON audit_checkpoints (seq, md5(note));
