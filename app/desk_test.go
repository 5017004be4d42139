package app

import (
	"regexp"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk"
	"tokendesk/internal/lang"
)

// fakeEnv answers like the relay would, without a browser.
type fakeEnv struct {
	answer  Answer
	failure Failure
	copyOK  bool

	sent   []string
	copied []string

	checkAnswer  CheckAnswer
	checkFailure Failure
	checked      []string

	challenge *fakeChallenge
}

func (f *fakeEnv) Send(body string, done func(Answer, Failure)) {
	f.sent = append(f.sent, body)
	done(f.answer, f.failure)
}

func (f *fakeEnv) Check(body string, done func(CheckAnswer, Failure)) {
	f.checked = append(f.checked, body)
	done(f.checkAnswer, f.checkFailure)
}

func (f *fakeEnv) Copy(text string, done func(bool)) {
	f.copied = append(f.copied, text)
	done(f.copyOK)
}

func (f *fakeEnv) Challenge() Challenge {
	if f.challenge == nil {
		return offChallenge{}
	}
	return f.challenge
}

// fakeChallenge is a Turnstile widget that answers what it is told.
type fakeChallenge struct {
	answer  string
	mounted []string
	resets  int
}

func (c *fakeChallenge) On() bool        { return true }
func (c *fakeChallenge) Mount(id string) { c.mounted = append(c.mounted, id) }
func (c *fakeChallenge) Answer() string  { return c.answer }
func (c *fakeChallenge) Reset()          { c.resets++; c.answer = "" }

// do runs fn on the desk's UI goroutine, as an event handler would, and
// renders the result.
func do(disp app.ClientDispatcher, d *Desk, fn func(app.Context)) {
	disp.Dispatch(app.Dispatch{Mode: app.Update, Source: d, Function: fn})
	disp.Consume()
	disp.Consume()
}

var tagPattern = regexp.MustCompile(`<[a-z0-9]+(?:\s+[^\s=>]+(?:="[^"]*")?)*\s*>`)
var attrPattern = regexp.MustCompile(`([^\s=<>]+)(?:="([^"]*)")?`)

// attrs returns the attributes of the element with the given id in html, or
// nil when there is none.
func attrs(html, id string) map[string]string {
	for _, tag := range tagPattern.FindAllString(html, -1) {
		if !strings.Contains(tag, ` id="`+id+`"`) {
			continue
		}
		m := map[string]string{}
		for _, a := range attrPattern.FindAllStringSubmatch(tag[1:len(tag)-1], -1)[1:] {
			v := a[2]
			if v == "" && strings.HasPrefix(a[1], "aria-") {
				v = "true" // go-app prints "true" as a bare attribute
			}
			m[a[1]] = v
		}
		return m
	}
	return nil
}

func fill(disp app.ClientDispatcher, d *Desk) {
	do(disp, d, func(ctx app.Context) {
		d.s.setValue(tokendesk.FieldName, "Ada Lovelace")
		d.s.setValue(tokendesk.FieldMail, "ada@example.com")
	})
}

func TestPrerenderedFormWorksWithoutWasm(t *testing.T) {
	d := NewDesk(lang.EN)
	disp := app.NewServerTester(d)
	defer disp.Close()
	html := app.HTMLString(d)

	form := attrs(html, IDForm)
	if form == nil || form["method"] != "post" || form["action"] != tokendesk.TokenPath {
		t.Fatalf("form = %v, want a post to %s", form, tokendesk.TokenPath)
	}
	if _, ok := form["data-wasm"]; ok {
		t.Error("prerendered form claims wasm is ready")
	}
	if _, ok := form["novalidate"]; ok {
		t.Error("prerendered form turns off the browser's validation")
	}
	for _, f := range tokendesk.FormFields {
		a := attrs(html, f.Name)
		if a == nil || a["name"] != f.Name {
			t.Errorf("field %s: %v", f.Name, a)
			continue
		}
		if a["maxlength"] == "" {
			t.Errorf("field %s has no maxlength", f.Name)
		}
		if !strings.Contains(html, `for="`+f.Name+`"`) {
			t.Errorf("field %s has no label", f.Name)
		}
	}
	if a := attrs(html, "mail"); a["type"] != "email" || a["autocomplete"] != "email" || a["maxlength"] != "254" {
		t.Errorf("mail = %v", a)
	}
	if a := attrs(html, "name"); a["autocomplete"] != "name" || a["maxlength"] != "100" {
		t.Errorf("name = %v", a)
	}
	if a := attrs(html, "comment"); a["maxlength"] != "1000" {
		t.Errorf("comment = %v", a)
	}
	for _, id := range []string{"name-error", "mail-error", "comment-error", IDFormError, IDSubmit} {
		if attrs(html, id) == nil {
			t.Errorf("no #%s", id)
		}
	}
}

func TestClientTakesOverTheForm(t *testing.T) {
	d := NewDesk(lang.EN).withEnv(&fakeEnv{})
	disp := app.NewClientTester(d)
	defer disp.Close()
	disp.Consume()

	err := app.TestMatch(d, app.TestUIDescriptor{
		Path: app.TestPath(0, 2),
		Expected: app.Form().
			ID(IDForm).
			Class("form").
			Method("post").
			Action(tokendesk.TokenPath).
			NoValidate(true).
			DataSet("wasm", "ready").
			OnSubmit(func(app.Context, app.Event) {}),
	})
	if err != nil {
		t.Error(err)
	}
}

func TestFieldErrorsAreTiedToFields(t *testing.T) {
	env := &fakeEnv{}
	d := NewDesk(lang.EN).withEnv(env)
	disp := app.NewClientTester(d)
	defer disp.Close()

	do(disp, d, d.submit)
	if len(env.sent) != 0 {
		t.Fatal("an empty form was sent")
	}
	html := app.HTMLString(d)
	name := attrs(html, "name")
	if name["aria-invalid"] != "true" || name["aria-describedby"] != "name-error" {
		t.Errorf("name = %v", name)
	}
	if !strings.Contains(html, "Enter your name.") {
		t.Error("the name error is not shown")
	}
	if a := attrs(html, "name-error"); a["aria-live"] != "polite" {
		t.Errorf("name-error = %v", a)
	}
	if comment := attrs(html, "comment"); comment["aria-describedby"] != "comment-hint" {
		t.Errorf("comment = %v", comment)
	}
	if err := app.TestMatch(d, app.TestUIDescriptor{
		Path:     app.TestPath(0, 2, 7, 0),
		Expected: app.Text("2 fields need your attention."),
	}); err != nil {
		t.Error(err)
	}
}

func TestRevealCopyAndDone(t *testing.T) {
	const token = "0b8f6c2e-6f3e-4d7a-9b1e-2f4a5c6d7e8f"
	env := &fakeEnv{answer: Answer{Status: 200, Token: token}, copyOK: true}
	d := NewDesk(lang.EN).withEnv(env)
	disp := app.NewClientTester(d)
	defer disp.Close()

	fill(disp, d)
	do(disp, d, d.submit)
	if len(env.sent) != 1 {
		t.Fatalf("sent %d requests, want 1", len(env.sent))
	}

	html := app.HTMLString(d)
	if a := attrs(html, IDResult); a == nil || a["aria-labelledby"] != IDResultTitle {
		t.Fatalf("no result region: %v\n%s", a, html)
	}
	if a := attrs(html, IDToken); a["value"] != token || a["type"] != "text" {
		t.Errorf("token input = %v", a)
	}
	if a := attrs(html, IDResultTitle); a["tabindex"] != "-1" {
		t.Errorf("result heading cannot take focus: %v", a)
	}
	if !strings.Contains(html, "This token cannot be retrieved again.") || !strings.Contains(html, en(lang.KeyStoreNow)) {
		t.Error("the warning is missing")
	}
	if !d.leave.Load() {
		t.Error("leaving is not guarded")
	}
	if err := app.TestMatch(d, app.TestUIDescriptor{
		Path:     app.TestPath(0, 0, 0, 0),
		Expected: app.Text("Your API token"),
	}); err != nil {
		t.Error(err)
	}

	do(disp, d, func(ctx app.Context) { d.onToggle(ctx, app.Event{}) })
	if a := attrs(app.HTMLString(d), IDToken); a["type"] != "password" {
		t.Errorf("hidden token input = %v", a)
	}
	do(disp, d, func(ctx app.Context) { d.onToggle(ctx, app.Event{}) })

	do(disp, d, func(ctx app.Context) { d.onCopy(ctx, app.Event{}) })
	if len(env.copied) != 1 || env.copied[0] != token {
		t.Errorf("copied %q", env.copied)
	}
	if err := app.TestMatch(d, app.TestUIDescriptor{
		Path:     app.TestPath(0, 0, 5, 0),
		Expected: app.Text(en(lang.KeyCopiedStatus)),
	}); err != nil {
		t.Error(err)
	}
	if a := attrs(app.HTMLString(d), IDCopyStatus); a["role"] != "status" {
		t.Errorf("copy status = %v", a)
	}
	if d.leave.Load() {
		t.Error("leaving is still guarded after a copy")
	}

	do(disp, d, func(ctx app.Context) { d.onDone(ctx, app.Event{}) })
	html = app.HTMLString(d)
	if strings.Contains(html, token) || d.s.token != "" {
		t.Error("done left the token behind")
	}
	if attrs(html, IDForm) == nil {
		t.Error("done did not return to the form")
	}
	if a := attrs(html, "name"); a["value"] != "" {
		t.Errorf("done kept the name: %v", a)
	}
}

func TestFailedCopyExplainsHowToCopy(t *testing.T) {
	env := &fakeEnv{answer: Answer{Status: 200, Token: "0b8f6c2e-6f3e-4d7a-9b1e-2f4a5c6d7e8f"}, copyOK: false}
	d := NewDesk(lang.EN).withEnv(env)
	disp := app.NewClientTester(d)
	defer disp.Close()

	fill(disp, d)
	do(disp, d, d.submit)
	do(disp, d, func(ctx app.Context) { d.onCopy(ctx, app.Event{}) })
	html := app.HTMLString(d)
	if !strings.Contains(html, "Ctrl+C") {
		t.Error("no manual copy instructions")
	}
	if a := attrs(html, IDCopyStatus); !strings.Contains(a["class"], "is-error") {
		t.Errorf("copy status = %v", a)
	}
	if strings.Contains(html, ">Copied<") {
		t.Error("says Copied although copying failed")
	}
	if !d.leave.Load() {
		t.Error("leaving is not guarded after a failed copy")
	}
}

func TestNetworkFailureKeepsForm(t *testing.T) {
	env := &fakeEnv{failure: Offline}
	d := NewDesk(lang.EN).withEnv(env)
	disp := app.NewClientTester(d)
	defer disp.Close()

	fill(disp, d)
	do(disp, d, d.submit)
	html := app.HTMLString(d)
	if !strings.Contains(html, "You are offline.") {
		t.Error("offline is not reported")
	}
	if attrs(html, IDForm) == nil || d.s.value(tokendesk.FieldName) != "Ada Lovelace" {
		t.Error("the form or its values were lost")
	}
	if a := attrs(html, IDSubmit); a["aria-disabled"] != "" {
		t.Errorf("submit still busy: %v", a)
	}
}

func TestBusyButton(t *testing.T) {
	d := NewDesk(lang.EN).withEnv(&fakeEnv{})
	disp := app.NewClientTester(d)
	defer disp.Close()

	fill(disp, d)
	do(disp, d, func(ctx app.Context) {
		d.s.submit() // under way: no answer yet
	})
	html := app.HTMLString(d)
	if a := attrs(html, IDSubmit); a["aria-disabled"] != "true" || !strings.Contains(a["class"], "is-busy") {
		t.Errorf("submit = %v", a)
	}
	if !strings.Contains(html, "Creating token…") {
		t.Error("no busy label")
	}
}

func TestPageShowsUpdateNotice(t *testing.T) {
	p := NewPage(lang.EN)
	disp := app.NewClientTester(p)
	defer disp.Close()
	if attrs(app.HTMLString(p), IDUpdate) != nil {
		t.Fatal("update notice shown without an update")
	}
	disp.Dispatch(app.Dispatch{Mode: app.Update, Source: p, Function: func(ctx app.Context) {
		p.updateAvailable = true
	}})
	disp.Consume()
	if a := attrs(app.HTMLString(p), IDUpdate); a == nil || a["type"] != "button" {
		t.Errorf("update notice = %v", a)
	}
	if !strings.Contains(app.HTMLString(p), "Reload to update") {
		t.Error("the notice does not say how to update")
	}
}

func TestRequestBodyCarriesTheChallengeAnswer(t *testing.T) {
	form := "comment=&mail=ada%40example.com&name=Ada+Lovelace"
	for _, c := range []struct{ answer, want string }{
		{"", form},
		{"0.abc+/=&x", form + "&cf-turnstile-response=0.abc%2B%2F%3D%26x"},
	} {
		if got := requestBody(form, c.answer); got != c.want {
			t.Errorf("requestBody(%q) = %q, want %q", c.answer, got, c.want)
		}
	}
	if got := requestBody("", "a"); got != "cf-turnstile-response=a" {
		t.Errorf("requestBody of an empty form = %q", got)
	}
}

func TestTurnstileOffSendsNoAnswerAndShowsNoWidget(t *testing.T) {
	env := &fakeEnv{answer: Answer{Status: 200, Token: "0b8f6c2e-6f3e-4d7a-9b1e-2f4a5c6d7e8f"}}
	d := NewDesk(lang.EN).withEnv(env)
	disp := app.NewClientTester(d)
	defer disp.Close()
	disp.Consume()

	html := app.HTMLString(d)
	if a := attrs(html, IDTurnstile); a == nil || a["class"] != "turnstile" || strings.Contains(html, "<iframe") {
		t.Errorf("#%s = %v: want the empty container the CSS hides when off", IDTurnstile, a)
	}
	fill(disp, d)
	do(disp, d, d.submit)
	if len(env.sent) != 1 || strings.Contains(env.sent[0], tokendesk.FieldTurnstile) {
		t.Fatalf("sent %q, want one body without %s", env.sent, tokendesk.FieldTurnstile)
	}
}

func TestTurnstileOnSendsItsAnswerOnceAndResets(t *testing.T) {
	ch := &fakeChallenge{}
	env := &fakeEnv{challenge: ch, answer: Answer{Status: 403, Code: tokendesk.CodeChallengeFailed,
		Message: "The check that you are a person did not pass. Complete the check above the button again, then resend; your details are kept."}}
	d := NewDesk(lang.EN).withEnv(env)
	disp := app.NewClientTester(d)
	defer disp.Close()
	disp.Consume()
	if len(ch.mounted) != 1 || ch.mounted[0] != IDTurnstile {
		t.Fatalf("widget mounted into %v, want #%s once", ch.mounted, IDTurnstile)
	}

	// No answer yet: nothing is sent, and the page says what to do.
	fill(disp, d)
	do(disp, d, d.submit)
	if len(env.sent) != 0 {
		t.Fatalf("sent %q before the check had an answer", env.sent)
	}
	if d.s.formError != en(lang.KeyChallengePending) || d.s.phase != Editing {
		t.Errorf("form error %q in phase %v, want %q while editing", d.s.formError, d.s.phase, en(lang.KeyChallengePending))
	}

	// Answered: the answer goes with the form; the relay refuses it.
	ch.answer = "XXXX.DUMMY.TOKEN"
	do(disp, d, d.submit)
	if len(env.sent) != 1 || !strings.HasSuffix(env.sent[0], "&cf-turnstile-response=XXXX.DUMMY.TOKEN") ||
		!strings.Contains(env.sent[0], "name=Ada+Lovelace") {
		t.Fatalf("sent %q, want the form and the answer", env.sent)
	}
	if ch.resets != 1 {
		t.Errorf("widget reset %d times after the answer, want 1 (answers are single use)", ch.resets)
	}
	if d.s.formError != env.answer.Message {
		t.Errorf("form error %q, want the relay's sentence", d.s.formError)
	}
	if d.s.values[tokendesk.FieldName] != "Ada Lovelace" {
		t.Error("the details were not kept")
	}

	// A new answer, and a success: reset again; Done mounts a new widget.
	ch.answer = "YYYY.DUMMY.TOKEN"
	env.answer = Answer{Status: 200, Token: "0b8f6c2e-6f3e-4d7a-9b1e-2f4a5c6d7e8f"}
	do(disp, d, d.submit)
	if len(env.sent) != 2 || !strings.HasSuffix(env.sent[1], "cf-turnstile-response=YYYY.DUMMY.TOKEN") || ch.resets != 2 {
		t.Fatalf("sent %q with %d resets", env.sent, ch.resets)
	}
	if d.s.phase != Revealed {
		t.Fatalf("phase %v, want Revealed", d.s.phase)
	}
	do(disp, d, func(ctx app.Context) { d.onDone(ctx, app.Event{}) })
	if len(ch.mounted) != 2 {
		t.Errorf("widget mounted %d times, want again after Done", len(ch.mounted))
	}
}

func TestChallengeFailedWithoutMessage(t *testing.T) {
	s := newState(lang.EN)
	s.values[tokendesk.FieldName] = "Ada Lovelace"
	s.values[tokendesk.FieldMail] = "ada@example.com"
	if _, ok := s.submit(); !ok {
		t.Fatal("valid form refused")
	}
	s.receive(Answer{Status: 403, Code: tokendesk.CodeChallengeFailed})
	if s.formError != en(lang.KeyChallengeFailed) {
		t.Errorf("form error %q, want %q", s.formError, en(lang.KeyChallengeFailed))
	}
}

// en is a sentence in English, the language of most of these tests.
func en(key lang.Key, args ...string) string { return lang.EN.Text(key, args...) }
