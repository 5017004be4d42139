//go:build !js

package embed_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tokendesk/internal/pageload"
)

// target is one postMessage call of the frame on its parent.
type target struct {
	Type   string
	Target string
}

// TestFrameTellsItsHeightOnlyToItsParent: the embed posts its height only
// after embed.js's hello, and only to the origin the hello came from, never
// to "*". The parent is one of the desk's own pages ('self' may frame
// /embed), so the test can wrap the parent's postMessage, which the frame
// calls, and see each call's target origin.
func TestFrameTellsItsHeightOnlyToItsParent(t *testing.T) {
	s, _ := sharedStack(t)
	ctx := newTab(t, s)
	tab, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := chromedp.Do(tab, pageload.Open(s.URL+"/check")); err != nil {
		t.Fatal(err)
	}
	eval[bool](t, tab, `(() => {
		window.__targets = [];
		const post = window.postMessage;
		window.postMessage = function (message, targetOrigin) {
			window.__targets.push({Type: String(message && message.type), Target: String(targetOrigin)});
			return post.apply(this, arguments);
		};
		const f = document.createElement("iframe");
		f.id = "probe";
		f.src = "/embed";
		document.body.appendChild(f);
		return true;
	})()`)
	waitFor(t, tab, "the framed /embed to load", `document.getElementById("probe").contentDocument?.readyState === "complete" && document.getElementById("probe").contentDocument.URL.endsWith("/embed")`, time.Minute)
	// Two animation frames of the frame's: its ResizeObserver and load
	// handlers have run by then.
	eval[bool](t, tab, `new Promise((resolve) => { const w = document.getElementById("probe").contentWindow; w.requestAnimationFrame(() => w.requestAnimationFrame(() => resolve(true))); })`)
	if got := eval[[]target](t, tab, `window.__targets`); len(got) != 0 {
		t.Fatalf("before any hello the frame posted %+v; it must wait to learn its parent", got)
	}

	eval[bool](t, tab, `(document.getElementById("probe").contentWindow.postMessage({type: "mhsdk-token:hello"}, location.origin), true)`)
	waitFor(t, tab, "the frame's height after the hello", `window.__targets.length > 0`, 10*time.Second)
	// A change of height is told again, to the same origin.
	eval[bool](t, tab, `(document.getElementById("probe").contentDocument.body.style.paddingBottom = "300px", true)`)
	waitFor(t, tab, "the frame's new height", `window.__targets.length > 1`, 10*time.Second)
	for _, got := range eval[[]target](t, tab, `window.__targets`) {
		if got.Type != heightMessage || got.Target != s.URL {
			t.Errorf("the frame posted %+v; want only %s to %s", got, heightMessage, s.URL)
		}
	}
}
