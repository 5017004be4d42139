package pageload_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"tokendesk/internal/chromium"
	"tokendesk/internal/pageload"
)

// A page whose stylesheet comes late, in a tab whose scripts are off: the
// check page's no-JavaScript scenario, which stalled for the tab's 90 s
// when its wait ran on the page's timers.
func TestUntilWithScriptsOff(t *testing.T) {
	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><link rel="stylesheet" href="/late.css"><p id="p">text</p>`)
	})
	mux.HandleFunc("/late.css", func(w http.ResponseWriter, r *http.Request) {
		<-release
		w.Header().Set("Content-Type", "text/css")
		fmt.Fprint(w, `#p { color: rgb(1, 2, 3) }`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		select {
		case <-release:
		default:
			close(release)
		}
	})

	tab, stop, err := chromium.Start(chromium.PathT(t), 800, 600)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	if _, err := chromedp.Call(tab, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	// Navigate returns at the load event, which waits for the stylesheet.
	go chromedp.Run(tab, chromedp.Navigate(srv.URL))
	const styled = `getComputedStyle(document.getElementById("p")).color === "rgb(1, 2, 3)"`
	const parsed = `document.getElementById("p") !== null`
	if _, err := chromedp.Run(tab, pageload.Until(parsed, 10*time.Second)); err != nil {
		t.Fatalf("the page's text: %v", err)
	}

	// chromedp.Poll's own timeout runs on the page's timers: it does not
	// return at 200 ms, only when the context ends.
	ctx, cancel := context.WithTimeout(tab, 2*time.Second)
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](styled, chromedp.WithPollingTimeout(200*time.Millisecond)))
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("chromedp.Poll with scripts off returned %v: Until's comment no longer holds", err)
	}

	// Until returns at its timeout, and says so.
	if _, err := chromedp.Run(tab, pageload.Until(styled, 300*time.Millisecond)); !errors.Is(err, pageload.ErrNotYet) {
		t.Fatalf("Until before the stylesheet: %v, want ErrNotYet", err)
	}
	// And it sees the condition come true.
	close(release)
	if _, err := chromedp.Run(tab, pageload.Until(styled, 10*time.Second)); err != nil {
		t.Fatalf("Until after the stylesheet: %v", err)
	}
}
