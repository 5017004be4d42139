package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk"
	"tokendesk/internal/stdlite"
)

// Posting to the relay with fetch, and reading its answers.

// requestTimeoutMS bounds a request. The relay answers upstream timeouts
// itself well before this; it only guards against a hung connection.
const requestTimeoutMS = 60000

func (browserEnv) Send(body string, done func(Answer, Failure)) {
	postAnswer(tokendesk.TokenPath, body, answerOf, done)
}

func (browserEnv) Check(body string, done func(CheckAnswer, Failure)) {
	postAnswer(tokendesk.CheckPath, body, checkAnswerOf, done)
}

// postAnswer posts body to path and reads the answer with read.
func postAnswer[A any](path, body string, read func(int, app.Value) A, done func(A, Failure)) {
	post(path, body, func(status int, v app.Value, f Failure) {
		if f != 0 {
			var zero A
			done(zero, f)
			return
		}
		done(read(status, v), 0)
	})
}

// post sends a urlencoded form to the relay at path and hands done the
// status and the JSON answer (undefined when it is not JSON: the status
// still tells the page what to say), or why no answer came.
func post(path, body string, done func(status int, v app.Value, f Failure)) {
	win := app.Window()
	if !win.Truthy() {
		return
	}
	if online := win.Get("navigator").Get("onLine"); online.Type() == app.TypeBoolean && !online.Bool() {
		done(0, nil, Offline)
		return
	}

	headers := newObject()
	headers.Set("Content-Type", stdlite.ContentTypeURLEncoded)
	headers.Set("Accept", "application/json")
	opts := newObject()
	opts.Set("method", "POST")
	opts.Set("headers", headers)
	opts.Set("body", body)
	opts.Set("credentials", "same-origin")
	opts.Set("cache", "no-store")
	opts.Set("redirect", "error")
	if abort := win.Get("AbortSignal"); abort.Truthy() && abort.Get("timeout").Type() == app.TypeFunction {
		opts.Set("signal", abort.Call("timeout", requestTimeoutMS))
	}

	then(win.Call("fetch", path, opts), func(res app.Value) {
		status := res.Get("status").Int()
		then(res.Call("json"), func(v app.Value) {
			done(status, v, 0)
		}, func(app.Value) {
			done(status, app.Undefined(), 0)
		})
	}, func(err app.Value) {
		switch {
		case isObject(err) && err.Get("name").String() == "TimeoutError":
			done(0, nil, TimedOut)
		case win.Get("navigator").Get("onLine").Type() == app.TypeBoolean && !win.Get("navigator").Get("onLine").Bool():
			done(0, nil, Offline)
		default:
			done(0, nil, Unreachable)
		}
	})
}

// answerOf reads the relay's JSON: {"result":{"token"}} or
// {"error":{"code","message","field"}}. Anything else yields an Answer with
// no token and no message, which the desk reports in plain words.
func answerOf(status int, v app.Value) Answer {
	a := Answer{Status: status}
	if result := get(v, "result"); isObject(result) {
		a.Token = str(get(result, "token"))
	}
	if e := get(v, "error"); isObject(e) {
		a.Code = str(get(e, "code"))
		a.Message = str(get(e, "message"))
		a.Field = str(get(e, "field"))
	}
	return a
}

// checkAnswerOf reads the relay's answer to a check: the upstream's
// {"result": {...}}, or {"error": {"code", "message", "field", "upstream":
// {"error": {"code"}}}}.
func checkAnswerOf(status int, v app.Value) CheckAnswer {
	a := CheckAnswer{Status: status, UpstreamCode: -1}
	a.Result = isObject(get(v, "result"))
	if e := get(v, "error"); isObject(e) {
		a.Code = str(get(e, "code"))
		a.Message = str(get(e, "message"))
		a.Field = str(get(e, "field"))
		if code := get(get(get(e, "upstream"), "error"), "code"); code != nil && code.Type() == app.TypeNumber {
			a.UpstreamCode = code.Int()
		}
	}
	return a
}
