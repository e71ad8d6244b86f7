package session

import (
	"testing"
	"time"

	"github.com/govern-dev/govern"
)

func TestPlace(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	s := func(id string, startedAgo time.Duration) govern.SessionRecord {
		return govern.SessionRecord{ID: id, User: "dev", Started: now.Add(-startedAgo), LastSeen: now}
	}
	open := []govern.SessionRecord{s("a", 3*time.Hour), s("b", 2*time.Hour), s("c", time.Hour), s("d", time.Hour)}
	tests := []struct {
		name    string
		this    govern.SessionRecord
		timeout time.Duration
		want    int
	}{
		{"the oldest", open[0], 0, 1},
		{"the newest", s("e", time.Minute), 0, 5},
		{"listed or not, the same place", open[1], 0, 2},
		{"a tie on start is broken by id", open[3], 0, 4},
		{"sessions past the timeout do not count", open[2], 150 * time.Minute, 2},
		{"a session not yet in the list", s("x", 90*time.Minute), 0, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Place(tt.this, open, now, tt.timeout)
			if got.Place != tt.want || !got.Started.Equal(tt.this.Started) {
				t.Errorf("SessionPlace = %+v, want place %d, started %v", got, tt.want, tt.this.Started)
			}
		})
	}
}
