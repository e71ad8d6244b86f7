// Package sqlite is the embedded audit store: the hash-chained audit trail
// in one SQLite file (modernc.org/sqlite, pure Go, no cgo), the default on
// a single machine where every hook process appends to the same file.
//
// Records reach the database through the spool, PATH-spool, the chain's
// own write-ahead file (spool.go): an append seals its records after the
// spool's last line under the spool's lock and syncs them, and is durable
// there. A hook appends through an Appender, which stops at that point: one
// small write and one fdatasync, the database left closed. The store's own
// Append, and every read, then import what waits into the database in one
// transaction; an Appender does too once maxPending records wait.
//
// Every connection runs in WAL mode with synchronous=FULL and a busy
// timeout, so many processes wait their turn instead of failing. The -wal
// and -shm files stay beside the database between processes, the WAL empty
// once the last connection has closed (see keepWAL): creating and deleting
// them cost each process that opens the database more than its append.
//
// The spool's lock orders the chain across processes. An import takes the
// database's write lock (BEGIN IMMEDIATE), checks that the spooled records
// continue what the database holds, and seals the store's own records
// after the database's head: records chained to a head that something
// else has since appended after are set aside in a file of their own,
// never dropped (SetAside lists them), and the primary key on seq would
// refuse a fork even if that ever went wrong.
//
// The schema lives in migrations/NNNN_name.sql, embedded and applied in
// order on Open inside one write transaction, recorded in govern_schema.
// A file written by a newer govern is refused, never downgraded.
//
// Errors are one line, safe to show, and name the file: a missing
// directory, a read-only file or directory, a full disk, a file that is not
// a govern audit database.
package sqlite
