//go:build js && wasm

// faultworker is a Worker on the bridge whose handler fails on purpose, for
// the bridge's failure tests (worker/e2e/bridge_test.go). It answers with
// the id of its Go instance, so a test can tell when a fresh one started.
//
//	/ok      200, the instance id
//	/panic   the handler panics
//	/exit    the Go program exits
//	/hang    the handler blocks on something that is not the bridge's, after
//	         printing hangMarker (a test waits for it)
//	/fetch   the handler fetches UPSTREAM_URL/slow, then answers
//
// With the var FAULT=setup-panic, every instance panics while it starts.
package main

import (
	"os"
	"strconv"
	"time"

	"tokendesk/internal/stdlite"
	"tokendesk/worker/bridge"
	"tokendesk/worker/message"
)

// deadline is short, so a hanging request fails fast in tests.
const deadline = 2 * time.Second

// hangMarker is the line /hang prints to the Worker's log once it blocks.
const hangMarker = "faultworker: /hang blocks"

var instance = strconv.FormatInt(time.Now().UnixNano(), 36)

func main() {
	bridge.Serve(func(getenv func(string) string, _ string) (bridge.Handler, time.Duration) {
		if getenv("FAULT") == "setup-panic" {
			panic("faultworker: setup fails")
		}
		upstream := getenv("UPSTREAM_URL")
		never := make(chan struct{})
		return func(r *message.Request) *message.Answer {
			switch stdlite.ParseTarget(r.URL).Path {
			case "/panic":
				panic("faultworker: the handler fails")
			case "/exit":
				os.Exit(3)
			case "/hang":
				println(hangMarker)
				<-never
			case "/fetch":
				in, err := bridge.Transport{}.RoundTrip(r, &message.Outbound{Method: "GET", URL: upstream + "/slow", Timeout: 10 * time.Second})
				if err != nil {
					return &message.Answer{Status: 502, Body: []byte(err.Error())}
				}
				return &message.Answer{Status: 200, Body: append([]byte(instance+" "), in.Body...)}
			}
			return &message.Answer{Status: 200, Body: []byte(instance)}
		}, deadline
	})
}
