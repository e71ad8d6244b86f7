// Package storetest is the conformance suite that every govern.AuditStore
// must pass: round-trip of every field, sequencing, filters and
// pagination, batch append, chain verification, every tampering case, signed
// checkpoints, concurrent appenders and context cancellation.
//
// A store's test calls Run with a Harness:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, storetest.Harness{
//			Open:   func(t *testing.T) govern.AuditStore { ... }, // new empty database
//			Reopen: func(t *testing.T, s govern.AuditStore) govern.AuditStore { ... },
//			Exec:   func(t *testing.T, s govern.AuditStore, sql string) { ... },
//		})
//	}
//
// # The table the tampering cases write to
//
// The tampering cases change the stored chain behind the store's back with
// Harness.Exec, in portable SQL without parameters (it runs unchanged on
// SQLite and PostgreSQL). Every store therefore keeps its records in one
// table named audit_records, one row per record, with these columns:
//
//	id               text, unique
//	seq              integer, unique (the chain position; not generated ALWAYS: the suite inserts it)
//	time             text in audit.TimeFormat, or a timestamp type that accepts such a literal
//	event            text
//	session          text
//	user_name        text ("user" is reserved in PostgreSQL)
//	team             text
//	host             text
//	tool             text
//	input            text holding canonical JSON, NULL when the record has no input
//	result           text holding canonical JSON, NULL when the record has no result
//	outcome          text
//	reason           text
//	risk             text
//	rule             text
//	layer            text
//	personas         a JSON array as text (a '["a","b"]' literal must be accepted)
//	recommendations  a JSON array as text
//	policy_revision  text
//	latency_us       integer
//	prev_hash        text
//	hash             text
//
// Empty strings are stored as empty strings, not NULL. The suite only runs UPDATE,
// DELETE and INSERT ... VALUES with string and integer literals on this
// table; it never reads it directly (it reads through Scan and List).
//
// # What a store returns
//
// Scan and List return records as stored, nothing recomputed. Input reads
// back as the canonical JSON of what was appended (audit.CanonicalJSON), nil
// when the record had none; an empty Personas or Recommendations list may
// read back as nil or empty; Time reads back in UTC, truncated to the
// microsecond (audit.Seal does that before the hash is computed).
//
// # What else the suite holds a store to
//
//   - Append assigns Seq from 1 without gaps, keeps an ID the caller set,
//     and on any error stores nothing and leaves the caller's records
//     exactly as they were (ID, Time, Seq, PrevHash, Hash included).
//   - Append with a canceled context fails with an error that wraps
//     context.Canceled (errors.Is) and stores nothing.
//   - List: Since ≤ Time < Until (bounds of any precision and location),
//     equality filters, AfterSeq and BeforeSeq as independent bounds in
//     either direction, Limit 0 meaning 100 and anything above 10,000
//     meaning 10,000.
//   - Checkpoints come back by Seq with their time in UTC to the
//     microsecond; adding the same checkpoint twice keeps one.
//   - Close is safe twice; Append after Close fails.
//   - Appends through several handles at once (Reopen) neither lose a
//     record nor fork the chain.
package storetest
