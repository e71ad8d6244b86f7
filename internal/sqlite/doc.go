// Package sqlite is the embedded audit store: the hash-chained audit trail
// in one SQLite file (modernc.org/sqlite, pure Go, no cgo), the default on
// a single machine where every hook process appends to the same file.
//
// Every connection runs in WAL mode with synchronous=FULL, so a record is on
// disk when Append returns, and with a busy timeout, so many hook processes
// wait their turn instead of failing. The -wal and -shm files stay beside
// the database between processes, the WAL empty once the last connection
// has closed (see keepWAL): creating and deleting them cost each hook more
// than its append. Append orders the chain inside one
// BEGIN IMMEDIATE transaction: it takes the write lock first, reads the
// head, seals each record after it and commits; the primary key on seq
// would refuse a fork even if that ever went wrong.
//
// The schema lives in migrations/NNNN_name.sql, embedded and applied in
// order on Open inside one write transaction, recorded in govern_schema.
// A file written by a newer govern is refused, never downgraded.
//
// Errors are one line, safe to show, and name the file: a missing
// directory, a read-only file or directory, a full disk, a file that is not
// a govern audit database.
package sqlite
