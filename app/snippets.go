package app

import (
	"strconv"
	"strings"

	"tokendesk"
	"tokendesk/internal/lang"
)

// Snippet is one copy-ready way to use a token: a call of the token check
// on the real API, or a line for a .env file.
type Snippet struct {
	// ID is the stable part of the element ids ("snippet-curl").
	ID string
	// Label names it for people when its name is the same in every
	// language (a program's); LabelKey names it in the page's language
	// otherwise. See LabelIn.
	Label    string
	LabelKey lang.Key
	// Text is what Copy puts on the clipboard.
	Text string
}

// LabelIn is the snippet's name for people in lang.
func (sn Snippet) LabelIn(lang lang.Lang) string {
	if sn.LabelKey != 0 {
		return lang.Text(sn.LabelKey)
	}
	return sn.Label
}

// EnvVar is the variable the .env snippet defines.
const EnvVar = "METAHUMANSDK_TOKEN"

// checkURL is the real API's token check, which every snippet calls.
const checkURL = tokendesk.APIURL + tokendesk.CheckPath

// Snippets returns the snippets for token, each holding it exactly once.
// An issued token is a UUID (tokendesk.ValidToken) and a mask from
// MaskToken holds only bullets and dashes, but each snippet still quotes
// the token by its language's rules: a snippet is pasted into a shell or a
// program, and nothing the upstream sends may run there.
func Snippets(token string) []Snippet {
	return []Snippet{
		{ID: "curl", Label: "curl", Text: "curl " + checkURL + " \\\n" +
			"  --data-urlencode " + shellQuote(tokendesk.FieldToken+"="+token) + "\n"},
		{ID: "python", Label: "Python (requests)", Text: `import requests

response = requests.post(
    "` + checkURL + `",
    data={"` + tokendesk.FieldToken + `": ` + pythonQuote(token) + `},
    timeout=30,
)
print(response.status_code, response.json())
`},
		{ID: "go", Label: "Go (net/http)", Text: `package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
)

func main() {
	form := url.Values{"` + tokendesk.FieldToken + `": {` + strconv.Quote(token) + `}}
	resp, err := http.PostForm("` + checkURL + `", form)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.Status, string(body))
}
`},
		{ID: "env", LabelKey: lang.KeyEnvFile, Text: EnvVar + "=" + envQuote(token) + "\n"},
	}
}

// shellQuote quotes s as one word for a POSIX shell: in single quotes,
// where nothing is special, with each ' written as '\”.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// pythonQuote returns s as a Python string literal. Go's quoting escapes
// what Python's does (\\, \", \n, \xNN, \uNNNN, \UNNNNNNNN), except that Go
// writes a byte that is not UTF-8 as \xNN, which in Python is a character:
// such bytes cannot come from a JSON answer.
func pythonQuote(s string) string { return strconv.Quote(s) }

// envQuote returns s as a .env value: bare when it is hex digits and
// dashes (a token or its mask), else in double quotes with \, ", $ and `
// escaped, so a shell that sources the file reads s back and runs nothing.
func envQuote(s string) string {
	if s != "" && strings.Trim(s, "0123456789abcdefABCDEF-"+maskRune) == "" {
		return s
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`")
	return `"` + r.Replace(s) + `"`
}

// maskRune stands for each letter and digit of a hidden token.
const maskRune = "•"

// MaskToken keeps a token's shape (its dashes) and hides every character,
// for the snippets while the token is hidden.
func MaskToken(token string) string {
	var b strings.Builder
	for _, r := range token {
		if r == '-' {
			b.WriteRune(r)
			continue
		}
		b.WriteString(maskRune)
	}
	return b.String()
}
