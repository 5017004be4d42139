package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// issue asks the emulator for a token, as the relay would.
func issue(t *testing.T, srv *httptest.Server, mail string) string {
	t.Helper()
	resp, body, err := postForm(t, srv.Client(), srv.URL, url.Values{"name": {"Ada"}, "mail": {mail}})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("issue a token: %v %s", err, body)
	}
	var answer struct {
		Result struct{ Token string } `json:"result"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		t.Fatal(err)
	}
	return answer.Result.Token
}

type checkAnswer struct {
	status int
	body   string
	// code is error.code, -1 without an error.
	code    int
	message string
	result  bool
}

// check posts token=… form-encoded with a fixed Content-Length to path.
func check(t *testing.T, srv *httptest.Server, path, body string) checkAnswer {
	t.Helper()
	resp, err := srv.Client().Post(srv.URL+path, "application/x-www-form-urlencoded", strings.NewReader(body))
	if err != nil {
		return checkAnswer{status: 0, code: -1}
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := checkAnswer{status: resp.StatusCode, body: string(raw), code: -1}
	var v struct {
		Result map[string]any `json:"result"`
		Error  *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(raw, &v) == nil {
		a.result = v.Result != nil
		if v.Error != nil {
			a.code, a.message = v.Error.Code, v.Error.Message
		}
	}
	return a
}

func TestCheckKnowsIssuedTokens(t *testing.T) {
	emu, srv := startServer(t, Options{})
	first := issue(t, srv, "ada@example.com")
	second := issue(t, srv, "ada@example.com") // a new token for the same mail
	other := issue(t, srv, "grace@example.com")
	emu.FailAuthorization(other)
	const stranger = "123e4567-e89b-12d3-a456-426614174000"

	tests := []struct {
		name       string
		path       string
		body       string
		wantStatus int
		wantCode   int // -1: a result, no error
		wantMsg    string
	}{
		{"issued", CheckPath, "token=" + second, 200, -1, ""},
		{"issued earlier for the same mail", CheckPath, "token=" + first, 200, -1, ""},
		{"the docs' other path", CheckPathAlt, "token=" + second, 200, -1, ""},
		{"never issued", CheckPath, "token=" + stranger, 422, CodeUnregistered, "unregistered token"},
		{"never issued, other path", CheckPathAlt, "token=" + stranger, 422, CodeUnregistered, "unregistered token"},
		{"marked: authorization fail", CheckPath, "token=" + other, 422, CodeAuthFailed, "authorization fail"},
		{"marked, unissued", CheckPath, "token=" + strings.ToUpper(other), 422, CodeUnregistered, "unregistered token"},
		{"no token", CheckPath, "", 422, CodeUnregistered, "unregistered token"},
		{"not a token", CheckPath, "token=hello", 422, CodeUnregistered, "unregistered token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := check(t, srv, tt.path, tt.body)
			if a.status != tt.wantStatus || a.code != tt.wantCode || a.message != tt.wantMsg {
				t.Fatalf("%s %q: %d %s, want %d code %d %q", tt.path, tt.body, a.status, a.body, tt.wantStatus, tt.wantCode, tt.wantMsg)
			}
			if tt.wantStatus == 200 && (!a.result || a.body != HealthBody) {
				t.Fatalf("body %s, want the health body %s", a.body, HealthBody)
			}
		})
	}

	reqs := emu.Requests()
	last := reqs[len(reqs)-1]
	if last.Path != CheckPath || !last.HasContentLength || last.Form.Get("token") != "hello" || last.Status != 422 {
		t.Fatalf("last request recorded as %+v", last)
	}

	emu.Reset()
	if a := check(t, srv, CheckPath, "token="+second); a.status != 422 || a.code != CodeUnregistered {
		t.Fatalf("after Reset a check of an old token answered %d %s, want unregistered", a.status, a.body)
	}
}

func TestCheckRouting(t *testing.T) {
	_, srv := startServer(t, Options{})
	tok := issue(t, srv, "ada@example.com")
	for _, path := range []string{CheckPath, CheckPathAlt} {
		resp, err := srv.Client().Get(srv.URL + path + "?token=" + tok)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 405 || resp.Header.Get("Allow") != "POST" {
			t.Errorf("GET %s: %d Allow %q, want 405 POST", path, resp.StatusCode, resp.Header.Get("Allow"))
		}
	}
	// A chunked body is read as empty, as for the token: the check fails.
	req, _ := http.NewRequest("POST", srv.URL+CheckPath, io.MultiReader(strings.NewReader("token="+tok)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 422 {
		t.Errorf("a chunked check answered %d, want 422: a strict upstream does not read it", resp.StatusCode)
	}
}

// The check has every fault mode of the token endpoint, from the same
// queue.
func TestCheckFaultModes(t *testing.T) {
	tests := []struct {
		fault      Fault
		wantStatus int // 0: the connection fails or the answer is unreadable
		wantBody   string
	}{
		{FaultNone, 200, HealthBody},
		{Fault5xx, 503, ""},
		{Fault504, 504, "504 Gateway Time-out"},
		{Fault4xx, 429, ""},
		{FaultMalformed, 200, `{"result": {"token": "`},
		{FaultBadShape, 200, `{"status": "ok"}`},
		{FaultDrop, 0, ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.fault), func(t *testing.T) {
			emu, srv := startServer(t, Options{})
			tok := issue(t, srv, "ada@example.com")
			emu.FaultNext(tt.fault, 1)
			a := check(t, srv, CheckPath, "token="+tok)
			if a.status != tt.wantStatus || !strings.Contains(a.body, tt.wantBody) {
				t.Fatalf("%d %q, want %d with %q", a.status, a.body, tt.wantStatus, tt.wantBody)
			}
			if got := emu.Requests()[1].Fault; got != tt.fault {
				t.Fatalf("recorded fault %q, want %q", got, tt.fault)
			}
			if a := check(t, srv, CheckPath, "token="+tok); a.status != 200 {
				t.Fatalf("the fault outlived its count: %d %s", a.status, a.body)
			}
		})
	}
	t.Run("slow", func(t *testing.T) {
		emu, srv := startServer(t, Options{SlowDelay: 50e6})
		tok := issue(t, srv, "ada@example.com")
		emu.SetFault(FaultSlow)
		if a := check(t, srv, CheckPath, "token="+tok); a.status != 200 || a.body != HealthBody {
			t.Fatalf("slow check: %d %s", a.status, a.body)
		}
		if got := emu.Requests()[1].Fault; got != FaultSlow {
			t.Fatalf("recorded fault %q", got)
		}
	})
}

func TestAuthFailControl(t *testing.T) {
	emu, srv := startServer(t, Options{})
	tok := issue(t, srv, "ada@example.com")
	post := func(path, body string) int {
		t.Helper()
		resp, err := srv.Client().Post(srv.URL+path, "application/x-www-form-urlencoded", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := post(ControlAuthFailPath, ""); got != 400 {
		t.Fatalf("authfail without a token: %d, want 400", got)
	}
	if got := post(ControlAuthFailPath, "token="+tok); got != 200 {
		t.Fatalf("authfail: %d", got)
	}
	if a := check(t, srv, CheckPath, "token="+tok); a.status != 422 || a.code != CodeAuthFailed {
		t.Fatalf("check after authfail: %d %s", a.status, a.body)
	}
	resp, err := srv.Client().Get(srv.URL + ControlAuthFailPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 405 {
		t.Fatalf("GET authfail: %d, want 405", resp.StatusCode)
	}
	if n := emu.Count(); n != 2 {
		t.Fatalf("recorded %d requests, want the issue and the check only (no control requests)", n)
	}
}

func TestCheckLogOmitsToken(t *testing.T) {
	var logs strings.Builder
	_, srv := startServer(t, Options{Logger: newTestLogger(&logs)})
	tok := issue(t, srv, "ada@example.com")
	check(t, srv, CheckPath, "token="+tok)
	check(t, srv, CheckPath, "token=123e4567-e89b-12d3-a456-426614174000")
	srv.Close() // waits for the handlers, which log after answering
	out := logs.String()
	if !strings.Contains(out, "POST "+CheckPath+" 200") || !strings.Contains(out, "POST "+CheckPath+" 422") {
		t.Fatalf("log %q lacks the checks", out)
	}
	if strings.Contains(out, tok) || strings.Contains(out, "123e4567") {
		t.Fatalf("log %q holds a token", out)
	}
}
