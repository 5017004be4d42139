package emulator

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// SiteverifyPath is where the emulator serves its stand-in of Cloudflare
// Turnstile's siteverify (POST https://challenges.cloudflare.com/turnstile/v0/siteverify).
// Point the relay's TURNSTILE_VERIFY_URL at it.
const SiteverifyPath = "/turnstile/v0/siteverify"

// SiteverifySecret is the only secret the stand-in accepts.
const SiteverifySecret = "emulator-turnstile-secret"

// Siteverify is an EMULATOR of Turnstile's siteverify, not Cloudflare's. It
// answers as the documented endpoint does: a response it issued (Pass)
// passes once, with the hostname and action it was issued for; a response
// used before fails with "timeout-or-duplicate", an unknown one with
// "invalid-input-response", a wrong secret with "invalid-input-secret".
type Siteverify struct {
	mu     sync.Mutex
	issued map[string]passed
	used   map[string]bool
	next   int
	asked  []map[string]string
}

type passed struct{ hostname, action string }

// NewSiteverify returns a stand-in that has issued nothing.
func NewSiteverify() *Siteverify {
	return &Siteverify{issued: map[string]passed{}, used: map[string]bool{}}
}

// Pass issues a response that passes once, as a widget solved on a page of
// hostname with action would give it.
func (s *Siteverify) Pass(hostname, action string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	response := "emulated-turnstile-response-" + strconv.Itoa(s.next)
	s.issued[response] = passed{hostname, action}
	return response
}

// Asked returns the forms siteverify received (secret, response, remoteip).
func (s *Siteverify) Asked() []map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]map[string]string(nil), s.asked...)
}

// ServeHTTP implements http.Handler.
func (s *Siteverify) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.Method != http.MethodPost || r.ParseForm() != nil {
		w.WriteHeader(http.StatusMethodNotAllowed)
		w.Write([]byte(`{"success":false,"error-codes":["bad-request"]}`))
		return
	}
	secret, response := r.PostForm.Get("secret"), r.PostForm.Get("response")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asked = append(s.asked, map[string]string{"secret": secret, "response": response, "remoteip": r.PostForm.Get("remoteip")})
	p, ok := s.issued[response]
	switch {
	case secret != SiteverifySecret:
		w.Write([]byte(`{"success":false,"error-codes":["invalid-input-secret"]}`))
	case s.used[response]:
		w.Write([]byte(`{"success":false,"error-codes":["timeout-or-duplicate"]}`))
	case !ok:
		w.Write([]byte(`{"success":false,"error-codes":["invalid-input-response"]}`))
	default:
		s.used[response] = true
		w.Write([]byte(`{"success":true,"challenge_ts":` + strconv.Quote(time.Now().UTC().Format(time.RFC3339)) +
			`,"hostname":` + strconv.Quote(p.hostname) + `,"error-codes":[],"action":` + strconv.Quote(p.action) + `,"cdata":""}`))
	}
}
