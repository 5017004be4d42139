//go:build !js

package embed_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"tokendesk"
	"tokendesk/internal/emulator"
	"tokendesk/internal/pageload"
)

// TestEmbeddedCheck: inside the cross-site frame, the compact form links to
// the compact check, which checks a token there, in the frame's theme.
func TestEmbeddedCheck(t *testing.T) {
	s, host := sharedStack(t)
	ctx := newTab(t, s)
	tab, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()

	resp, err := http.PostForm(s.EmulatorURL+emulator.TokenPath, url.Values{"name": {"Saved Earlier"}, "mail": {"embed.check@example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	var issued struct {
		Result struct{ Token string } `json:"result"`
	}
	json.NewDecoder(resp.Body).Decode(&issued)
	resp.Body.Close()
	if issued.Result.Token == "" {
		t.Fatal("the emulator issued no token")
	}

	if err := chromedp.Do(tab, pageload.Open(host+"/")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, tab, "the iframe", slotFrame+` !== null`, 20*time.Second)
	frame := frameTarget(t, tab, s.URL+"/embed")
	for _, c := range []context.Context{tab, frame} {
		if _, err := chromedp.Call(c, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, frame, "the prerendered form", `!!document.getElementById("name")`, 20*time.Second)
	eval[bool](t, frame, `(document.getElementById("name").focus(), true)`)
	waitFor(t, frame, "the wasm takeover", `document.getElementById("token-form")?.dataset.wasm === "ready"`, 60*time.Second)

	clickInFrame(t, tab, frame, "check-link")
	waitFor(t, frame, "the check in the frame", `location.pathname === "`+tokendesk.EmbedCheckPage+`" && document.getElementById("check-form")?.dataset.wasm === "ready"`, 20*time.Second)
	if theme := eval[string](t, frame, `document.documentElement.dataset.theme || ""`); theme != "dark" {
		t.Errorf("the check in the frame has theme %q, want the frame's dark", theme)
	}
	if eval[bool](t, frame, `document.querySelector(".masthead, .foot, .lead") !== null`) {
		t.Error("the embedded check shows page chrome")
	}

	typeInFrame(t, tab, frame, "check-token", issued.Result.Token)
	clickInFrame(t, tab, frame, "check-submit")
	waitFor(t, frame, "the answer", `(document.getElementById("check-result")?.textContent || "").includes("registered")`, 20*time.Second)
	msg := eval[string](t, frame, `document.getElementById("check-result").textContent`)
	t.Logf("the frame says %q", msg)
	if !strings.HasPrefix(msg, "This token is registered") {
		t.Errorf("the embedded check says %q, want the token registered", msg)
	}
	if strings.Contains(eval[string](t, tab, `document.documentElement.outerHTML`), issued.Result.Token) {
		t.Error("the token is in the host page")
	}
	// The frame still follows its content's height.
	height := eval[int](t, frame, `Math.ceil(document.documentElement.getBoundingClientRect().height)`)
	waitFor(t, tab, "the iframe to fit the check", `Math.round(`+slotFrame+`.getBoundingClientRect().height) === `+itoa(height), 10*time.Second)
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
