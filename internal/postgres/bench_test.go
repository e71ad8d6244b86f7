package postgres

import (
	"slices"
	"testing"
	"time"

	"github.com/govern-dev/govern"
)

// BenchmarkAppendOne is a hook's durable append of its one record: the
// time from Append to COMMIT returned, reported as p50 and p99.
func BenchmarkAppendOne(b *testing.B) {
	s := openFresh(b)
	tmpl := *rec(1)
	var lat []time.Duration
	b.ReportAllocs()
	for b.Loop() {
		r := tmpl
		start := time.Now()
		if err := s.Append(b.Context(), &r); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	reportLatency(b, lat)
}

func reportLatency(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	at := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) }
	b.ReportMetric(at(0.50), "p50-µs")
	b.ReportMetric(at(0.99), "p99-µs")
}

// BenchmarkAppendBatch is the server's group commit: one Append of many
// records, in records per second.
func BenchmarkAppendBatch(b *testing.B) {
	for _, size := range []int{10, 100, 1000} {
		b.Run(sizeName(size), func(b *testing.B) {
			s := openFresh(b)
			tmpl := *rec(1)
			vals := make([]govern.AuditRecord, size)
			batch := make([]*govern.AuditRecord, size)
			b.ReportAllocs()
			for b.Loop() {
				for i := range vals {
					vals[i] = tmpl
					batch[i] = &vals[i]
				}
				if err := s.Append(b.Context(), batch...); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

func sizeName(n int) string {
	switch n {
	case 10:
		return "10"
	case 100:
		return "100"
	}
	return "1000"
}

// BenchmarkAppendOneContended is single appends from eight goroutines on
// one store at once (as from eight replicas): they take turns on the head.
func BenchmarkAppendOneContended(b *testing.B) {
	s := openFresh(b)
	tmpl := *rec(1)
	b.ReportAllocs()
	b.SetParallelism(4) // 8 goroutines on 2 CPUs
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r := tmpl
			if err := s.Append(b.Context(), &r); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkOpen is what a hook process pays to reach an up-to-date
// database: connect, check the schema, close.
func BenchmarkOpen(b *testing.B) {
	dsn := freshSchema(b)
	openAt(b, dsn)
	b.ReportAllocs()
	for b.Loop() {
		s, err := Open(b.Context(), dsn)
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
