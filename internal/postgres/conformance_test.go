package postgres

import (
	"testing"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/storetest"
)

// TestConformance runs the suite every govern.AuditStore passes. Each
// store lives in a schema of its own; Reopen is a second pool on it, as a
// second replica would be.
func TestConformance(t *testing.T) {
	t.Parallel()
	baseDSN(t)
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T) govern.AuditStore { return openFresh(t) },
		Reopen: func(t *testing.T, s govern.AuditStore) govern.AuditStore {
			return openAt(t, dsnOf(t, s))
		},
		Exec: func(t *testing.T, s govern.AuditStore, sql string) {
			admin(t, dsnOf(t, s), sql)
		},
	})
}
