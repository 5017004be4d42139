//go:build !(js && wasm)

package relay

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"

	"tokendesk"
)

// parseToken is how the relay reads a token answer.
func parseToken(body []byte) (string, bool) {
	token, ok := jsonString(body, "result", "token")
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

func TestJSONRead(t *testing.T) {
	body := []byte(` {"error": {"code": 0, "message": "unregistered \u0074oken \ud83d\ude00 \ud800"}, "n": [1.5e3, true, null]} `)
	if msg, ok := jsonString(body, "error", "message"); !ok || msg != "unregistered token 😀 \ufffd" {
		t.Errorf("message = %q, %v", msg, ok)
	}
	if code, ok := jsonInt(body, "error", "code"); !ok || code != 0 {
		t.Errorf("code = %d, %v", code, ok)
	}
	if _, ok := jsonInt(body, "error", "message"); ok {
		t.Error("a string read as an int")
	}
	if got := string(jsonCompact(bytes.TrimSpace(body))); got != `{"error":{"code":0,"message":"unregistered \u0074oken \ud83d\ude00 \ud800"},"n":[1.5e3,true,null]}` {
		t.Errorf("compact = %s", got)
	}
	for _, bad := range []string{"", "{", `{"a":}`, `{"a":01}`, `{"a":1,}`, `[1 2]`, `"\x"`, "\"\xff\"", `{"a":"` + "\t" + `"}`, `tru`, `1.`, `-`, `{"a":1}x`} {
		if jsonValid([]byte(bad)) {
			t.Errorf("jsonValid(%q) = true", bad)
		}
	}
}

// FuzzJSONRead checks the reader against encoding/json on any input.
func FuzzJSONRead(f *testing.F) {
	f.Add(`{"error": {"code": 1, "message": "a\nb"}}`)
	f.Add(`[{"a":"}"}, -0.5e+7, "\ud800\udc00"]`)
	f.Fuzz(func(t *testing.T, body string) {
		b := []byte(body)
		// JSON must be UTF-8 (RFC 8259 §8.1); encoding/json lets invalid
		// bytes inside strings pass, the relay does not.
		if !utf8.Valid(b) {
			if jsonValid(b) {
				t.Fatalf("jsonValid accepted bytes that are not UTF-8: %q", body)
			}
			return
		}
		if got, want := jsonValid(b), json.Valid(b); got != want {
			t.Fatalf("jsonValid = %v, json.Valid = %v: %q", got, want, body)
		}
		if !json.Valid(b) {
			return
		}
		var compact bytes.Buffer
		json.Compact(&compact, b)
		if got := jsonCompact(b); !bytes.Equal(bytes.TrimSpace(got), compact.Bytes()) {
			t.Fatalf("jsonCompact = %s, json.Compact = %s", got, compact.Bytes())
		}
		var answer struct {
			Error *struct {
				Message *string `json:"message"`
			} `json:"error"`
		}
		var raw map[string]map[string]json.RawMessage
		if json.Unmarshal(b, &raw) != nil || json.Unmarshal(b, &answer) != nil || answer.Error == nil || answer.Error.Message == nil {
			return
		}
		if _, exact := raw["error"]["message"]; !exact {
			return // encoding/json matched a key case-insensitively
		}
		if got, ok := jsonString(b, "error", "message"); ok && got != *answer.Error.Message {
			t.Fatalf("jsonString %q, encoding/json %q: %s", got, *answer.Error.Message, body)
		}
	})
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
