//go:build !(js && wasm)

package relay

import (
	"encoding/json"
	"testing"

	"tokendesk"
	"tokendesk/internal/stdlite"
)

// parseToken is how the relay reads a token answer.
func parseToken(body []byte) (string, bool) {
	token, ok := stdlite.JSONString(body, "result", "token")
	return token, ok && tokendesk.ValidToken(token)
}

func TestParseToken(t *testing.T) {
	for body, want := range map[string]string{
		`{"result": {"token": "4520efa4-ee63-4a6d-a585-091dc338ee28"}}`:                     "4520efa4-ee63-4a6d-a585-091dc338ee28",
		` { "other" : [1, {"token": "x"}, "}"], "result" : { "n": null, "token":"abc" } } `: "abc",
		`{"result":{"token":"a\u002db"}}`:                                                   "a-b",
		`{"result":{"token":"dup1","token":"dup2"}}`:                                        "dup2",
		`{"result": {}}`:                   "",
		`{"result": null}`:                 "",
		`{"result": {"token": 5}}`:         "",
		`{"result": {"token": "a b"}}`:     "",
		`{"result": {"token": ""}}`:        "",
		`{"result": {"tok`:                 "",
		`[{"result": {"token": "x"}}]`:     "",
		`{"result": ["token", "x"]}`:       "",
		`"{\"result\":{\"token\":\"x\"}}"`: "",
		``:                                 "",
	} {
		got, ok := parseToken([]byte(body))
		if ok != (want != "") || (ok && got != want) {
			t.Errorf("parseToken(%s) = %q, %v; want %q", body, got, ok, want)
		}
	}
}

// FuzzParseToken checks the scanner against encoding/json on any input.
func FuzzParseToken(f *testing.F) {
	f.Add(`{"result": {"token": "4520efa4"}}`)
	f.Add(`{"a":[{"b":"}"}],"result":{"x":{"token":"no"},"token":"yes"}}`)
	f.Fuzz(func(t *testing.T, body string) {
		got, ok := parseToken([]byte(body))
		var answer struct {
			Result *struct {
				Token *string `json:"token"`
			} `json:"result"`
		}
		// encoding/json matches keys case-insensitively; the scanner does
		// not, so compare only where the keys are exactly as documented.
		if json.Unmarshal([]byte(body), &answer) != nil || answer.Result == nil || answer.Result.Token == nil {
			if ok {
				var raw map[string]json.RawMessage
				if json.Unmarshal([]byte(body), &raw) == nil {
					if _, exact := raw["result"]; exact {
						t.Fatalf("scanner found %q where encoding/json found none: %s", got, body)
					}
				}
			}
			return
		}
		if ok && got != *answer.Result.Token {
			t.Fatalf("scanner %q, encoding/json %q: %s", got, *answer.Result.Token, body)
		}
	})
}
