package app

import (
	"regexp"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk"
	"tokendesk/internal/lang"
)

// revealedDesk returns a desk showing knownToken.
func revealedDesk(t *testing.T, env *fakeEnv) (*Desk, app.ClientDispatcher) {
	t.Helper()
	env.answer = Answer{Status: 200, Token: knownToken}
	d := NewDesk(lang.EN).withEnv(env)
	disp := app.NewClientTester(d)
	fill(disp, d)
	do(disp, d, d.submit)
	if d.s.phase != Revealed {
		t.Fatal("no reveal")
	}
	return d, disp
}

func TestCheckItNowChecksTheHeldToken(t *testing.T) {
	env := &fakeEnv{checkAnswer: CheckAnswer{Status: 200, Result: true, UpstreamCode: -1}}
	d, disp := revealedDesk(t, env)
	defer disp.Close()

	do(disp, d, func(ctx app.Context) { d.onToggle(ctx, app.Event{}) }) // hidden
	do(disp, d, func(ctx app.Context) { d.onCheckNow(ctx, app.Event{}) })
	if len(env.checked) != 1 || env.checked[0] != "token="+knownToken {
		t.Fatalf("checked %q, want the held token once", env.checked)
	}
	html := app.HTMLString(d)
	if !strings.Contains(html, lang.EN.Text(lang.KeyCheckSaysRegistered)) {
		t.Error("the answer is not shown")
	}
	if a := attrs(html, IDToken); a["type"] != "password" {
		t.Errorf("checking showed the token: %v", a)
	}
	if a := attrs(html, IDCheckNowResult); a["role"] != "status" || !strings.Contains(a["class"], "is-ok") {
		t.Errorf("#%s = %v", IDCheckNowResult, a)
	}
	if strings.Contains(html, lang.EN.Text(lang.KeyCreateNew)) {
		t.Error("the reveal links to the form it is the answer of")
	}

	env.checkAnswer = CheckAnswer{}
	env.checkFailure = TimedOut
	do(disp, d, func(ctx app.Context) { d.onCheckNow(ctx, app.Event{}) })
	if !strings.Contains(app.HTMLString(d), lang.EN.Text(lang.KeyCheckSaysTimedOut)) {
		t.Error("a timed-out check is not explained")
	}
}

func TestSnippetsFollowHideAndDone(t *testing.T) {
	env := &fakeEnv{copyOK: true}
	d, disp := revealedDesk(t, env)
	defer disp.Close()

	html := app.HTMLString(d)
	for _, sn := range Snippets(knownToken) {
		if attrs(html, IDSnippet(sn.ID)) == nil || attrs(html, IDSnippetCopy(sn.ID)) == nil {
			t.Errorf("snippet %s or its Copy button is missing", sn.ID)
		}
	}
	// The token input's value, and one of each of the four snippets.
	if n := strings.Count(html, knownToken); n != 5 {
		t.Errorf("the token is in the reveal %d times, want 5 (field + 4 snippets)", n)
	}
	if !strings.Contains(html, `href="`+tokendesk.DocsURL+`"`) {
		t.Error("no link to the API docs")
	}

	do(disp, d, func(ctx app.Context) { d.onToggle(ctx, app.Event{}) })
	html = app.HTMLString(d)
	if n := strings.Count(html, knownToken); n != 1 {
		t.Errorf("hidden: the token is in the markup %d times, want only the password field's value", n)
	}
	if !strings.Contains(html, MaskToken(knownToken)) {
		t.Error("hidden snippets are not masked")
	}

	// Copy while hidden copies the real snippet; "Copied" only after.
	do(disp, d, func(ctx app.Context) { d.onCopySnippet("curl")(ctx, app.Event{}) })
	curl := Snippets(knownToken)[0]
	if len(env.copied) != 1 || env.copied[0] != curl.Text {
		t.Fatalf("copied %q, want the curl snippet with the token", env.copied)
	}
	html = app.HTMLString(d)
	if !strings.Contains(html, lang.EN.Text(lang.KeySnippetCopied, "label", curl.Label)) {
		t.Error("no status after copying")
	}
	if err := app.TestMatch(d, app.TestUIDescriptor{
		Path:     app.TestPath(0, 0, 9, 2, 0, 0, 1, 0),
		Expected: app.Text(lang.EN.Text(lang.KeyCopied)),
	}); err != nil {
		t.Error(err)
	}
	if d.leave.Load() {
		t.Error("leaving is still guarded after the token was copied in a snippet")
	}

	do(disp, d, func(ctx app.Context) { d.onDone(ctx, app.Event{}) })
	html = app.HTMLString(d)
	if strings.Contains(html, knownToken) || strings.Contains(html, MaskToken(knownToken)) || d.s.snippetStatus != "" {
		t.Error("Done left a snippet behind")
	}
}

func TestRefusedSnippetCopyShowsIt(t *testing.T) {
	env := &fakeEnv{copyOK: false}
	d, disp := revealedDesk(t, env)
	defer disp.Close()
	do(disp, d, func(ctx app.Context) { d.onToggle(ctx, app.Event{}) })
	do(disp, d, func(ctx app.Context) { d.onCopySnippet("go")(ctx, app.Event{}) })
	html := app.HTMLString(d)
	if strings.Contains(html, ">"+lang.EN.Text(lang.KeyCopied)+"<") {
		t.Error("says Copied although the clipboard refused")
	}
	if !strings.Contains(html, lang.EN.Text(lang.KeySnippetCopyFailed)) {
		t.Error("no hint to copy by hand")
	}
	if d.s.hidden || !strings.Contains(html, Snippets(knownToken)[2].Text[:20]) {
		t.Error("the snippet is not shown for copying by hand")
	}
	if !d.leave.Load() {
		t.Error("leaving is not guarded after a refused copy")
	}
}

func TestFormAndRevealLinkToTheCheck(t *testing.T) {
	for _, compact := range []bool{false, true} {
		d := NewDesk(lang.EN)
		d.Compact = compact
		disp := app.NewServerTester(d)
		want := tokendesk.CheckPage
		if compact {
			want = tokendesk.EmbedCheckPage
		}
		if a := attrs(app.HTMLString(d), IDCheckLink); a["href"] != want {
			t.Errorf("compact %v: form's check link = %v, want %s", compact, a, want)
		}
		disp.Close()
	}
	d, disp := revealedDesk(t, &fakeEnv{})
	defer disp.Close()
	if a := attrs(app.HTMLString(d), IDCheckLink); a["href"] != tokendesk.CheckPage || a["target"] != "_blank" {
		t.Errorf("reveal's check link = %v, want %s in a new tab (leaving would lose the token)", a, tokendesk.CheckPage)
	}
}

func TestCompactRevealFoldsTheSnippets(t *testing.T) {
	env := &fakeEnv{answer: Answer{Status: 200, Token: knownToken}}
	d := NewDesk(lang.EN).Compacted().withEnv(env)
	disp := app.NewClientTester(d)
	defer disp.Close()
	fill(disp, d)
	do(disp, d, d.submit)
	html := app.HTMLString(d)
	// go-app prints attributes in map order.
	if !regexp.MustCompile(`<details\b[^>]*\sid="`+IDUseNow+`"`).MatchString(html) || !strings.Contains(html, "<summary") {
		t.Errorf("the embed's snippets are not in a closed <details>:\n%s", html)
	}
	if _, open := attrs(html, IDUseNow)["open"]; open {
		t.Error("the snippets start open")
	}
}
