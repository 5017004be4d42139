package app

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"tokendesk"
	"tokendesk/internal/lang"
)

const snippetToken = "0b8f6c2e-6f3e-4d7a-9b1e-2f4a5c6d7e8f"

// hostileTokens are what a wrong UPSTREAM_URL or a compromised API could
// send as a token. The relay and the page refuse them (tokendesk.ValidToken);
// the snippets must still hold each as one inert value.
var hostileTokens = []string{
	"x'$(touch /tmp/pwned)'",
	`x"; import os; os.system("id"); "`,
	"a\nb`id`$HOME\\\"'",
	"\u202e\x1b[2J\r",
}

// snippetTokens are the tokens every snippet test runs with.
var snippetTokens = append([]string{snippetToken}, hostileTokens...)

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
	for _, tok := range snippetTokens {
		s := snippetByID(t, Snippets(tok), "curl")
		if out, err := exec.Command("sh", "-nc", s.Text).CombinedOutput(); err != nil {
			t.Fatalf("sh -n: %v\n%s\n%s", err, out, s.Text)
		}
		script := "curl() { printf '%s\\0' \"$@\"; }\n" + s.Text
		out, err := exec.Command(bash, "-euc", script).CombinedOutput()
		if err != nil {
			t.Fatalf("bash: %v\n%s", err, out)
		}
		want := tokendesk.APIURL + tokendesk.CheckPath + "\x00--data-urlencode\x00token=" + tok + "\x00"
		if string(out) != want {
			t.Fatalf("curl got the arguments\n%q\nwant\n%q", out, want)
		}
	}
}

func TestPythonSnippetParses(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3 to parse the snippet with")
	}
	for _, tok := range snippetTokens {
		s := snippetByID(t, Snippets(tok), "python")
		// The snippet's one call must be requests.post with the token as a
		// plain string value: ascii() shows it without any ambiguity.
		cmd := exec.Command(python, "-c", `import ast, sys
tree = ast.parse(sys.stdin.read())
calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
call = [n for n in calls if getattr(n.func, "attr", "") == "post"][0]
print(len(calls), call.args[0].value)
print(ascii({k.value: v.value for k, v in zip(call.keywords[0].value.keys, call.keywords[0].value.values)}))`)
		cmd.Stdin = strings.NewReader(s.Text)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("python3: %v\n%s\n%s", err, out, s.Text)
		}
		want := "3 " + tokendesk.APIURL + tokendesk.CheckPath + "\n{'token': " + pythonASCII(tok) + "}\n"
		if string(out) != want {
			t.Fatalf("requests.post gets\n%s\nwant\n%s", out, want)
		}
	}
}

// pythonASCII is Python's ascii() of a str holding s, for the tests' tokens.
func pythonASCII(s string) string {
	var b strings.Builder
	quote := "'"
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		quote = `"`
	}
	b.WriteString(quote)
	for _, r := range s {
		switch {
		case r == '\\' || string(r) == quote:
			b.WriteString(`\` + string(r))
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r > 0x7e:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteString(quote)
	return b.String()
}

func TestGoSnippetIsGofmtted(t *testing.T) {
	for _, tok := range snippetTokens {
		s := snippetByID(t, Snippets(tok), "go")
		file, err := parser.ParseFile(token.NewFileSet(), "main.go", s.Text, parser.AllErrors)
		if err != nil {
			t.Fatalf("does not parse: %v\n%s", err, s.Text)
		}
		formatted, err := format.Source([]byte(s.Text))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(formatted, []byte(s.Text)) {
			t.Fatalf("not gofmt-formatted; gofmt gives\n%s", formatted)
		}
		// The form's one value is a string literal that is the token.
		var values []string
		ast.Inspect(file, func(n ast.Node) bool {
			if kv, ok := n.(*ast.KeyValueExpr); ok {
				if v, ok := kv.Value.(*ast.CompositeLit); ok && len(v.Elts) == 1 {
					if lit, ok := v.Elts[0].(*ast.BasicLit); ok {
						unquoted, _ := strconv.Unquote(lit.Value)
						values = append(values, unquoted)
					}
				}
			}
			return true
		})
		if len(values) != 1 || values[0] != tok {
			t.Fatalf("the form holds %q, want [%q]:\n%s", values, tok, s.Text)
		}
	}
}

func TestEnvSnippet(t *testing.T) {
	s := snippetByID(t, Snippets(snippetToken), "env")
	if s.Text != EnvVar+"="+snippetToken+"\n" {
		t.Fatalf("env line %q", s.Text)
	}
	// A shell that sources the file gets the value back as it was, and
	// runs nothing.
	for _, tok := range hostileTokens {
		s := snippetByID(t, Snippets(tok), "env")
		out, err := exec.Command("sh", "-c", s.Text+`printf '%s' "$`+EnvVar+`"`).CombinedOutput()
		if err != nil || string(out) != tok {
			t.Errorf("sourcing %q gives %q (%v), want %q", s.Text, out, err, tok)
		}
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
