//go:build js && wasm

package bridge

import (
	"errors"
	"strconv"
	"syscall/js"
	"time"

	"tokendesk/worker/message"
)

// Handler answers one request. It may wait only on the bridge's own
// operations (see the package comment).
type Handler func(*message.Request) *message.Answer

// Setup builds the handler from the Worker vars and the deployed version's
// id (empty when unknown), once per Go instance, and says how long JS
// should wait for one request before answering 500.
type Setup func(getenv func(string) string, version string) (h Handler, deadline time.Duration)

// Serve runs the bridge until the instance is dropped: it takes the hooks
// entry.mjs left under HooksGlobal and deletes the global, so nothing per
// request or per instance stays in a module-wide slot; gives JS the
// functions configure, start, resume and cancel; and calls hooks.ready.
func Serve(setup Setup) {
	global := js.Global()
	b := &bridge{setup: setup, hooks: global.Get(HooksGlobal), calls: map[int]*call{}, idle: make(chan func())}
	theBridge = b
	global.Delete(HooksGlobal)
	b.hooks.Set("configure", js.FuncOf(b.configure))
	b.hooks.Set("start", js.FuncOf(b.start))
	b.hooks.Set("resume", js.FuncOf(b.resume))
	b.hooks.Set("cancel", js.FuncOf(b.cancel))
	b.hooks.Call("ready")
	select {}
}

// theBridge is the instance's bridge, for perform. There is one per Go
// instance, and it holds no per-request state of its own: requests find
// their call through Request.Call.
var theBridge *bridge

type bridge struct {
	setup    Setup
	hooks    js.Value
	handler  Handler
	deadline time.Duration
	calls    map[int]*call
	// idle hands work to handler goroutines waiting for it. Reusing them
	// keeps their grown stacks; idlers counts them, at most maxIdle, so a
	// burst of requests does not leave its goroutines (and their stacks)
	// behind for good.
	idle   chan func()
	idlers int
}

// maxIdle bounds the idle handler goroutines.
const maxIdle = 32

// call is one request in flight.
type call struct {
	id      int
	started time.Time
	results chan outcome
	logLine string
	done    bool // answered, or abandoned by JS
}

type outcome struct {
	in  *message.Inbound
	err error
}

// errAbandoned is the outcome of an operation whose request JS gave up on.
var errAbandoned = errors.New("bridge: the request was abandoned")

// configure(env, version) builds the handler from env's vars and returns
// "deadline ms\n" + the JSON body JS answers with when Go fails a request.
func (b *bridge) configure(_ js.Value, args []js.Value) any {
	env := args[0]
	getenv := func(name string) string {
		v := env.Get(name)
		if v.Type() != js.TypeString {
			return ""
		}
		return v.String()
	}
	b.handler, b.deadline = b.setup(getenv, args[1].String())
	return strconv.FormatInt(b.deadline.Milliseconds(), 10) + "\n" + string(InternalError().JSON())
}

// start(id, head, body) begins a request. Its steps arrive through
// hooks.deliver(id, step), the first before start returns unless the
// handler is stuck.
func (b *bridge) start(_ js.Value, args []js.Value) any {
	id := args[0].Int()
	b.reap()
	req, err := ParseStart(args[1].String(), bytesOf(args[2]))
	if err != nil {
		b.hooks.Call("deliver", id, AnswerStep(BadStart(), ""))
		return nil
	}
	c := &call{id: id, started: time.Now(), results: make(chan outcome, 1)}
	req.Call = c
	b.calls[id] = c
	b.run(func() {
		a := b.serve(req)
		if !c.done {
			c.done = true
			delete(b.calls, c.id)
			b.hooks.Call("deliver", c.id, AnswerStep(a, c.logLine))
		}
	})
	return nil
}

// serve runs the handler and turns a panic into a 500.
func (b *bridge) serve(req *message.Request) (a *message.Answer) {
	defer func() {
		if recover() != nil {
			a = InternalAnswer()
		}
	}()
	return b.handler(req)
}

// run runs job on an idle handler goroutine, or a new one if none is idle.
// (Go runs one goroutine at a time here, so idlers needs no lock.)
func (b *bridge) run(job func()) {
	select {
	case b.idle <- job:
	default:
		go func() {
			for {
				job()
				if b.idlers >= maxIdle {
					return
				}
				b.idlers++
				job = <-b.idle
				b.idlers--
			}
		}()
	}
}

// resume(id, head, body) delivers an operation's outcome.
func (b *bridge) resume(_ js.Value, args []js.Value) any {
	c, ok := b.calls[args[0].Int()]
	if !ok {
		return nil
	}
	in, err := ParseOutcome(args[1].String(), bytesOf(args[2]))
	select {
	case c.results <- outcome{in, err}:
	default:
	}
	return nil
}

// cancel(id) tells Go that JS gave up on a request: its pending operation
// fails, and its answer is not delivered.
func (b *bridge) cancel(_ js.Value, args []js.Value) any {
	if c, ok := b.calls[args[0].Int()]; ok {
		b.abandon(c)
	}
	return nil
}

func (b *bridge) abandon(c *call) {
	c.done = true
	delete(b.calls, c.id)
	select {
	case c.results <- outcome{err: errAbandoned}:
	default:
	}
}

// reap abandons requests older than the deadline. workerd drops a request
// whose client went away without running any more of its JS, so nothing
// tells Go; its handler must not wait forever.
func (b *bridge) reap() {
	for _, c := range b.calls {
		if time.Since(c.started) > b.deadline {
			b.abandon(c)
		}
	}
}

// perform hands the operation step to the request's JS and waits for its
// outcome.
func perform(r *message.Request, step string) (*message.Inbound, error) {
	c, ok := r.Call.(*call)
	if !ok || c.done {
		return nil, errAbandoned
	}
	theBridge.hooks.Call("deliver", c.id, step)
	o := <-c.results
	return o.in, o.err
}

func bytesOf(v js.Value) []byte {
	n := v.Get("byteLength").Int()
	if n == 0 {
		return nil
	}
	b := make([]byte, n)
	js.CopyBytesToGo(b, v)
	return b
}

// Transport makes outbound calls with fetch: the global fetch, or the
// fetch of the env binding named Binding.
type Transport struct{ Binding string }

func (t Transport) RoundTrip(r *message.Request, out *message.Outbound) (*message.Inbound, error) {
	return perform(r, FetchStep(t.Binding, out))
}

// Limiter is a rate-limiting binding ([[ratelimits]] in wrangler.toml).
type Limiter struct{ Binding string }

func (l Limiter) Allow(r *message.Request, key string) (bool, error) {
	in, err := perform(r, LimitStep(l.Binding, key))
	if err != nil {
		return true, err
	}
	return string(in.Body) == "1", nil
}

// Log attaches the request's log line to its answer; JS writes it.
func Log(r *message.Request, line string) {
	if c, ok := r.Call.(*call); ok {
		c.logLine = line
	}
}
