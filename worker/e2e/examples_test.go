package e2e

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
)

func testPython(t *testing.T, c *relayClient) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed; the docs' Python example cannot be run")
	}
	script, flavour := pythonDocsExample, "requests"
	if err := exec.Command(python, "-c", "import requests").Run(); err != nil {
		script, flavour = pythonURLLibExample, "urllib (requests is not importable)"
	}
	name, mail, comment := "Py Thon & Co + ü e2e", "python.e2e+x@example.com", "from the docs example: 100% + & e2e-py"
	c.secret(name, mail, comment)
	r := strings.NewReplacer(
		"http://api.metahumansdk.io", c.s.URL,
		"<name>", name, "<mail>", mail, "<comment>", comment,
	)
	cmd := exec.Command(python, "-c", r.Replace(script))
	cmd.Env = append(os.Environ(), "NO_PROXY=127.0.0.1,localhost")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python (%s): %v\n%s", flavour, err, out)
	}
	tok, ok := c.s.Emulator.TokenFor(mail)
	if !ok {
		t.Fatalf("python (%s): the emulator issued no token; printed %q", flavour, out)
	}
	c.sawToken(tok)
	c.record(http.MethodPost, "/auth/token", 200)
	printed := strings.TrimSpace(string(out))
	if printed != string(tokenAnswer(tok)) {
		t.Errorf("python printed %q, want %q", printed, tokenAnswer(tok))
	}
	t.Logf("python example via %s printed the emulator's token", flavour)
}

func testCurl(t *testing.T, c *relayClient) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl is not installed")
	}
	name, mail, comment := "Curl User & Sons + ñ e2e", "curl.e2e+tag@example.com", "50% off = great?&e2e-curl"
	c.secret(name, mail, comment)
	before := c.s.Emulator.Count()
	cmd := exec.Command(curl, "-sS", "--fail-with-body",
		"--data-urlencode", "name="+name,
		"--data-urlencode", "mail="+mail,
		"--data-urlencode", "comment="+comment,
		c.s.URL+"/auth/token")
	cmd.Env = append(os.Environ(), "NO_PROXY=127.0.0.1,localhost")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("curl: %v\n%s", err, out)
	}
	tok, ok := c.s.Emulator.TokenFor(mail)
	if !ok {
		t.Fatalf("no token issued; curl printed %q", out)
	}
	c.sawToken(tok)
	c.record(http.MethodPost, "/auth/token", 200)
	var got struct{ Result struct{ Token string } }
	if err := json.Unmarshal(out, &got); err != nil || got.Result.Token != tok {
		t.Errorf("curl printed %q, want token %q", out, tok)
	}
	req := lastRequest(t, c.s.Emulator, before)
	if req.Form.Get("name") != name || req.Form.Get("mail") != mail || req.Form.Get("comment") != comment {
		t.Errorf("upstream form %q", req.Form)
	}
}
