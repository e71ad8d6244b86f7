package audit

import (
	"strconv"
	"strings"
	"time"

	"github.com/govern-dev/govern"
)

// The bounds of one List, in every store.
const (
	DefaultLimit = 100
	MaxLimit     = 10000
)

// ListQuery renders what AuditFilter f selects from the audit_records table,
// for any store: " WHERE … ORDER BY seq [DESC] LIMIT n" and its arguments.
// placeholder renders the n-th argument ("?" or "$n"); bound turns a time
// bound into the store's argument. Bounds are rounded up to the
// microsecond, the precision records are kept at, so Since ≤ time < Until
// holds exactly.
func ListQuery(f govern.AuditFilter, placeholder func(n int) string, bound func(time.Time) any) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, cond+" "+placeholder(len(args)))
	}
	if !f.Since.IsZero() {
		add("time >=", bound(ceilMicro(f.Since)))
	}
	if !f.Until.IsZero() {
		add("time <", bound(ceilMicro(f.Until)))
	}
	for _, eq := range []struct{ col, v string }{
		{"user_name", f.User}, {"team", f.Team}, {"tool", f.Tool}, {"session", f.Session},
		{"event", f.Event}, {"outcome", string(f.Outcome)},
	} {
		if eq.v != "" {
			add(eq.col+" =", eq.v)
		}
	}
	if f.AfterSeq > 0 {
		add("seq >", f.AfterSeq)
	}
	if f.BeforeSeq > 0 {
		add("seq <", f.BeforeSeq)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	var q strings.Builder
	if len(where) > 0 {
		q.WriteString(" WHERE " + strings.Join(where, " AND "))
	}
	q.WriteString(" ORDER BY seq")
	if f.Descending {
		q.WriteString(" DESC")
	}
	q.WriteString(" LIMIT " + strconv.Itoa(limit))
	return q.String(), args
}

func ceilMicro(t time.Time) time.Time {
	c := t.Truncate(time.Microsecond)
	if c.Before(t) {
		c = c.Add(time.Microsecond)
	}
	return c
}
