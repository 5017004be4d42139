//go:build !js

package stack

import (
	"bytes"
	"testing"
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
