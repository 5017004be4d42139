package relay

import (
	"bytes"
	"encoding/json"

	"tokendesk"
)

// parseToken checks the documented success shape {"result":{"token":"…"}}.
// It scans instead of unmarshalling: it runs on every relayed token, and in
// the Worker encoding/json's reflection was a visible share of the CPU.
func parseToken(body []byte) (string, bool) {
	if !json.Valid(body) {
		return "", false
	}
	s := jsonScanner{b: body}
	var token string
	found := false
	if !s.object(func(key string) bool {
		if key != "result" {
			return s.skip()
		}
		return s.object(func(key string) bool {
			if key != "token" {
				return s.skip()
			}
			t, ok := s.str()
			token, found = t, ok
			return ok
		}) || s.skip()
	}) || !found {
		return "", false
	}
	return token, tokendesk.ValidToken(token)
}

// jsonScanner walks JSON already checked by json.Valid.
type jsonScanner struct {
	b []byte
	i int
}

func (s *jsonScanner) ws() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\n' || s.b[s.i] == '\r') {
		s.i++
	}
}

// object calls member for each key, with the scanner at the key's value;
// member must consume the value. It reports false if the value here is not
// an object (leaving the scanner where it was).
func (s *jsonScanner) object(member func(key string) bool) bool {
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != '{' {
		return false
	}
	s.i++
	for {
		s.ws()
		if s.b[s.i] == '}' {
			s.i++
			return true
		}
		if s.b[s.i] == ',' {
			s.i++
			s.ws()
		}
		key, _ := s.str()
		s.ws()
		s.i++ // ':'
		if !member(key) {
			return false
		}
	}
}

// str reads a string value; false if the value here is not a string.
func (s *jsonScanner) str() (string, bool) {
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return "", false
	}
	start, escaped := s.i, false
	for s.i++; s.b[s.i] != '"'; s.i++ {
		if s.b[s.i] == '\\' {
			escaped = true
			s.i++
		}
	}
	s.i++
	raw := s.b[start:s.i]
	if !escaped {
		return string(raw[1 : len(raw)-1]), true
	}
	var v string
	return v, json.Unmarshal(raw, &v) == nil
}

// skip consumes one value of any kind.
func (s *jsonScanner) skip() bool {
	s.ws()
	switch c := s.b[s.i]; {
	case c == '"':
		s.str()
	case c == '{' || c == '[':
		depth := 0
		for ; ; s.i++ {
			switch s.b[s.i] {
			case '"':
				s.str()
				s.i--
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					s.i++
					return true
				}
			}
		}
	default: // number, true, false, null
		end := bytes.IndexAny(s.b[s.i:], ",}] \t\r\n")
		if end < 0 {
			end = len(s.b) - s.i
		}
		s.i += end
	}
	return true
}
