// Package bridge runs the Worker's Go code in the Workers runtime: one
// long-lived Go instance per isolate, driven by worker/entry.mjs.
//
// Go computes; JavaScript does every await. workerd ties each I/O object to
// the request that made it, while Go's scheduler runs whichever goroutine is
// ready, so Go never touches I/O itself. A handler that needs I/O (a fetch,
// a rate-limit check) hands the request's own JS an operation and waits for
// its outcome; JS performs it and resumes Go.
//
// The rule for handler authors: a handler may wait only on the bridge's own
// operations (its Transport and Limiter, given the request). Anything else
// that blocks (a mutex, a channel, time.Sleep) stalls the request until the
// bridge's deadline, when JS answers 500 for it.
//
// The lifecycle, both halves (entry.mjs in JS, bridge.go in Go):
//
//	step          JS (entry.mjs)                         Go (bridge.go)
//	start Go      on the first request that needs Go,    Serve takes the hooks from
//	              the hooks {ready, deliver} go under    the global and deletes it,
//	              the global HooksGlobal, then go.run    adds configure, start,
//	                                                     resume and cancel, calls
//	                                                     ready and blocks for good
//	configure     configure(env, version), once per      runs the Setup; answers
//	              instance                               "deadline ms\n" and the
//	                                                     JSON of InternalError
//	a request     start(id, head, body bytes)            reaps, parses the start,
//	                                                     runs the handler on a
//	                                                     goroutine
//	a step        deliver(id, step): one Go delivers     an operation (FetchStep,
//	              during the call into Go is what the    LimitStep) or the answer
//	              call returns (the fast path, almost    (AnswerStep, with the log
//	              always); a later one settles the       line)
//	              request's wait, bounded by its
//	              deadline
//	an outcome    resume(id, head, body bytes), once     ParseOutcome; the handler
//	              the operation is done                  waiting on it goes on
//	giving up     at the deadline, or on an error:       abandon: the pending
//	              cancel(id), and 500 with the JSON      operation fails, the
//	              configure gave                         answer is never delivered
//	reaping                                              each start abandons the
//	                                                     calls older than the
//	                                                     deadline: workerd drops a
//	                                                     request whose client left
//	                                                     without running its JS
//	Go exits      a call into Go throws, or go.exited
//	              after it: every waiting request gets
//	              500, and the next one starts a fresh
//	              instance
//
// The wire format of each message is wire.go's; wire.mjs is its JS half.
package bridge
