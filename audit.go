package govern

import (
	"context"
	"encoding/json"
	"time"
)

// AuditRecord is one entry of the tamper-evident audit trail: one decision,
// or one event at auditLevel comprehensive. internal/audit defines its
// canonical form and hash; a store assigns Seq, PrevHash and Hash when it
// appends, inside the transaction that orders the chain.
type AuditRecord struct {
	ID              string          `json:"id"`   // sortable: time-ordered, unique
	Seq             int64           `json:"seq"`  // position in the store's chain, from 1
	Time            time.Time       `json:"time"` // UTC, microsecond precision
	Event           string          `json:"event"`
	Session         string          `json:"session,omitempty"`
	User            string          `json:"user,omitempty"`
	Team            string          `json:"team,omitempty"`
	Host            string          `json:"host,omitempty"`
	Tool            string          `json:"tool,omitempty"`
	Input           json.RawMessage `json:"input,omitempty"`  // as reviewers need it: secrets masked, file contents as size and digest
	Result          json.RawMessage `json:"result,omitempty"` // what a call that ran did (PostToolUse, PostToolUseFailure): status, exit code, duration, output size and digest
	Outcome         Outcome         `json:"outcome,omitempty"`
	Reason          string          `json:"reason,omitempty"`
	Risk            Risk            `json:"risk,omitempty"`
	Rule            string          `json:"rule,omitempty"`
	Layer           string          `json:"layer,omitempty"`
	Personas        []string        `json:"personas,omitempty"` // "persona:outcome", in the order consulted
	Recommendations []string        `json:"recommendations,omitempty"`
	PolicyRevision  string          `json:"policy_revision,omitempty"`
	LatencyUS       int64           `json:"latency_us"` // how long deciding took
	PrevHash        string          `json:"prev_hash"`
	Hash            string          `json:"hash"`
}

// AuditFilter selects audit records. Zero fields select everything.
type AuditFilter struct {
	Since, Until time.Time // Since ≤ Time < Until
	User         string
	Team         string
	Tool         string
	Session      string
	Event        string
	Outcome      Outcome
	AfterSeq     int64 // pagination: only records with Seq > AfterSeq (ascending) or < BeforeSeq (descending)
	BeforeSeq    int64
	Descending   bool // newest first
	Limit        int  // 0 means the store's default (100); at most 10,000
}

// AuditStore is where the audit trail lives: SQLite on one machine,
// PostgreSQL for an organization. Every implementation passes
// internal/storetest.
type AuditStore interface {
	// Append seals and stores recs, in order, at the head of the chain: it
	// assigns ID (when empty), Seq, PrevHash and Hash, and returns only when
	// the records are durable. Concurrent appenders, in this process or
	// others, never fork the chain.
	Append(ctx context.Context, recs ...*AuditRecord) error
	// List returns the records that match f, by Seq.
	List(ctx context.Context, f AuditFilter) ([]AuditRecord, error)
	// Scan calls fn for every record with Seq ≥ from, in Seq order, as
	// stored (for verification: nothing is recomputed).
	Scan(ctx context.Context, from int64, fn func(*AuditRecord) error) error
	// AddCheckpoint keeps a signed checkpoint beside the chain.
	AddCheckpoint(ctx context.Context, c Checkpoint) error
	// Checkpoints returns the stored checkpoints, by Seq.
	Checkpoints(ctx context.Context) ([]Checkpoint, error)
	// Close releases the store. It is safe to call twice.
	Close() error
}

// Checkpoint is a signed statement of the chain's head: after Seq records
// the head hash was Hash. Signed checkpoints are kept outside the store's
// reach, so a rewritten or truncated history no longer matches them.
type Checkpoint struct {
	Seq  int64     `json:"seq"`
	Hash string    `json:"hash"`
	Time time.Time `json:"time"`
	Note string    `json:"note"` // the signed note (golang.org/x/mod/sumdb/note format)
}
