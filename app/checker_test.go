package app

import (
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk"
	"tokendesk/internal/lang"
)

const knownToken = "0b8f6c2e-6f3e-4d7a-9b1e-2f4a5c6d7e8f"

func doCheck(disp app.ClientDispatcher, c *Checker, fn func(app.Context)) {
	disp.Dispatch(app.Dispatch{Mode: app.Update, Source: c, Function: fn})
	disp.Consume()
	disp.Consume()
}

func TestPrerenderedCheckWorksWithoutWasm(t *testing.T) {
	for _, compact := range []bool{false, true} {
		c := NewChecker(lang.EN)
		c.Compact = compact
		disp := app.NewServerTester(c)
		html := app.HTMLString(c)
		disp.Close()

		form := attrs(html, IDCheckForm)
		if form == nil || form["method"] != "post" || form["action"] != tokendesk.CheckPath {
			t.Fatalf("form = %v, want a post to %s", form, tokendesk.CheckPath)
		}
		if _, ok := form["data-wasm"]; ok {
			t.Error("prerendered form claims wasm is ready")
		}
		if got := form["target"]; compact != (got == "_blank") {
			t.Errorf("compact %v: target %q (the embed's plain post opens a tab)", compact, got)
		}
		in := attrs(html, IDCheckToken)
		// Masked text, never a password field: browsers offer to save
		// what a form's password field held.
		want := map[string]string{"name": tokendesk.FieldToken, "type": "text", "class": "input mono token masked", "autocomplete": "off", "spellcheck": "false", "required": ""}
		for k, v := range want {
			if got, ok := in[k]; !ok || got != v {
				t.Errorf("#%s %s = %q, want %q (%v)", IDCheckToken, k, got, v, in)
			}
		}
		if !strings.Contains(html, `for="`+IDCheckToken+`"`) {
			t.Error("the field has no label")
		}
		if attrs(html, IDCheckToggle) != nil {
			t.Error("a Show button without wasm would do nothing")
		}
		if a := attrs(html, IDCheckResult); a["role"] != "status" {
			t.Errorf("#%s = %v, want a live region", IDCheckResult, a)
		}
		if compact == strings.Contains(html, lang.EN.Text(lang.KeyCheckLead)) {
			t.Errorf("compact %v: the introduction is shown %v", compact, !compact)
		}
	}
}

func TestCheckerChecksAToken(t *testing.T) {
	tests := []struct {
		name     string
		answer   CheckAnswer
		failure  Failure
		want     string
		wantLink bool
		class    string
	}{
		{"registered", CheckAnswer{Status: 200, Result: true, UpstreamCode: -1}, 0, lang.EN.Text(lang.KeyCheckSaysRegistered), false, "is-ok"},
		{"unregistered", CheckAnswer{Status: 422, Code: tokendesk.CodeUpstreamRejected, UpstreamCode: 0}, 0, lang.EN.Text(lang.KeyCheckSaysUnregistered), true, "is-error"},
		{"authorization fail", CheckAnswer{Status: 422, Code: tokendesk.CodeUpstreamRejected, UpstreamCode: 1}, 0, lang.EN.Text(lang.KeyCheckSaysAuthFailed), true, "is-error"},
		{"5xx", CheckAnswer{Status: 502, Code: tokendesk.CodeUpstreamFailed, UpstreamCode: -1}, 0, lang.EN.Text(lang.KeyCheckSaysUnavailable), false, "is-error"},
		{"timeout", CheckAnswer{Status: 504, Code: tokendesk.CodeUpstreamTimeout, UpstreamCode: -1}, 0, lang.EN.Text(lang.KeyCheckSaysTimedOut), false, "is-error"},
		{"offline", CheckAnswer{}, Offline, lang.EN.Text(lang.KeyCheckSaysOffline), false, "is-error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := &fakeEnv{checkAnswer: tt.answer, checkFailure: tt.failure}
			c := NewChecker(lang.EN).withEnv(env)
			disp := app.NewClientTester(c)
			defer disp.Close()
			disp.Consume()

			doCheck(disp, c, func(ctx app.Context) {
				c.s.setValue(" '"+knownToken+"' ", true)
				c.onSubmit(ctx, app.Event{Value: app.Undefined()})
			})
			if len(env.checked) != 1 || env.checked[0] != "token="+knownToken {
				t.Fatalf("sent %q, want one check of exactly the token", env.checked)
			}
			html := app.HTMLString(c)
			if !strings.Contains(html, tt.want) {
				t.Errorf("the page does not say %q:\n%s", tt.want, html)
			}
			if got := strings.Contains(html, lang.EN.Text(lang.KeyCreateNew)); got != tt.wantLink {
				t.Errorf("link to the form shown: %v, want %v", got, tt.wantLink)
			}
			if a := attrs(html, IDCheckResult); !strings.Contains(a["class"], tt.class) {
				t.Errorf("#%s = %v, want class %s", IDCheckResult, a, tt.class)
			}
			if strings.Count(html, knownToken) > 0 {
				t.Error("the token was written into the markup (it belongs in the field's live value only)")
			}
		})
	}
}

func TestCheckerRefusesWhatIsNoToken(t *testing.T) {
	env := &fakeEnv{}
	c := NewChecker(lang.EN).withEnv(env)
	disp := app.NewClientTester(c)
	defer disp.Close()
	disp.Consume()

	doCheck(disp, c, func(ctx app.Context) {
		c.s.setValue("0b8f6c2e-6f3e", false)
		c.onSubmit(ctx, app.Event{Value: app.Undefined()})
	})
	if len(env.checked) != 0 {
		t.Fatalf("sent %q for a cut-short token", env.checked)
	}
	html := app.HTMLString(c)
	in := attrs(html, IDCheckToken)
	if in["aria-invalid"] != "true" || !strings.Contains(in["aria-describedby"], IDCheckToken+"-error") {
		t.Errorf("field = %v, want it invalid and described by its error", in)
	}
	_, err := tokendesk.ValidateCheckToken("0b8f6c2e-6f3e")
	if !strings.Contains(html, err.Message) {
		t.Error("the field error is not shown")
	}
}

func TestCheckerShowHide(t *testing.T) {
	c := NewChecker(lang.EN).withEnv(&fakeEnv{})
	disp := app.NewClientTester(c)
	defer disp.Close()
	disp.Consume()
	doCheck(disp, c, func(ctx app.Context) { c.OnMount(ctx) })

	html := app.HTMLString(c)
	if a := attrs(html, IDCheckToken); a["type"] != "text" || a["class"] != "input mono token masked" {
		t.Fatalf("field = %v, want a masked text field at first", a)
	}
	if a := attrs(html, IDCheckToggle); a == nil || a["aria-controls"] != IDCheckToken {
		t.Fatalf("toggle = %v", a)
	}
	doCheck(disp, c, func(ctx app.Context) { c.onToggle(ctx, app.Event{}) })
	if a := attrs(app.HTMLString(c), IDCheckToken); a["type"] != "text" || a["class"] != "input mono token" {
		t.Errorf("after Show the field = %v", a)
	}
	if err := app.TestMatch(c, app.TestUIDescriptor{
		Path:     app.TestPath(0, 2, 1, 1, 1, 0),
		Expected: app.Text(lang.EN.Text(lang.KeyHide)),
	}); err != nil {
		t.Error(err)
	}
}
