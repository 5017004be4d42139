//go:build !js

// Package tabwatch keeps what a browser tab of the browser tests said (its
// console) and asked for (its requests, with their state), so that a failed
// step can show where the tab waits.
package tabwatch

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp/jsonv2"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
)

// Watch records one tab. Give its Listen to chromedp.WithListener when the
// tab's context is made, so it sees the tab from its first request (chromedp
// enables the Network domain of every tab it attaches to).
type Watch struct {
	mu       sync.Mutex
	start    time.Time
	console  []string
	requests []*request // and the main frame's documents, in order
	byID     map[network.RequestID]*request
}

// request is one request of the tab and what became of it; a document
// the main frame navigated to has the method "DOCUMENT".
type request struct {
	method, url string
	sent        time.Time
	status      int64  // 0 until the response's head arrives
	via         string // "service worker", "cache"
	ended       time.Time
	failure     string // the error of a failed request
}

// New returns an empty Watch.
func New() *Watch { return &Watch{start: time.Now(), byID: map[network.RequestID]*request{}} }

// Listen takes the tab's events; it runs in the tab's message loop.
func (w *Watch) Listen(ev any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := time.Now()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled, *runtime.EventExceptionThrown, *cdplog.EventEntryAdded:
		raw, err := jsonv2.Marshal(ev)
		if err != nil {
			raw = []byte(err.Error())
		}
		w.console = append(w.console, string(raw))
	case *network.EventRequestWillBeSent:
		// A redirect reuses the id: the request goes on under its new URL.
		r := &request{method: ev.Request.Method, url: ev.Request.URL, sent: now}
		if old := w.byID[ev.RequestID]; old != nil && ev.RedirectResponse != nil {
			old.status, old.ended = ev.RedirectResponse.Status, now
		}
		w.byID[ev.RequestID] = r
		w.requests = append(w.requests, r)
	case *network.EventResponseReceived:
		if r := w.byID[ev.RequestID]; r != nil && ev.Response != nil {
			r.status = ev.Response.Status
			switch {
			case ev.Response.FromServiceWorker:
				r.via = "service worker"
			case ev.Response.FromDiskCache || ev.Response.FromPrefetchCache:
				r.via = "cache"
			}
		}
	case *page.EventFrameNavigated:
		if ev.Frame != nil && ev.Frame.ParentID == "" {
			w.requests = append(w.requests, &request{method: "DOCUMENT", url: ev.Frame.URL, sent: now, ended: now})
		}
	case *network.EventLoadingFinished:
		if r := w.byID[ev.RequestID]; r != nil {
			r.ended = now
		}
	case *network.EventLoadingFailed:
		if r := w.byID[ev.RequestID]; r != nil {
			r.ended, r.failure = now, ev.ErrorText
			if ev.Canceled {
				r.failure += " (canceled)"
			}
			if ev.BlockedReason != "" {
				r.failure += " (blocked: " + string(ev.BlockedReason) + ")"
			}
		}
	}
}

// Console returns the tab's console API calls, uncaught exceptions and
// browser log entries so far, each as its protocol JSON.
func (w *Watch) Console() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.console...)
}

// Pending returns how many of the tab's requests have not ended.
func (w *Watch) Pending() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, r := range w.requests {
		if r.ended.IsZero() {
			n++
		}
	}
	return n
}

// Requests returns "METHOD URL" for each request of the tab so far.
func (w *Watch) Requests() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, r := range w.requests {
		if r.method != "DOCUMENT" {
			out = append(out, r.method+" "+r.url)
		}
	}
	return out
}

// Report says what the tab did last: its last console lines and its last
// requests, each pending, finished or failed, with every request still
// pending among them however old it is.
func (w *Watch) Report(lines int) string {
	console := w.Console()
	var b strings.Builder
	fmt.Fprintf(&b, "the tab's last console lines (%d in all):\n", len(console))
	for _, line := range console[max(0, len(console)-lines):] {
		b.WriteString("  " + line + "\n")
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	now := time.Now()
	fmt.Fprintf(&b, "the tab's last requests and documents (%d in all):\n", len(w.requests))
	fmt.Fprintf(&b, "(the tab opened %s ago; each line says when it began)\n", now.Sub(w.start).Round(time.Millisecond))
	for i, r := range w.requests {
		if i >= len(w.requests)-lines || r.ended.IsZero() {
			fmt.Fprintf(&b, "  %8s %s\n", "+"+r.sent.Sub(w.start).Round(time.Millisecond).String(), r.describe(now))
		}
	}
	return b.String()
}

func (r *request) describe(now time.Time) string {
	head := ""
	if r.status != 0 {
		head = fmt.Sprintf(", answered %d", r.status)
		if r.via != "" {
			head += " from the " + r.via
		}
	}
	switch {
	case r.method == "DOCUMENT":
		return "the main frame navigated to " + r.url
	case r.ended.IsZero():
		return fmt.Sprintf("PENDING  %s %s for %s%s", r.method, r.url, now.Sub(r.sent).Round(time.Millisecond), head)
	case r.failure != "":
		return fmt.Sprintf("failed   %s %s after %s%s: %s", r.method, r.url, r.ended.Sub(r.sent).Round(time.Millisecond), head, r.failure)
	default:
		return fmt.Sprintf("finished %s %s in %s%s", r.method, r.url, r.ended.Sub(r.sent).Round(time.Millisecond), head)
	}
}
