//go:build !js

package stack

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// wrangler dev 4.86 has a fault in its ProxyWorker, the Worker that takes
// every request on the stack's port and passes it on to the Worker's own
// workerd over pooled keep-alive connections. Both ends drop a connection
// idle for 5 s, so a request written into one just as it idles out is
// lost ("Network connection lost"; workers-sdk #14641). The ProxyWorker
// then takes the loss for a restart of the Worker, as it compares the
// request's whole URL with the Worker's origin: a GET of any path but "/"
// waits in its retry queue until another request reaches it. A page whose
// deferred script was parked sent nothing more, so it waited until the
// browser test gave up: GET /web/boot.js 200 OK (90546ms).
//
// A test's stack talks to the Worker's own socket instead (direct.go).
// Where that cannot be found, it sends a request every heartbeatEvery,
// and with it the ProxyWorker re-sends whatever it parked. One at a time:
// a dozen at once, meant to keep every pooled connection busy, made lost
// requests twenty times as frequent (94 in 2,709). What it cannot help: a
// lost GET of "/" is reported as an error, which ends wrangler dev, and a
// lost POST gets 503 "Your worker restarted mid-request". wrangler 4.164
// retries a lost GET on a fresh connection and compares origins.
// Production has no ProxyWorker; a page or service worker that stalls
// still shows in a browser test, with its pending request in the report.
// Every 2 s: a beat through the ProxyWorker costs wrangler's node and
// workerd some 8 to 10 ms of CPU (3 ms at the Worker's own socket), while
// a parked request, one in hundreds, waits at most that long.
const (
	heartbeatEvery = 2 * time.Second
	// heartbeatPath is a file each stack adds to its copy of the site.
	heartbeatPath = "/stack-heartbeat.txt"
)

// addHeartbeatFile puts heartbeatPath into the site at dist, holding
// mark: what the stack's own Worker answers there (see waitReady).
func addHeartbeatFile(dist, mark string) error {
	return os.WriteFile(filepath.Join(dist, filepath.FromSlash(heartbeatPath)), []byte(mark), 0o644)
}

// startHeartbeat starts the heartbeat; Close stops it before wrangler.
func (s *Stack) startHeartbeat() {
	ctx, cancel := context.WithCancel(context.Background())
	client := &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{DisableCompression: true},
	}
	var beats sync.WaitGroup
	stopped := make(chan struct{})
	s.stopHeartbeat = func() {
		cancel()
		<-stopped
		beats.Wait()
		client.CloseIdleConnections()
	}
	go func() {
		defer close(stopped)
		tick := time.NewTicker(heartbeatEvery)
		defer tick.Stop()
		for {
			// Not waiting for the last beat: it may be parked itself,
			// until the next one comes.
			beats.Go(func() { beat(ctx, client, s.URL+heartbeatPath) })
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
}

func beat(ctx context.Context, client *http.Client, url string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return
	}
	resp, err := client.Do(req)
	if err != nil {
		return // a beat that fails has done its work: the next one comes
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// dropHeartbeatLines passes wrangler's output on without its log lines for
// the heartbeat (GET /stack-heartbeat.txt 200 OK (3ms)), a line at a time.
type dropHeartbeatLines struct {
	w       io.Writer
	partial []byte
}

func (d *dropHeartbeatLines) Write(p []byte) (int, error) {
	d.partial = append(d.partial, p...)
	end := bytes.LastIndexByte(d.partial, '\n')
	if end < 0 {
		return len(p), nil
	}
	var keep []byte
	for line := range bytes.SplitAfterSeq(d.partial[:end+1], []byte("\n")) {
		if !bytes.Contains(line, []byte(" "+heartbeatPath+" ")) {
			keep = append(keep, line...)
		}
	}
	d.partial = append(d.partial[:0], d.partial[end+1:]...)
	if len(keep) > 0 {
		d.w.Write(keep)
	}
	return len(p), nil
}

// flush passes on a last line that had no newline.
func (d *dropHeartbeatLines) flush() {
	if len(d.partial) > 0 {
		d.w.Write(d.partial)
		d.partial = nil
	}
}
