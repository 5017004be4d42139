//go:build !js

// Package pageload opens pages in the browser tests without waiting for
// their load event.
package pageload

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Open navigates the tab to u and waits until the new document has run its
// DOMContentLoaded handlers (its deferred scripts included), not until it
// has loaded: the load event waits on every subresource, and a test waits
// for what it needs after Open. It tries once: a page that stalls is a
// failure to report, not to reload (the stack re-sends what wrangler dev
// parks; see internal/stack/heartbeat.go).
func Open(u string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		return chromedp.Void{}, open(ctx, t, u)
	}
}

func open(ctx context.Context, t *chromedp.Target, u string) error {
	// Mark the document being left, so that it cannot pass the wait.
	if err := retry(ctx, func(try context.Context) (bool, error) {
		_, err := chromedp.Evaluate[chromedp.Void](`window.__pageloadLeaving = true`)(try, t)
		return err == nil, err
	}); err != nil {
		return fmt.Errorf("mark the page being left: %w", err)
	}
	res, err := cdp.Call(ctx, t, page.Navigate, page.NavigateParams{URL: u})
	if err != nil {
		return err
	}
	if res.ErrorText != "" {
		return fmt.Errorf("navigate to %s: %s", u, res.ErrorText)
	}
	const parsed = `!window.__pageloadLeaving && (performance.getEntriesByType("navigation")[0]?.domContentLoadedEventEnd ?? 0) > 0`
	return retry(ctx, func(try context.Context) (bool, error) {
		return chromedp.Evaluate[bool](parsed)(try, t)
	})
}

// retry runs f until it reports done or ctx ends. Between two documents an
// evaluation may fail, or wait for a context that is gone: each try has a
// second.
func retry(ctx context.Context, f func(try context.Context) (bool, error)) error {
	for {
		try, cancel := context.WithTimeout(ctx, time.Second)
		done, err := f(try)
		cancel()
		if err == nil && done {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}
