package app

// The desk's way to the browser: Env, and browserEnv, its real
// implementation (fetch.go, clipboard.go, turnstile.go).

// Env is what the desk needs from the browser. Both calls start their work
// at once (the clipboard needs the user's click to still be active) and call
// done later, on any goroutine.
type Env interface {
	// Send posts the urlencoded form to the relay.
	Send(body string, done func(Answer, Failure))
	// Check posts a token check (token=…) to the relay.
	Check(body string, done func(CheckAnswer, Failure))
	// Copy writes text to the clipboard.
	Copy(text string, done func(ok bool))
	// Challenge returns the Turnstile check of the page; it is off when
	// the Worker has no site key.
	Challenge() Challenge
}

// Challenge is the Turnstile widget, shown when the Worker filled its site
// key into the page (site.TurnstileMeta).
type Challenge interface {
	// On reports whether the page asks for the check.
	On() bool
	// Mount renders the widget into the element with the id, loading
	// Turnstile's script the first time. Mount again after the element
	// was replaced.
	Mount(id string)
	// Answer is the widget's answer, "" while there is none.
	Answer() string
	// Reset asks the widget for a new answer: each is single use.
	Reset()
}

// browserEnv uses fetch and the Clipboard API through go-app's JS bridge, not
// net/http or encoding/json, to keep app.wasm small. Natively every call is a
// no-op that never calls done.
type browserEnv struct{ challenge *turnstile }

// newBrowserEnv reads the Turnstile site key from the page.
func newBrowserEnv() browserEnv { return browserEnv{challenge: newTurnstile()} }

func (e browserEnv) Challenge() Challenge {
	if e.challenge == nil {
		return offChallenge{}
	}
	return e.challenge
}
