//go:build !js

// Command tailerrors keeps the failed requests from `wrangler tail --format
// json` (stdin) and prints each as one JSON line (stdout). Failed means the
// Worker did not finish (exception, CPU or memory limit) or answered 5xx,
// such as the relay's upstream_failed: wrangler's own `--status error` sees
// only the first kind. `make tail ERRORS=1` runs it.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

func main() {
	if err := filter(os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "tailerrors:", err)
		os.Exit(1)
	}
}

// event is the part of a Workers trace event the filter reads.
type event struct {
	Outcome string `json:"outcome"`
	Event   struct {
		Response *struct {
			Status int `json:"status"`
		} `json:"response"`
	} `json:"event"`
}

// failed reports whether the invocation went wrong: it did not end "ok"
// (a client that went away, "canceled", is not a failure) or it answered 5xx.
func (e event) failed() bool {
	if e.Outcome != "ok" && e.Outcome != "canceled" {
		return true
	}
	return e.Event.Response != nil && e.Event.Response.Status >= 500
}

// filter copies the failed events from r to w, one compact JSON line each.
// Input that is not a stream of JSON objects is copied through unfiltered
// after a note to notes, so nothing wrangler prints is lost.
func filter(r io.Reader, w, notes io.Writer) error {
	dec := json.NewDecoder(r)
	var line bytes.Buffer
	for {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF {
			return nil
		}
		var e event
		if err == nil && !bytes.HasPrefix(raw, []byte("{")) {
			err = fmt.Errorf("a JSON value that is not an object")
		}
		if err == nil {
			err = json.Unmarshal(raw, &e)
		}
		if err != nil {
			fmt.Fprintf(notes, "tailerrors: not wrangler's JSON events from byte %d on (%v); the rest follows unfiltered\n", dec.InputOffset(), err)
			if _, err := io.Copy(w, io.MultiReader(bytes.NewReader(raw), dec.Buffered(), r)); err != nil {
				return err
			}
			return nil
		}
		if !e.failed() {
			continue
		}
		line.Reset()
		if err := json.Compact(&line, raw); err != nil {
			return err
		}
		line.WriteByte('\n')
		if _, err := w.Write(line.Bytes()); err != nil {
			return err
		}
	}
}
