package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"tokendesk/internal/emulator"
	"tokendesk/internal/stack"
)

const (
	upstreamTimeout = 2 * time.Second
	slowDelay       = 8 * time.Second
	allowedOrigin   = "https://docs.example.com"
	browserAccept   = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	ctURLEncoded    = "application/x-www-form-urlencoded"
	// restartedMidRequest starts the 503 body wrangler's proxy sends when
	// the connection to workerd breaks.
	restartedMidRequest = "Your worker restarted mid-request"
)

// relayClient talks to one stack and remembers every request it sent to the
// worker and every personal value it sent, for the log checks.
type relayClient struct {
	s *stack.Stack
	// base is where requests go: the Worker's own socket (s.URL), or
	// wrangler dev's port (throughDev).
	base string
	http *http.Client
	*sentLog
}

// sentLog is what a relayClient, and the ones made from it, sent.
type sentLog struct {
	mu      sync.Mutex
	sent    []sentRequest
	secrets []string
	tokens  []string
}

type sentRequest struct {
	Method, Path string
	Status       int
}

func newClient(s *stack.Stack) *relayClient {
	return &relayClient{
		s:       s,
		base:    s.URL,
		sentLog: &sentLog{},
		http: &http.Client{
			Timeout: 20 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		},
	}
}

// throughDev returns a client of the same stack whose requests go through
// wrangler dev's own port, with its ProxyWorker in front (stack.Stack's
// DevURL), and whose requests count with c's for the log checks.
func (c *relayClient) throughDev() *relayClient {
	dev := *c
	dev.base = c.s.DevURL
	return &dev
}

// secret registers values that must never appear in the logs.
func (c *relayClient) secret(values ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			c.secrets = append(c.secrets, v)
		}
	}
}

func (c *relayClient) sawToken(tok string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tokens = append(c.tokens, tok)
}

// record notes a request the worker answered (so it must be logged).
func (c *relayClient) record(method, p string, status int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sent = append(c.sent, sentRequest{method, p, status})
}

type answer struct {
	resp    *http.Response
	body    []byte
	elapsed time.Duration
}

// do sends a request to the stack and reads the whole answer.
//
// Through wrangler dev's port (throughDev, or a stack that could not find
// the Worker's own socket: internal/stack/direct.go), wrangler dev 4.86
// loses a request now and then, when its ProxyWorker writes it into a
// pooled connection to workerd just as that connection idles out (see
// internal/stack/heartbeat.go). It sends a lost GET again itself, and
// answers a lost POST with its own 503 restartedMidRequest. The Worker
// never saw that POST, so do sends it once more, when its body can be
// read again (a strings, bytes or buffer reader); doOnce does not.
func (c *relayClient) do(t *testing.T, method, p string, header http.Header, body io.Reader) answer {
	t.Helper()
	req := c.request(t, method, p, header, body)
	a := c.sendRecorded(t, req)
	if lostByWrangler(a) && req.GetBody != nil {
		t.Logf("%s %s: wrangler dev lost it (its 503 %q); sending it again", method, p, restartedMidRequest)
		again, err := req.GetBody()
		if err != nil {
			t.Fatal(err)
		}
		req = req.Clone(req.Context())
		req.Body = again
		a = c.sendRecorded(t, req)
	}
	return a
}

// doOnce is do without the second try, for a test that counts wrangler's
// 503s (faults_test.go).
func (c *relayClient) doOnce(t *testing.T, method, p string, header http.Header, body io.Reader) answer {
	t.Helper()
	return c.sendRecorded(t, c.request(t, method, p, header, body))
}

// sendRecorded is send, and records what the Worker answered; a request
// wrangler lost the Worker never saw.
func (c *relayClient) sendRecorded(t *testing.T, req *http.Request) answer {
	t.Helper()
	a := c.send(t, req)
	if !lostByWrangler(a) {
		// The worker sees the path with dot segments removed (RFC 3986).
		c.record(req.Method, req.URL.ResolveReference(&url.URL{Path: req.URL.Path}).Path, a.resp.StatusCode)
	}
	return a
}

// lostByWrangler reports wrangler's own answer to a request it lost: the
// Worker never saw the request, so it logs nothing.
func lostByWrangler(a answer) bool {
	return a.resp.StatusCode == http.StatusServiceUnavailable && bytes.HasPrefix(a.body, []byte(restartedMidRequest))
}

func (c *relayClient) request(t *testing.T, method, p string, header http.Header, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, c.base+p, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		for _, v := range vs {
			if strings.EqualFold(k, "Host") {
				req.Host = v
				continue
			}
			req.Header.Add(k, v)
		}
	}
	return req
}

// send sends req and reads the whole answer.
func (c *relayClient) send(t *testing.T, req *http.Request) answer {
	t.Helper()
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", req.Method, req.URL.Path, err)
	}
	return answer{resp: resp, body: b, elapsed: elapsed}
}

// post sends an urlencoded form (encoded exactly like curl --data-urlencode
// and browsers do) and registers its values as secrets.
func (c *relayClient) post(t *testing.T, form url.Values, header http.Header) answer {
	t.Helper()
	h, body := c.formPost(form, header)
	return c.do(t, http.MethodPost, "/auth/token", h, body)
}

// formPost keeps form's values as secrets and returns the headers and
// body of its POST.
func (c *relayClient) formPost(form url.Values, header http.Header) (http.Header, io.Reader) {
	for _, vs := range form {
		c.secret(vs...)
	}
	h := http.Header{"Content-Type": {ctURLEncoded}}
	for k, vs := range header {
		h[k] = vs
	}
	return h, strings.NewReader(encodeOrdered(form))
}

// encodeOrdered encodes name, mail, comment first (in that order), then the
// other fields sorted, with url.QueryEscape (+ for space, %XX otherwise).
func encodeOrdered(form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	rank := func(k string) int {
		if i := slices.Index([]string{"name", "mail", "comment"}, k); i >= 0 {
			return i
		}
		return 3
	}
	sort.Slice(keys, func(i, j int) bool {
		if rank(keys[i]) != rank(keys[j]) {
			return rank(keys[i]) < rank(keys[j])
		}
		return keys[i] < keys[j]
	})
	var parts []string
	for _, k := range keys {
		for _, v := range form[k] {
			parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
	}
	return strings.Join(parts, "&")
}

// upstreamBody is the body the relay must send upstream: exactly name, mail
// and comment, urlencoded, in that order.
func upstreamBody(name, mail, comment string) string {
	return "name=" + url.QueryEscape(name) + "&mail=" + url.QueryEscape(mail) + "&comment=" + url.QueryEscape(comment)
}

type errorBody struct {
	Error struct {
		Code     string          `json:"code"`
		Message  string          `json:"message"`
		Field    string          `json:"field"`
		Upstream json.RawMessage `json:"upstream"`
	} `json:"error"`
}

func decodeError(t *testing.T, a answer) errorBody {
	t.Helper()
	var e errorBody
	if err := json.Unmarshal(a.body, &e); err != nil || e.Error.Code == "" {
		t.Fatalf("status %d: body is not the error shape: %q (%v)", a.resp.StatusCode, a.body, err)
	}
	if e.Error.Message == "" {
		t.Errorf("error %s has no message", e.Error.Code)
	}
	return e
}

func wantError(t *testing.T, a answer, status int, code, field string) errorBody {
	t.Helper()
	if a.resp.StatusCode != status {
		t.Fatalf("status = %d, want %d; body %q", a.resp.StatusCode, status, a.body)
	}
	if ct := a.resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	e := decodeError(t, a)
	if e.Error.Code != code {
		t.Errorf("error.code = %q, want %q (message %q)", e.Error.Code, code, e.Error.Message)
	}
	if e.Error.Field != field {
		t.Errorf("error.field = %q, want %q", e.Error.Field, field)
	}
	return e
}

// tokenAnswer is the emulator's exact success body for a token.
func tokenAnswer(tok string) []byte {
	b, _ := json.Marshal(map[string]any{"result": map[string]string{"token": tok}})
	return b
}

func jsonEqual(t *testing.T, got, want []byte) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		return false
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("bad want JSON %q", want)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	return bytes.Equal(gb, wb)
}

// wantUnchanged fails if the emulator received anything since before.
func wantUnchanged(t *testing.T, emu *emulator.Emulator, before int) {
	t.Helper()
	if n := emu.Count(); n != before {
		reqs := emu.Requests()
		t.Errorf("the upstream received %d request(s); want none. Last: %+v", n-before, reqs[len(reqs)-1])
	}
}

// lastRequest returns the one request the emulator received since before.
func lastRequest(t *testing.T, emu *emulator.Emulator, before int) emulator.Request {
	t.Helper()
	reqs := emu.Requests()
	if len(reqs) != before+1 {
		t.Fatalf("upstream received %d requests, want exactly 1", len(reqs)-before)
	}
	return reqs[before]
}

// pythonDocsExample is the MetaHuman SDK docs' Python example; only the host
// and the placeholder values are replaced.
const pythonDocsExample = `import requests

url = "http://api.metahumansdk.io/auth/token"

payload = {'name': '<name>',
'mail': '<mail>',
'comment': '<comment>'}

response = requests.request("POST", url, data=payload)

print(response.text)
`

// pythonURLLibExample sends what requests would: an urlencoded body and
// Accept: */*.
const pythonURLLibExample = `import urllib.parse, urllib.request

url = "http://api.metahumansdk.io/auth/token"

payload = {'name': '<name>',
'mail': '<mail>',
'comment': '<comment>'}

data = urllib.parse.urlencode(payload).encode()
req = urllib.request.Request(url, data=data, method="POST", headers={
    "Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*"})
with urllib.request.urlopen(req) as response:
    print(response.read().decode())
`
