//go:build !js

package stack

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestHeartbeatLinesAreDropped: wrangler's log lines for the heartbeat are
// dropped however the output is cut into writes; every other byte passes.
func TestHeartbeatLinesAreDropped(t *testing.T) {
	output := "[wrangler:info] Ready on http://127.0.0.1:8787\n" +
		"[wrangler:info] GET " + heartbeatPath + " 200 OK (3ms)\n" +
		"[wrangler:info] GET /web/boot.js 200 OK (4ms)\n" +
		"[wrangler:info] GET " + heartbeatPath + " 304 Not Modified (90546ms)\n" +
		"no newline at the end"
	want := "[wrangler:info] Ready on http://127.0.0.1:8787\n" +
		"[wrangler:info] GET /web/boot.js 200 OK (4ms)\n" +
		"no newline at the end"
	for _, size := range []int{1, 7, 50, len(output)} {
		var got bytes.Buffer
		d := &dropHeartbeatLines{w: &got}
		for rest := output; rest != ""; {
			n := min(size, len(rest))
			if m, err := d.Write([]byte(rest[:n])); m != n || err != nil {
				t.Fatalf("writes of %d: Write = %d, %v", size, m, err)
			}
			rest = rest[n:]
		}
		d.flush()
		if got.String() != want {
			t.Errorf("writes of %d bytes passed on %q, want %q", size, got.String(), want)
		}
	}
}

// TestReadyOnlyWithItsOwnMark: a server on the stack's port that is not the
// stack's own (another process took the port first) never makes the stack
// ready, however it answers; the stack's own site, which holds its mark at
// heartbeatPath, does.
func TestReadyOnlyWithItsOwnMark(t *testing.T) {
	for _, tc := range []struct {
		name  string
		serve http.HandlerFunc
		ready bool
	}{
		{"another server's 404", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }, false},
		{"another stack's site", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "stack-wrangler-state-other\n") }, false},
		{"its own site", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == heartbeatPath {
				io.WriteString(w, "stack-wrangler-state-mine\n")
			}
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.serve)
			defer srv.Close()
			s := &Stack{URL: srv.URL, mark: "stack-wrangler-state-mine\n", exited: make(chan struct{})}
			err := s.waitReady(context.Background(), srv.URL+"/", time.Second)
			if ready := err == nil; ready != tc.ready {
				t.Errorf("ready = %v (%v), want %v", ready, err, tc.ready)
			}
		})
	}
}
