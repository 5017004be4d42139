package app

import (
	stdhtml "html"
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk/internal/lang"
)

// fakeKeeper is a browser for "Keep it safe" that records what the desk
// asks of it.
type fakeKeeper struct {
	framed, canStore, storeOK, canShare bool
	clip                                ClipOutcome

	stored    [][3]string
	shared    []string
	downloads [][2]string
	clears    []string // "asked:text" or "timed:text"
	ticks     []func()
	now       time.Time
}

func (k *fakeKeeper) Framed() bool   { return k.framed }
func (k *fakeKeeper) CanStore() bool { return k.canStore }
func (k *fakeKeeper) Store(id, password, name string, done func(bool)) {
	k.stored = append(k.stored, [3]string{id, password, name})
	done(k.storeOK)
}
func (k *fakeKeeper) CanShare() bool    { return k.canShare }
func (k *fakeKeeper) Share(text string) { k.shared = append(k.shared, text) }
func (k *fakeKeeper) Download(name, text string) {
	k.downloads = append(k.downloads, [2]string{name, text})
}
func (k *fakeKeeper) ClearClipboard(text string, asked bool, done func(ClipOutcome)) {
	how := "timed:"
	if asked {
		how = "asked:"
	}
	k.clears = append(k.clears, how+text)
	done(k.clip)
}
func (k *fakeKeeper) Tick(fn func()) { k.ticks = append(k.ticks, fn) }
func (k *fakeKeeper) Now() time.Time { return k.now }

// tick runs the pending ticks, as a second passing would.
func (k *fakeKeeper) tick(disp app.ClientDispatcher) {
	k.now = k.now.Add(time.Second)
	ticks := k.ticks
	k.ticks = nil
	for _, fn := range ticks {
		fn()
	}
	disp.Consume()
	disp.Consume()
}

// keptDesk is a desk showing knownToken, with k as its browser.
func keptDesk(t *testing.T, env *fakeEnv, k *fakeKeeper) (*Desk, app.ClientDispatcher) {
	t.Helper()
	env.answer = Answer{Status: 200, Token: knownToken}
	d := NewDesk(lang.EN).withEnv(env)
	d.keep = k
	disp := app.NewClientTester(d)
	fill(disp, d)
	do(disp, d, d.submit)
	if d.s.phase != Revealed {
		t.Fatal("no reveal")
	}
	return d, disp
}

func TestQRCodeOnRequestHiddenAndDone(t *testing.T) {
	d, disp := keptDesk(t, &fakeEnv{}, &fakeKeeper{})
	defer disp.Close()
	if attrs(app.HTMLString(d), IDQR) != nil {
		t.Fatal("the QR code is there before it was asked for")
	}
	do(disp, d, func(ctx app.Context) { d.onToggle(ctx, app.Event{}) }) // hide the token
	do(disp, d, func(ctx app.Context) { d.onToggleQR(ctx, app.Event{}) })
	html := app.HTMLString(d)
	qr := attrs(html, IDQR)
	if qr == nil || qr["role"] != "img" || qr["aria-label"] != en(lang.KeyQRName) || qr["viewBox"] != qrViewBox {
		t.Fatalf("QR code %v", qr)
	}
	m, _ := QRCode(knownToken)
	if !strings.Contains(html, `d="`+m.svgPath()+`"`) {
		t.Error("the QR code does not draw the token")
	}
	if d.s.hidden {
		t.Error("showing the QR code left the token hidden")
	}
	if a := attrs(html, IDQRToggle); a["aria-expanded"] != "true" || !strings.Contains(html, en(lang.KeyHideQR)) {
		t.Errorf("the QR toggle %v says nothing of the shown code", a)
	}

	do(disp, d, func(ctx app.Context) { d.onToggle(ctx, app.Event{}) }) // Hide
	if attrs(app.HTMLString(d), IDQR) != nil {
		t.Error("Hide left the QR code")
	}
	do(disp, d, func(ctx app.Context) { d.onToggleQR(ctx, app.Event{}) })
	do(disp, d, func(ctx app.Context) { d.onDone(ctx, app.Event{}) })
	if attrs(app.HTMLString(d), IDQR) != nil || d.s.keep.qr {
		t.Error("Done left the QR code")
	}
}

func TestSaveToPasswordManager(t *testing.T) {
	for _, tt := range []struct {
		name string
		k    fakeKeeper
		want lang.Key
	}{
		{"PasswordCredential, stored", fakeKeeper{canStore: true, storeOK: true}, lang.KeySaveOffered},
		{"PasswordCredential, refused", fakeKeeper{canStore: true}, lang.KeySaveFailed},
		{"the form only", fakeKeeper{}, lang.KeySaveAsk},
	} {
		d, disp := keptDesk(t, &fakeEnv{}, &tt.k)
		html := app.HTMLString(d)
		form := attrs(html, IDSaveForm)
		if form == nil || form["method"] != "dialog" {
			t.Errorf("%s: save form %v, want method=dialog (it sends nothing)", tt.name, form)
		}
		for id, auto := range map[string]string{IDSaveMail: "username", IDSavePass: "new-password"} {
			if a := attrs(html, id); a == nil || a["autocomplete"] != auto || a["tabindex"] != "-1" {
				t.Errorf("%s: field %s %v", tt.name, id, a)
			}
		}
		if n := strings.Count(html, knownToken); n != 5 {
			t.Errorf("%s: the token is in the reveal %d times, want 5: the save form holds it only while submitted", tt.name, n)
		}
		do(disp, d, func(ctx app.Context) { d.onSave(ctx, app.Event{Value: app.Undefined()}) })
		if d.s.keep.status != en(tt.want) {
			t.Errorf("%s: status %q, want %q", tt.name, d.s.keep.status, en(tt.want))
		}
		if tt.k.canStore && (len(tt.k.stored) != 1 || tt.k.stored[0] != [3]string{"ada@example.com", knownToken, en(lang.KeyAppName)}) {
			t.Errorf("%s: stored %q, want the mail, the token and the desk's name", tt.name, tt.k.stored)
		}
		disp.Close()
	}
}

func TestSaveInAFrameLinksTheFullPage(t *testing.T) {
	d, disp := keptDesk(t, &fakeEnv{}, &fakeKeeper{framed: true, canStore: true, canShare: true})
	defer disp.Close()
	html := app.HTMLString(d)
	if attrs(html, IDSaveForm) != nil || attrs(html, IDShare) != nil {
		t.Error("a frame offers saving or sharing, which the browser refuses there")
	}
	link := attrs(html, IDOpenFull)
	if link == nil || link["href"] != "/" || link["target"] != "_blank" || strings.Contains(link["href"], knownToken) {
		t.Errorf("link to the full page %v", link)
	}
	if !strings.Contains(stdhtml.UnescapeString(html), en(lang.KeySaveInFrame)) {
		t.Error("the frame does not say why it cannot save")
	}
}

func TestShareAndDownload(t *testing.T) {
	k := &fakeKeeper{canShare: true}
	d, disp := keptDesk(t, &fakeEnv{}, k)
	defer disp.Close()
	if attrs(app.HTMLString(d), IDShare) == nil {
		t.Fatal("no Share button where the browser has Web Share")
	}
	do(disp, d, func(ctx app.Context) { d.onShare(ctx, app.Event{}) })
	do(disp, d, func(ctx app.Context) { d.onDownloadEnv(ctx, app.Event{}) })
	if len(k.shared) != 1 || k.shared[0] != knownToken {
		t.Errorf("shared %q", k.shared)
	}
	want := "# MetaHuman SDK API token. Keep this file out of version control: add this line to .gitignore\n" +
		"# metahumansdk.env\nMETAHUMANSDK_TOKEN=" + knownToken + "\n"
	if len(k.downloads) != 1 || k.downloads[0] != [2]string{"metahumansdk.env", want} {
		t.Errorf("downloaded %q", k.downloads)
	}
	if d.s.keep.status != en(lang.KeyEnvDownloaded, "file", EnvFileName) {
		t.Errorf("status %q", d.s.keep.status)
	}
}

func TestClipboardCountdown(t *testing.T) {
	for _, tt := range []struct {
		outcome ClipOutcome
		want    lang.Key
		stays   bool
	}{
		{ClipCleared, lang.KeyClipCleared, false},
		{ClipChanged, lang.KeyClipChanged, false},
		{ClipAsk, lang.KeyClipAsk, true},
	} {
		k := &fakeKeeper{clip: tt.outcome}
		d, disp := keptDesk(t, &fakeEnv{copyOK: true}, k)
		if attrs(app.HTMLString(d), IDClipClear) != nil {
			t.Error("a countdown before any copy")
		}
		do(disp, d, func(ctx app.Context) { d.onCopy(ctx, app.Event{}) })
		if !strings.Contains(app.HTMLString(d), en(lang.KeyClipClearIn, "n", "90")) || len(k.ticks) != 1 {
			t.Fatalf("no 90 s countdown after a copy (%d ticks)", len(k.ticks))
		}
		for range ClipClearSeconds - 1 {
			k.tick(disp)
		}
		if len(k.clears) != 0 || !strings.Contains(app.HTMLString(d), en(lang.KeyClipClearIn, "n", "1")) {
			t.Fatalf("after 89 s: cleared %q", k.clears)
		}
		k.tick(disp)
		if len(k.clears) != 1 || k.clears[0] != "timed:"+knownToken || len(k.ticks) != 0 {
			t.Fatalf("after 90 s: cleared %q, %d ticks left", k.clears, len(k.ticks))
		}
		if d.s.copyStatus != en(tt.want) {
			t.Errorf("%d: status %q, want %q", tt.outcome, d.s.copyStatus, en(tt.want))
		}
		html := app.HTMLString(d)
		if stays := attrs(html, IDClipClear+"-now") != nil; stays != tt.stays {
			t.Errorf("%d: Clear the clipboard shown: %v, want %v", tt.outcome, stays, tt.stays)
		}
		if strings.Contains(html, IDClipTimer) {
			t.Error("the countdown still shows after it ran")
		}
		if tt.stays {
			k.clip = ClipCleared
			do(disp, d, func(ctx app.Context) { d.onClipClear(ctx, app.Event{}) })
			if k.clears[1] != "asked:"+knownToken || d.s.clip.text != "" {
				t.Errorf("a click after the ask: %q", k.clears)
			}
		}
		disp.Close()
	}
}

// A late tick (a busy page) counts the time that passed, not one second.
func TestClipboardCountdownReadsTheClock(t *testing.T) {
	k := &fakeKeeper{clip: ClipCleared}
	d, disp := keptDesk(t, &fakeEnv{copyOK: true}, k)
	defer disp.Close()
	do(disp, d, func(ctx app.Context) { d.onCopy(ctx, app.Event{}) })
	k.now = k.now.Add(59 * time.Second)
	k.tick(disp)
	if d.s.clip.left != 30 {
		t.Errorf("60 s after the copy %d s are left, want 30", d.s.clip.left)
	}
	k.now = k.now.Add(40 * time.Second)
	k.tick(disp)
	if len(k.clears) != 1 {
		t.Errorf("100 s after the copy: cleared %q", k.clears)
	}
}

func TestClipboardCountdownFollowsTheLastCopyAndDone(t *testing.T) {
	k := &fakeKeeper{clip: ClipCleared}
	d, disp := keptDesk(t, &fakeEnv{copyOK: true}, k)
	defer disp.Close()
	do(disp, d, func(ctx app.Context) { d.onCopy(ctx, app.Event{}) })
	k.tick(disp)
	do(disp, d, func(ctx app.Context) { d.onCopySnippet("env")(ctx, app.Event{}) })
	if d.s.clip.text != Snippets(knownToken)[3].Text || d.s.clip.left != ClipClearSeconds {
		t.Fatalf("a snippet copy did not restart the countdown for the snippet: %+v", d.s.clip)
	}
	// Both the old countdown's tick and the new one's run; only the new
	// one counts.
	k.tick(disp)
	if d.s.clip.left != ClipClearSeconds-1 {
		t.Errorf("left %d after one second, want %d", d.s.clip.left, ClipClearSeconds-1)
	}
	do(disp, d, func(ctx app.Context) { d.onDone(ctx, app.Event{}) })
	if len(k.clears) != 1 || k.clears[0] != "asked:"+Snippets(knownToken)[3].Text {
		t.Errorf("Done cleared %q, want the snippet, at once", k.clears)
	}
	k.tick(disp)
	if len(k.clears) != 1 {
		t.Error("a tick after Done cleared again")
	}
}
