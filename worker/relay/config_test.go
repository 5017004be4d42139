package relay

import (
	"testing"
	"time"
)

// UPSTREAM_TIMEOUT takes a Go duration or a number of seconds, up to 5m.
func TestUpstreamTimeout(t *testing.T) {
	for v, want := range map[string]time.Duration{
		"":     DefaultUpstreamTimeout,
		"10s":  10 * time.Second,
		"2.5s": 2500 * time.Millisecond,
		"10":   10 * time.Second,
		"2.5":  2500 * time.Millisecond,
		".5":   500 * time.Millisecond,
		" 7 ":  7 * time.Second,
		"300":  5 * time.Minute,
		"5m":   5 * time.Minute,
	} {
		s, problem := Config{UpstreamTimeout: v}.parse()
		if problem != "" || s.timeout != want {
			t.Errorf("UPSTREAM_TIMEOUT=%q: %v, %q; want %v", v, s.timeout, problem, want)
		}
	}
	for _, v := range []string{"soon", "0", "-1", "301", "6m", "1e3", "10 s", "s"} {
		if _, problem := (Config{UpstreamTimeout: v}).parse(); problem == "" {
			t.Errorf("UPSTREAM_TIMEOUT=%q was taken", v)
		}
	}
}
