//go:build !js

// Package pageload opens pages in the browser tests without waiting for
// their load event.
package pageload

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Open navigates the tab to u and waits until the new document has run its
// DOMContentLoaded handlers (its deferred scripts included), not until it
// has loaded: wrangler dev now and then holds a static asset for 90 s (its
// log showed GET /web/icon.svg 200 OK (90442ms)), and the load event waits
// on every subresource. An attempt that stalls all the same (the document
// or a deferred script held) is made again, until ctx ends. Callers then
// wait for what they need, as before.
func Open(u string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		var none chromedp.Void
		for {
			// wrangler dev can hold the document or a deferred script
			// too, and the navigation with it: a stalled attempt is
			// started again, as a person would reload.
			attempt, cancel := context.WithTimeout(ctx, attemptTimeout)
			err := open(attempt, t, u)
			cancel()
			if err == nil || ctx.Err() != nil || !errors.Is(err, context.DeadlineExceeded) {
				return none, err
			}
		}
	}
}

// attemptTimeout bounds one try at opening a page; a page here opens in
// well under a second.
const attemptTimeout = 20 * time.Second

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
