package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func startServer(t *testing.T, opts Options) (*Emulator, *httptest.Server) {
	t.Helper()
	emu := New(opts)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return emu, srv
}

func postForm(t *testing.T, client *http.Client, base string, form url.Values) (*http.Response, []byte, error) {
	t.Helper()
	resp, err := client.PostForm(base+TokenPath, form)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

var validForm = url.Values{"name": {"Ada"}, "mail": {"ada@example.com"}, "comment": {"hi"}}

func TestTokenSuccess(t *testing.T) {
	emu, srv := startServer(t, Options{})
	resp, body, err := postForm(t, srv.Client(), srv.URL, validForm)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, content type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var answer struct {
		Result struct {
			Token string `json:"token"`
		} `json:"result"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		t.Fatalf("body %q: %v", body, err)
	}
	if !uuidV4.MatchString(answer.Result.Token) {
		t.Fatalf("token %q is not a UUID v4", answer.Result.Token)
	}
	if tok, ok := emu.TokenFor("ada@example.com"); !ok || tok != answer.Result.Token {
		t.Fatalf("TokenFor = %q, %v; want %q", tok, ok, answer.Result.Token)
	}
	reqs := emu.Requests()
	if len(reqs) != 1 || emu.Count() != 1 {
		t.Fatalf("recorded %d requests, Count %d", len(reqs), emu.Count())
	}
	got := reqs[0]
	if got.Method != "POST" || got.Path != TokenPath || !got.HasContentLength || got.Chunked ||
		got.ContentLength <= 0 || got.Form.Get("name") != "Ada" || got.Form.Get("comment") != "hi" ||
		got.Token != answer.Result.Token || got.Status != 200 || got.Header.Get("Content-Type") == "" {
		t.Fatalf("recorded %+v", got)
	}
}

// A chunked body is not read by a strict upstream: the form looks empty.
func TestChunkedBodyIsRecordedAndIgnored(t *testing.T) {
	emu, srv := startServer(t, Options{})
	// An io.Reader of unknown length makes net/http send the body chunked.
	body := io.MultiReader(strings.NewReader(validForm.Encode()))
	req, _ := http.NewRequest("POST", srv.URL+TokenPath, body)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("status %d, want 400", resp.StatusCode)
	}
	got := emu.Requests()[0]
	if !got.Chunked || got.HasContentLength || got.ContentLength != -1 || len(got.Form) != 0 {
		t.Fatalf("recorded %+v", got)
	}
}

func TestValidationAndRouting(t *testing.T) {
	_, srv := startServer(t, Options{})
	tests := []struct {
		name        string
		method      string
		path        string
		contentType string
		body        string
		wantStatus  int
	}{
		{"missing mail", "POST", TokenPath, "application/x-www-form-urlencoded", "name=Ada", 400},
		{"missing name", "POST", TokenPath, "application/x-www-form-urlencoded", "mail=a%40b.c", 400},
		{"empty body", "POST", TokenPath, "application/x-www-form-urlencoded", "", 400},
		{"json body is not a form", "POST", TokenPath, "application/json", `{"name":"a","mail":"b"}`, 400},
		{"GET token", "GET", TokenPath, "", "", 405},
		{"unknown path", "POST", "/auth/other", "application/x-www-form-urlencoded", "name=a&mail=b", 404},
		{"root", "GET", "/", "", "", 404},
		{"unknown control path", "GET", "/emulator/other", "", "", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			assertErrorShape(t, resp, tt.wantStatus)
		})
	}
}

func assertErrorShape(t *testing.T, resp *http.Response, wantCode int) {
	t.Helper()
	var answer struct {
		Error *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil || answer.Error == nil {
		t.Fatalf("error body not in documented shape: %v", err)
	}
	if answer.Error.Code != wantCode || answer.Error.Message == "" {
		t.Fatalf("error %+v, want code %d", *answer.Error, wantCode)
	}
}

func TestFaultModes(t *testing.T) {
	tests := []struct {
		fault       Fault
		wantStatus  int // 0: the connection must fail
		wantJSONErr bool
		check       func(t *testing.T, body []byte)
	}{
		{fault: FaultNone, wantStatus: 200},
		{fault: FaultSlow, wantStatus: 200},
		{fault: Fault5xx, wantStatus: 503, wantJSONErr: true},
		{fault: Fault4xx, wantStatus: 429, wantJSONErr: true},
		{fault: Fault504, wantStatus: 504, check: func(t *testing.T, body []byte) {
			if json.Valid(body) {
				t.Errorf("504 body %q should not be JSON", body)
			}
		}},
		{fault: FaultMalformed, wantStatus: 200, check: func(t *testing.T, body []byte) {
			if json.Valid(body) {
				t.Errorf("malformed body %q is valid JSON", body)
			}
		}},
		{fault: FaultBadShape, wantStatus: 200, check: func(t *testing.T, body []byte) {
			var v struct {
				Result *struct {
					Token string `json:"token"`
				} `json:"result"`
			}
			if err := json.Unmarshal(body, &v); err != nil {
				t.Fatalf("badshape body %q: %v", body, err)
			}
			if v.Result != nil && v.Result.Token != "" {
				t.Errorf("badshape body %q has a token", body)
			}
		}},
		{fault: FaultDrop, wantStatus: 0},
	}
	for _, tt := range tests {
		for _, how := range []string{"sticky", "one-shot"} {
			t.Run(string(tt.fault)+"/"+how, func(t *testing.T) {
				emu, srv := startServer(t, Options{SlowDelay: 50 * time.Millisecond})
				if how == "sticky" {
					emu.SetFault(tt.fault)
				} else {
					emu.FaultNext(tt.fault, 1)
				}
				start := time.Now()
				resp, body, err := postForm(t, srv.Client(), srv.URL, validForm)
				if tt.wantStatus == 0 {
					if err == nil {
						t.Fatalf("want a connection error, got status %d", resp.StatusCode)
					}
				} else {
					if err != nil {
						t.Fatal(err)
					}
					if resp.StatusCode != tt.wantStatus {
						t.Fatalf("status %d, want %d (body %q)", resp.StatusCode, tt.wantStatus, body)
					}
					if tt.wantJSONErr {
						resp.Body = io.NopCloser(bytes.NewReader(body))
						assertErrorShape(t, resp, tt.wantStatus)
					}
					if tt.check != nil {
						tt.check(t, body)
					}
				}
				if tt.fault == FaultSlow && time.Since(start) < 50*time.Millisecond {
					t.Errorf("slow answered after %s", time.Since(start))
				}
				if got := emu.Requests()[0].Fault; got != tt.fault {
					t.Errorf("recorded fault %q", got)
				}
				_, hasToken := emu.TokenFor("ada@example.com")
				if wantToken := tt.fault == FaultNone || tt.fault == FaultSlow; hasToken != wantToken {
					t.Errorf("token issued = %v, want %v", hasToken, wantToken)
				}

				// The next request: a sticky fault stays, a one-shot is gone.
				resp, _, err = postForm(t, srv.Client(), srv.URL, validForm)
				stillFaulty := err != nil || resp.StatusCode != 200 || emu.Requests()[1].Fault != FaultNone
				if wantFaulty := how == "sticky" && tt.fault != FaultNone; stillFaulty != wantFaulty {
					t.Errorf("second request faulty = %v, want %v", stillFaulty, wantFaulty)
				}
			})
		}
	}
}

func TestFaultNextQueuesInOrder(t *testing.T) {
	emu, srv := startServer(t, Options{})
	emu.SetFault(Fault4xx)
	emu.FaultNext(Fault5xx, 2)
	emu.FaultNext(Fault504, 1)
	var got []int
	for range 5 {
		resp, _, err := postForm(t, srv.Client(), srv.URL, validForm)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, resp.StatusCode)
	}
	want := []int{503, 503, 504, 429, 429}
	if !slicesEqual(got, want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSlowRespectsClientCancellation(t *testing.T) {
	emu, srv := startServer(t, Options{SlowDelay: time.Hour})
	emu.SetFault(FaultSlow)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+TokenPath, strings.NewReader(validForm.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	_, err := srv.Client().Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want deadline exceeded", err)
	}
	// The handler must return promptly; srv.Close in Cleanup would hang otherwise.
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		if r := emu.Requests(); len(r) == 1 && r[0].Fault == FaultSlow {
			if _, ok := emu.TokenFor("ada@example.com"); ok {
				t.Fatal("token issued to a client that gave up")
			}
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("slow handler did not finish after cancellation")
}

func TestRandomRates(t *testing.T) {
	run := func() []int {
		emu := New(Options{FailRate: 0.3, SlowRate: 0.2, SlowDelay: time.Millisecond, Seed: 7})
		var statuses []int
		for range 200 {
			req := httptest.NewRequest("POST", TokenPath, strings.NewReader(validForm.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := httptest.NewRecorder()
			emu.ServeHTTP(rec, req)
			statuses = append(statuses, rec.Code)
		}
		faults := map[Fault]int{}
		for _, r := range emu.Requests() {
			faults[r.Fault]++
		}
		if faults[Fault5xx] < 30 || faults[Fault5xx] > 90 || faults[FaultSlow] < 15 || faults[FaultSlow] > 65 {
			t.Errorf("fault counts %v for rates 0.3/0.2 over 200", faults)
		}
		return statuses
	}
	if a, b := run(), run(); !slicesEqual(a, b) {
		t.Error("the same seed gave different fault sequences")
	}
}

func TestUniqueTokensUnderConcurrency(t *testing.T) {
	emu, srv := startServer(t, Options{})
	const clients = 50
	tokens := make([]string, clients)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			form := url.Values{"name": {"n"}, "mail": {"user" + string(rune('A'+i%26)) + strings.Repeat("x", i) + "@example.com"}}
			_, body, err := postForm(t, srv.Client(), srv.URL, form)
			if err != nil {
				t.Error(err)
				return
			}
			var v struct{ Result struct{ Token string } }
			json.Unmarshal(body, &v)
			if tok, _ := emu.TokenFor(form.Get("mail")); tok != v.Result.Token {
				t.Errorf("client got %q, emulator issued %q", v.Result.Token, tok)
			}
			tokens[i] = v.Result.Token
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, tok := range tokens {
		if seen[tok] {
			t.Fatalf("token %q issued twice", tok)
		}
		seen[tok] = true
	}
	if emu.Count() != clients || len(emu.Tokens()) != clients {
		t.Fatalf("Count %d, Tokens %d", emu.Count(), len(emu.Tokens()))
	}
}

func TestControlEndpoints(t *testing.T) {
	emu, srv := startServer(t, Options{})
	client := srv.Client()
	control := func(method, path string) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, body
	}
	tokenStatus := func() int {
		t.Helper()
		resp, _, err := postForm(t, client, srv.URL, validForm)
		if err != nil {
			return 0
		}
		return resp.StatusCode
	}

	tests := []struct {
		name       string
		method     string
		path       string
		wantStatus int
	}{
		{"fault without mode", "POST", ControlFaultPath, 400},
		{"unknown mode", "POST", ControlFaultPath + "?mode=explode", 400},
		{"bad count", "POST", ControlFaultPath + "?mode=5xx&count=0", 400},
		{"GET fault", "GET", ControlFaultPath + "?mode=5xx", 405},
		{"POST requests", "POST", ControlRequestsPath, 405},
		{"GET reset", "GET", ControlResetPath, 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if status, body := control(tt.method, tt.path); status != tt.wantStatus {
				t.Fatalf("status %d (%s), want %d", status, body, tt.wantStatus)
			}
		})
	}
	if emu.Count() != 0 {
		t.Fatalf("control requests were recorded: %d", emu.Count())
	}

	t.Run("one-shot over HTTP", func(t *testing.T) {
		if status, body := control("POST", ControlFaultPath+"?mode=5xx&count=2"); status != 200 {
			t.Fatalf("status %d (%s)", status, body)
		}
		if got := []int{tokenStatus(), tokenStatus(), tokenStatus()}; !slicesEqual(got, []int{503, 503, 200}) {
			t.Fatalf("statuses %v", got)
		}
	})
	t.Run("sticky over HTTP", func(t *testing.T) {
		control("POST", ControlFaultPath+"?mode=4xx")
		if got := []int{tokenStatus(), tokenStatus()}; !slicesEqual(got, []int{429, 429}) {
			t.Fatalf("statuses %v", got)
		}
		control("POST", ControlFaultPath+"?mode=none")
		if got := tokenStatus(); got != 200 {
			t.Fatalf("status %d after mode=none", got)
		}
	})
	t.Run("requests over HTTP", func(t *testing.T) {
		status, body := control("GET", ControlRequestsPath)
		var reqs []Request
		if err := json.Unmarshal(body, &reqs); status != 200 || err != nil {
			t.Fatalf("status %d, %v: %s", status, err, body)
		}
		if len(reqs) != emu.Count() || reqs[0].Form.Get("mail") != "ada@example.com" || !reqs[0].HasContentLength {
			t.Fatalf("requests %+v", reqs)
		}
	})
	t.Run("reset over HTTP", func(t *testing.T) {
		control("POST", ControlFaultPath+"?mode=drop")
		control("POST", ControlFaultPath+"?mode=5xx&count=3")
		if status, _ := control("POST", ControlResetPath); status != 200 {
			t.Fatalf("reset status %d", status)
		}
		if emu.Count() != 0 || len(emu.Tokens()) != 0 {
			t.Fatalf("after reset: Count %d, Tokens %d", emu.Count(), len(emu.Tokens()))
		}
		if got := tokenStatus(); got != 200 {
			t.Fatalf("status %d after reset, want 200", got)
		}
	})
}

func TestLoggerOmitsPersonalData(t *testing.T) {
	var logs bytes.Buffer
	emu, srv := startServer(t, Options{Logger: newTestLogger(&logs)})
	postForm(t, srv.Client(), srv.URL, validForm)
	tok, _ := emu.TokenFor("ada@example.com")
	out := logs.String()
	if !strings.Contains(out, "POST /auth/token 200") {
		t.Fatalf("log %q lacks method, path and status", out)
	}
	for _, secret := range []string{"Ada", "ada@example.com", "hi", tok} {
		if strings.Contains(out, secret) {
			t.Fatalf("log %q leaks %q", out, secret)
		}
	}
}

func newTestLogger(w io.Writer) *log.Logger { return log.New(w, "", 0) }
