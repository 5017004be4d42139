package app

import (
	"bytes"
	"go/format"
	"go/parser"
	"go/token"
	"os/exec"
	"strings"
	"testing"

	"tokendesk"
	"tokendesk/internal/lang"
)

const snippetToken = "0b8f6c2e-6f3e-4d7a-9b1e-2f4a5c6d7e8f"

func snippetByID(t *testing.T, snippets []Snippet, id string) Snippet {
	t.Helper()
	for _, s := range snippets {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no %s snippet", id)
	return Snippet{}
}

func TestEverySnippetHoldsTheTokenOnce(t *testing.T) {
	snippets := Snippets(snippetToken)
	if len(snippets) != 4 {
		t.Fatalf("%d snippets, want curl, Python, Go and .env", len(snippets))
	}
	seen := map[string]bool{}
	for _, s := range snippets {
		if seen[s.ID] || s.ID == "" || s.LabelIn(lang.EN) == "" {
			t.Errorf("snippet %+v: duplicate or unnamed", s)
		}
		seen[s.ID] = true
		if n := strings.Count(s.Text, snippetToken); n != 1 {
			t.Errorf("%s holds the token %d times, want once:\n%s", s.ID, n, s.Text)
		}
		if s.ID != "env" && !strings.Contains(s.Text, tokendesk.APIURL+tokendesk.CheckPath) {
			t.Errorf("%s does not call the real API's check %s:\n%s", s.ID, tokendesk.APIURL+tokendesk.CheckPath, s.Text)
		}
		if !strings.HasSuffix(s.Text, "\n") {
			t.Errorf("%s does not end with a newline", s.ID)
		}
	}
}

// The curl line runs in a real shell, with curl replaced by a function that
// prints its arguments: the request is exactly the URL and one
// --data-urlencode of the token.
func TestCurlSnippetIsOneCommand(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash to run the snippet in")
	}
	s := snippetByID(t, Snippets(snippetToken), "curl")
	script := "curl() { printf '%s\\n' \"$@\"; }\n" + s.Text
	out, err := exec.Command(bash, "-euc", script).CombinedOutput()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	want := tokendesk.APIURL + tokendesk.CheckPath + "\n--data-urlencode\ntoken=" + snippetToken + "\n"
	if string(out) != want {
		t.Fatalf("curl got the arguments\n%s\nwant\n%s", out, want)
	}
}

func TestPythonSnippetParses(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3 to parse the snippet with")
	}
	s := snippetByID(t, Snippets(snippetToken), "python")
	cmd := exec.Command(python, "-c", `import ast, sys
tree = ast.parse(sys.stdin.read())
call = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "post"][0]
print(call.args[0].value)
print({k.value: v.value for k, v in zip(call.keywords[0].value.keys, call.keywords[0].value.values)})`)
	cmd.Stdin = strings.NewReader(s.Text)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python3: %v\n%s\n%s", err, out, s.Text)
	}
	want := tokendesk.APIURL + tokendesk.CheckPath + "\n{'token': '" + snippetToken + "'}\n"
	if string(out) != want {
		t.Fatalf("requests.post gets\n%s\nwant\n%s", out, want)
	}
}

func TestGoSnippetIsGofmtted(t *testing.T) {
	s := snippetByID(t, Snippets(snippetToken), "go")
	if _, err := parser.ParseFile(token.NewFileSet(), "main.go", s.Text, parser.AllErrors); err != nil {
		t.Fatalf("does not parse: %v\n%s", err, s.Text)
	}
	formatted, err := format.Source([]byte(s.Text))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(formatted, []byte(s.Text)) {
		t.Fatalf("not gofmt-formatted; gofmt gives\n%s", formatted)
	}
}

func TestEnvSnippet(t *testing.T) {
	s := snippetByID(t, Snippets(snippetToken), "env")
	if s.Text != EnvVar+"="+snippetToken+"\n" {
		t.Fatalf("env line %q", s.Text)
	}
}

func TestMaskTokenHidesEveryCharacter(t *testing.T) {
	mask := MaskToken(snippetToken)
	if strings.Count(mask, "-") != 4 || strings.Count(mask, maskRune) != 32 {
		t.Fatalf("mask %q does not keep the token's shape", mask)
	}
	for _, s := range Snippets(mask) {
		for _, part := range strings.Split(snippetToken, "-") {
			if strings.Contains(s.Text, part) {
				t.Errorf("%s shows %q of the token while masked:\n%s", s.ID, part, s.Text)
			}
		}
		if strings.Count(s.Text, mask) != 1 {
			t.Errorf("%s holds the mask %d times", s.ID, strings.Count(s.Text, mask))
		}
	}
}
