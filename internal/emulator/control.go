package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// serveControl handles the /emulator/ control endpoints.
func (e *Emulator) serveControl(w http.ResponseWriter, r *http.Request) {
	var allowed string
	switch r.URL.Path {
	case ControlFaultPath, ControlResetPath, ControlAuthFailPath:
		allowed = http.MethodPost
	case ControlRequestsPath:
		allowed = http.MethodGet
	default:
		writeError(w, http.StatusNotFound, "Not found")
		return
	}
	if r.Method != allowed {
		w.Header().Set("Allow", allowed)
		writeError(w, http.StatusMethodNotAllowed, "Method not allowed")
		return
	}

	switch r.URL.Path {
	case ControlFaultPath:
		e.serveSetFault(w, r)
	case ControlResetPath:
		e.Reset()
		writeJSON(w, map[string]bool{"reset": true})
	case ControlRequestsPath:
		writeJSON(w, e.Requests())
	case ControlAuthFailPath:
		e.serveAuthFail(w, r)
	}
	if e.opts.Logger != nil {
		e.opts.Logger.Printf("%s %s (control)", r.Method, r.URL.Path)
	}
}

// serveSetFault handles POST /emulator/fault?mode=M[&count=N]; without
// count the fault is sticky.
func (e *Emulator) serveSetFault(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	fault, err := ParseFault(q.Get("mode"))
	if err != nil || !q.Has("mode") {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("mode must be one of %v", Faults))
		return
	}
	if !q.Has("count") {
		e.SetFault(fault)
		writeJSON(w, map[string]any{"mode": fault, "sticky": true})
		return
	}
	count, err := strconv.Atoi(q.Get("count"))
	if err != nil || count < 1 {
		writeError(w, http.StatusBadRequest, "count must be a positive integer")
		return
	}
	e.FaultNext(fault, count)
	writeJSON(w, map[string]any{"mode": fault, "count": count})
}

// serveAuthFail handles POST /emulator/authfail with a form body token=T.
func (e *Emulator) serveAuthFail(w http.ResponseWriter, r *http.Request) {
	form, status, message := readFormStrictly(r)
	if status != 0 {
		writeError(w, status, message)
		return
	}
	token := form.Get("token")
	if token == "" {
		writeError(w, http.StatusBadRequest, "send token=<the token> as a form body")
		return
	}
	e.FailAuthorization(token)
	writeJSON(w, map[string]bool{"authfail": true})
}

func writeJSON(w http.ResponseWriter, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}
