package e2e

import (
	"bufio"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"tokendesk/internal/stack"
)

// TestUpstreamAnswerIsReadWithACap: an upstream that answers with an
// endless body is read only as far as the relay reads (64 KiB), and the
// rest is never fetched: the entry cancels the stream, and the upstream's
// writes start to fail long before the 256 MiB it would send.
func TestUpstreamAnswerIsReadWithACap(t *testing.T) {
	const wouldSend = 256 << 20
	var written atomic.Int64
	stopped := make(chan struct{})
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(stopped)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		chunk := []byte(`{"result": {"token": "` + strings.Repeat("x", 64<<10))
		for written.Load() < wouldSend {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
			chunk = []byte(strings.Repeat("x", 64<<10))
		}
	}))
	t.Cleanup(upstream.Close)
	s := stack.StartT(t, stack.Options{UpstreamURL: upstream.URL, Vars: map[string]string{"RATE_LIMIT": "off", "UPSTREAM_TIMEOUT": "20s"}})
	a := newClient(s).post(t, url.Values{"name": {"Big Answer"}, "mail": {"big@example.com"}}, nil)
	wantError(t, a, http.StatusBadGateway, "upstream_bad_answer", "")
	select {
	case <-stopped:
	case <-time.After(30 * time.Second):
		t.Fatalf("the upstream is still writing after %d bytes: the answer is read whole", written.Load())
	}
	if n := written.Load(); n >= wouldSend {
		t.Fatalf("the upstream wrote its whole %d bytes", n)
	} else {
		t.Logf("the upstream wrote %d bytes before the Worker stopped reading", n)
	}
}

// TestUpstreamAnswerHasADeadline: an upstream that sends its headers and
// then stalls in the body is a timeout at UPSTREAM_TIMEOUT, not a hang.
func TestUpstreamAnswerHasADeadline(t *testing.T) {
	release := make(chan struct{})
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		w.Write([]byte(`{"result": {"tok`))
		w.(http.Flusher).Flush()
		<-release
	}))
	t.Cleanup(func() { close(release); upstream.Close() })
	s := stack.StartT(t, stack.Options{UpstreamURL: upstream.URL, Vars: map[string]string{"RATE_LIMIT": "off", "UPSTREAM_TIMEOUT": "1s"}})
	a := newClient(s).post(t, url.Values{"name": {"Slow Body"}, "mail": {"slow@example.com"}}, nil)
	wantError(t, a, http.StatusGatewayTimeout, "upstream_timeout", "")
	if a.elapsed > 5*time.Second {
		t.Errorf("answered after %s; the timeout is 1s", a.elapsed)
	}
}

// TestRequestBodyHasADeadline: a client that sends part of its body and
// then stalls is answered at the request's deadline, and the Worker goes
// on serving others.
func TestRequestBodyHasADeadline(t *testing.T) {
	s := stack.StartT(t, stack.Options{Vars: map[string]string{"RATE_LIMIT": "off", "UPSTREAM_TIMEOUT": "1s"}})
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	_, err = conn.Write([]byte("POST /auth/token HTTP/1.1\r\nHost: " + strings.TrimPrefix(s.URL, "http://") +
		"\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n" +
		"a\r\nname=Slow&\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	// The deadline is UPSTREAM_TIMEOUT + siteverify's 3 s + 2 s (relay.Deadline).
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer %s after the body stalled: %v", time.Since(start).Round(time.Millisecond), err)
	}
	resp.Body.Close()
	t.Logf("a stalled body: %d after %s", resp.StatusCode, time.Since(start).Round(time.Millisecond))
	if resp.StatusCode < 500 {
		t.Errorf("a stalled body got %d, want the Worker's 5xx", resp.StatusCode)
	}
	if a := newClient(s).post(t, url.Values{"name": {"After Stall"}, "mail": {"after@example.com"}}, nil); a.resp.StatusCode != http.StatusOK {
		t.Errorf("after a stalled body: status %d, want 200", a.resp.StatusCode)
	}
}
