//go:build !js

// Package pageload opens pages in the browser tests without waiting for
// their load event, and waits for conditions on them.
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
// has loaded: the load event waits on every subresource, and a test waits
// for what it needs after Open. It tries once: a page that stalls is a
// failure to report, not to reload (a test's stack is the Worker's own
// socket, without wrangler dev's ProxyWorker, which lost and parked
// requests; see internal/stack/direct.go).
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

// Until evaluates expr in the tab until it is truthy, for at most timeout.
// It polls from Go: chromedp.Poll runs its predicate on the page's own
// timers, which never fire in a tab whose scripts are off (emulation), so
// such a poll, timeout included, never returned. An evaluation that fails
// (between two documents) counts as not yet; if the last one failed,
// the error says how.
func Until(expr string, timeout time.Duration) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		wait, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		var last error
		err := retry(wait, func(try context.Context) (bool, error) {
			ok, err := chromedp.Evaluate[bool]("!!("+expr+"\n)")(try, t)
			last = err
			return ok, err
		})
		switch {
		case err == nil:
			return chromedp.Void{}, nil
		case ctx.Err() != nil:
			return chromedp.Void{}, ctx.Err()
		case last != nil:
			return chromedp.Void{}, fmt.Errorf("%w after %s; the last evaluation failed: %v", ErrNotYet, timeout, last)
		}
		return chromedp.Void{}, fmt.Errorf("%w after %s", ErrNotYet, timeout)
	}
}

// Interval is how often Until and Open ask the tab again, and how often an
// element query with Paced does. Each try is a round trip over CDP: at
// chromedp's own 5 ms, one waiting tab cost Chromium about 0.16 of a core,
// and at 50 ms 0.04 (BENCHMARKS.md); several tabs wait at once.
const Interval = 50 * time.Millisecond

// Paced is the query option for chromedp's element queries (WaitVisible,
// Click, Value, …): they look for their element again every Interval
// instead of every 5 ms.
var Paced = chromedp.RetryInterval(Interval)

// ErrNotYet is Until's error when expr was not truthy in time.
var ErrNotYet = errors.New("still not truthy")

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
		case <-time.After(Interval):
		}
	}
}
