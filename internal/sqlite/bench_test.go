package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/govern-dev/govern"
)

// record returns a typical PreToolUse decision record, the i-th of a
// stream.
func record(i int) *govern.AuditRecord {
	input, _ := json.Marshal(map[string]any{"command": fmt.Sprintf("npm run test -- --shard %d", i), "description": "run the tests"})
	return &govern.AuditRecord{
		Time:           time.Now(),
		Event:          "PreToolUse",
		Session:        "0b9f3c1e-6d2a-4a8e-9c1f-3e5d7a9b1c2d",
		User:           "alice",
		Team:           "platform",
		Host:           "dev-laptop-17",
		Tool:           "Bash",
		Input:          input,
		Outcome:        govern.Allow,
		Reason:         "allowed by enterprise rule Bash(npm run test:*)",
		Risk:           govern.RiskLow,
		Rule:           "Bash(npm run test:*)",
		Layer:          govern.LayerEnterprise,
		Personas:       []string{"security:approve", "reliability:approve"},
		PolicyRevision: "sha256:6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b",
		LatencyUS:      180,
	}
}

// BenchmarkAppendDurable appends one record per Append through an open
// store, as a long-running process does: each returns after the spool and
// the database are synced. Reports the p50 and p99 latency.
func BenchmarkAppendDurable(b *testing.B) {
	s := open(b, filepath.Join(b.TempDir(), "audit.db"))
	ctx := b.Context()
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		r := record(i)
		start := time.Now()
		if err := s.Append(ctx, r); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	reportLatency(b, lat)
}

// BenchmarkOpenAppendClose opens the store, appends one durable record and
// closes it, on a file that already holds 10,000 records: what a process
// that records one decision through the whole store pays.
func BenchmarkOpenAppendClose(b *testing.B) {
	benchOneAppend(b, func(ctx context.Context, path string) (appendCloser, error) { return Open(ctx, path) })
}

// BenchmarkHookAppend is what one hook process does to an existing audit
// file: open an Appender, append one durable record, close it. Most
// appends only write the spool; one in maxPending imports it, which the
// mean (ns/op) includes and the p50 does not.
func BenchmarkHookAppend(b *testing.B) {
	benchOneAppend(b, func(_ context.Context, path string) (appendCloser, error) { return OpenAppender(path) })
}

type appendCloser interface {
	Append(context.Context, ...*govern.AuditRecord) error
	Close() error
}

// benchOneAppend measures opening a file that already holds 10,000
// records, as a developer's machine does after a few days, appending one
// record and closing it, once per iteration.
func benchOneAppend(b *testing.B, openStore func(context.Context, string) (appendCloser, error)) {
	path := filepath.Join(b.TempDir(), "audit.db")
	s := open(b, path)
	ctx := b.Context()
	for i := 0; i < 10_000; i += 1000 {
		recs := make([]*govern.AuditRecord, 1000)
		for j := range recs {
			recs[j] = record(i + j)
		}
		if err := s.Append(ctx, recs...); err != nil {
			b.Fatal(err)
		}
	}
	s.Close()
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		st, err := openStore(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		if err := st.Append(ctx, record(i)); err != nil {
			b.Fatal(err)
		}
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	reportLatency(b, lat)
}

// reportLatency reports the p50 and p99 of lat.
func reportLatency(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkAppendBatch appends batches of 1000 records, one transaction
// each, as the server's group commit does. Reports records per second.
func BenchmarkAppendBatch(b *testing.B) {
	const batch = 1000
	s := open(b, filepath.Join(b.TempDir(), "audit.db"))
	ctx := b.Context()
	recs := make([]*govern.AuditRecord, batch)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		b.StopTimer()
		for i := range recs {
			recs[i] = record(n + i)
		}
		b.StartTimer()
		if err := s.Append(ctx, recs...); err != nil {
			b.Fatal(err)
		}
		n += batch
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
}
