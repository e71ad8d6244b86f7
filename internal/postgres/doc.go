// Package postgres is the audit store for organizations: any number of
// govern serve replicas share one PostgreSQL database, and its replication
// and backups keep the trail.
//
// Open connects with a pgxpool, runs the embedded schema migrations
// (forward only, versioned in govern_migrations, under an advisory lock so
// replicas may start together) and returns an [AuditStore] that implements
// govern.AuditStore. The DSN's search_path chooses the schema.
//
// # Ordering the chain
//
// Append runs one transaction: it locks the single row of audit_head
// (SELECT … FOR UPDATE), which orders appenders across every replica, seals
// each record after the head with audit.Seal, inserts them (a pipelined
// batch, or COPY for large batches), moves the head and commits. seq is the
// primary key of audit_records, so even a sequencing bug could not fork the
// chain: the second record at a position would fail to insert. Append
// returns only after COMMIT, with synchronous_commit at least "on" (the
// store raises it from "off" on every connection), so a returned record is
// durable. audit_head is also a second copy of the head: a tail deleted
// behind the store's back is not reused, the next record points past the
// gap and verification reports it. A pooled connection the server dropped
// (a restart, a failover) is replaced and the append retried once when
// nothing was written yet. The lock is held through the commit's WAL flush, so single
// appends from many replicas run one flush at a time; batch them (the
// server's group commit) for throughput.
//
// Inside the same transaction Append sends NOTIFY govern_audit with the
// payload "<schema>:<seq>" (the store's schema, the new head's seq): the
// seam for the live stream, which fans out across replicas with LISTEN.
// Channels are per database, not per schema, so listeners keep the
// payloads of their own schema.
//
// # Storage
//
// Every record field has its own column in audit_records, named after its
// JSON name (user_name for user, which SQL reserves), the layout that
// internal/storetest writes to when it tampers: time is a timestamptz,
// which holds microseconds exactly as sealed records do; input is the
// canonical JSON as text (not jsonb, which would reorder keys), NULL when
// there is none; personas and recommendations are JSON arrays as text.
// Indexes serve List's filters, each ending in seq for pagination. Scan
// and List return records exactly as stored, for verification: a list
// column edited into something that is not a JSON array reads back as its
// raw text, so the record fails its hash instead of failing the read.
//
// PostgreSQL text holds neither NUL bytes nor invalid UTF-8; audit.Seal
// turns each such byte of a string field into U+FFFD (the hash covers what
// is stored), in both stores, rather than lose the record.
//
// # Errors
//
// Errors are one line, safe to show, with a govern error code, and still
// unwrap to their cause (errors.Is(err, context.Canceled) works). They name
// the server's address and repeat what the server said; the password never
// appears, not even for a DSN that cannot be parsed.
package postgres
