package app

import (
	"regexp"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk"
)

// fakeEnv answers like the relay would, without a browser.
type fakeEnv struct {
	answer  Answer
	failure Failure
	copyOK  bool

	sent   []string
	copied []string
}

func (f *fakeEnv) Send(body string, done func(Answer, Failure)) {
	f.sent = append(f.sent, body)
	done(f.answer, f.failure)
}

func (f *fakeEnv) Copy(text string, done func(bool)) {
	f.copied = append(f.copied, text)
	done(f.copyOK)
}

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
	d := NewDesk()
	disp := app.NewServerTester(d)
	defer disp.Close()
	html := app.HTMLString(d)

	form := attrs(html, IDForm)
	if form == nil || form["method"] != "post" || form["action"] != Endpoint {
		t.Fatalf("form = %v, want a post to %s", form, Endpoint)
	}
	if _, ok := form["data-wasm"]; ok {
		t.Error("prerendered form claims wasm is ready")
	}
	if _, ok := form["novalidate"]; ok {
		t.Error("prerendered form turns off the browser's validation")
	}
	for _, f := range formFields {
		a := attrs(html, f.name)
		if a == nil || a["name"] != f.name {
			t.Errorf("field %s: %v", f.name, a)
			continue
		}
		if a["maxlength"] == "" {
			t.Errorf("field %s has no maxlength", f.name)
		}
		if !strings.Contains(html, `for="`+f.name+`"`) {
			t.Errorf("field %s has no label", f.name)
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
	d := NewDesk().withEnv(&fakeEnv{})
	disp := app.NewClientTester(d)
	defer disp.Close()
	disp.Consume()

	err := app.TestMatch(d, app.TestUIDescriptor{
		Path: app.TestPath(0, 2),
		Expected: app.Form().
			ID(IDForm).
			Class("form").
			Method("post").
			Action(Endpoint).
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
	d := NewDesk().withEnv(env)
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
		Path:     app.TestPath(0, 2, 5, 0),
		Expected: app.Text("2 fields need your attention."),
	}); err != nil {
		t.Error(err)
	}
}

func TestRevealCopyAndDone(t *testing.T) {
	const token = "0b8f6c2e-6f3e-4d7a-9b1e-2f4a5c6d7e8f"
	env := &fakeEnv{answer: Answer{Status: 200, Token: token}, copyOK: true}
	d := NewDesk().withEnv(env)
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
	if !strings.Contains(html, "This token cannot be retrieved again.") || !strings.Contains(html, "Store it now in a safe place.") {
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
		Expected: app.Text(msgCopied),
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
	env := &fakeEnv{answer: Answer{Status: 200, Token: "tok"}, copyOK: false}
	d := NewDesk().withEnv(env)
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
	d := NewDesk().withEnv(env)
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
	d := NewDesk().withEnv(&fakeEnv{})
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
	p := NewPage()
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
