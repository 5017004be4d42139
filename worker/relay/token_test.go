//go:build !(js && wasm)

package relay

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"tokendesk"
)

func TestParseToken(t *testing.T) {
	for body, want := range map[string]string{
		`{"result": {"token": "4520efa4-ee63-4a6d-a585-091dc338ee28"}}`:                                                      "4520efa4-ee63-4a6d-a585-091dc338ee28",
		` { "other" : [1, {"token": "x"}, "}"], "result" : { "n": null, "token":"4520efa4-ee63-4a6d-a585-091dc338ee28" } } `: "4520efa4-ee63-4a6d-a585-091dc338ee28",
		`{"result":{"token":"4520efa4\u002dee63-4a6d-a585-091dc338ee28"}}`:                                                   "4520efa4-ee63-4a6d-a585-091dc338ee28",
		`{"result":{"token":"4520efa4-ee63-4a6d-a585-091dc338ee28","token":"00000000-ee63-4a6d-a585-091dc338ee28"}}`:         "00000000-ee63-4a6d-a585-091dc338ee28",
		`{"result": {"token": "abc"}}`:      "",
		`{"result": {"token": "x'$(id)'"}}`: "",
		`{"result": {}}`:                    "",
		`{"result": null}`:                  "",
		`{"result": {"token": 5}}`:          "",
		`{"result": {"token": "a b"}}`:      "",
		`{"result": {"token": ""}}`:         "",
		`{"result": {"tok`:                  "",
		`[{"result": {"token": "x"}}]`:      "",
		`{"result": ["token", "x"]}`:        "",
		`"{\"result\":{\"token\":\"x\"}}"`:  "",
		``:                                  "",
	} {
		got, ok := parseToken([]byte(body))
		if ok != (want != "") || (ok && got != want) {
			t.Errorf("parseToken(%s) = %q, %v; want %q", body, got, ok, want)
		}
	}
}

// FuzzParseToken checks the relay's reading of a token answer against
// encoding/json on any input, both ways: a token one finds, the other
// finds too.
func FuzzParseToken(f *testing.F) {
	f.Add(`{"result": {"token": "4520efa4"}}`)
	f.Add(`{"result": {"token": "4520efa4-ee63-4a6d-a585-091dc338ee28"}}`)
	f.Add(`{"a":[{"b":"}"}],"result":{"x":{"token":"no"},"token":"yes"}}`)
	f.Fuzz(func(t *testing.T, body string) {
		got, ok := parseToken([]byte(body))
		want, wantOK := tokenByEncodingJSON(body)
		if ok != wantOK || ok && got != want {
			t.Fatalf("parseToken = %q, %v; encoding/json %q, %v: %s", got, ok, want, wantOK, body)
		}
	})
}

// tokenByEncodingJSON reads a token answer as parseToken should, with
// encoding/json: exact keys (maps, where a struct would match keys in any
// case), the last of duplicate keys, and no body that is not UTF-8 (RFC
// 8259 §8.1; encoding/json would replace its bytes).
func tokenByEncodingJSON(body string) (string, bool) {
	var answer, result map[string]json.RawMessage
	var token string
	if !utf8.ValidString(body) || json.Unmarshal([]byte(body), &answer) != nil ||
		json.Unmarshal(answer["result"], &result) != nil || json.Unmarshal(result["token"], &token) != nil ||
		!tokendesk.ValidToken(token) {
		return "", false
	}
	return token, true
}
