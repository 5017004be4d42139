package stdlite

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// The relay reads three small things out of JSON answers: the token, the
// API's error message and code, and siteverify's verdict. It reads them
// with this strict RFC 8259 reader instead of encoding/json. FuzzJSONRead
// checks it against encoding/json.

// JSONLookup returns the raw value at path (object keys) in body, and
// whether body is valid JSON that has a value there. With duplicate keys
// the last one wins, as in encoding/json.
func JSONLookup(body []byte, path ...string) ([]byte, bool) {
	if !JSONValid(body) {
		return nil, false
	}
	p := jsonParser{b: body}
	p.ws()
	return p.find(path)
}

// JSONString returns the string at path.
func JSONString(body []byte, path ...string) (string, bool) {
	raw, ok := JSONLookup(body, path...)
	if !ok || len(raw) == 0 || raw[0] != '"' {
		return "", false
	}
	return jsonUnquote(raw), true
}

// JSONInt returns the integer at path.
func JSONInt(body []byte, path ...string) (int, bool) {
	raw, ok := JSONLookup(body, path...)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(string(raw))
	return n, err == nil
}

// JSONValid reports whether body is one JSON value, in UTF-8.
func JSONValid(body []byte) bool {
	if !utf8.Valid(body) {
		return false
	}
	p := jsonParser{b: body}
	p.ws()
	if !p.value() {
		return false
	}
	p.ws()
	return p.i == len(p.b)
}

// JSONCompact drops the white space between tokens of valid JSON.
func JSONCompact(body []byte) []byte {
	out := make([]byte, 0, len(body))
	inString := false
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case inString:
			out = append(out, c)
			if c == '\\' {
				i++
				out = append(out, body[i])
			} else if c == '"' {
				inString = false
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		default:
			inString = c == '"'
			out = append(out, c)
		}
	}
	return out
}

// maxJSONDepth bounds nesting, as encoding/json does (10000); answers here
// are two levels deep.
const maxJSONDepth = 10000

type jsonParser struct {
	b     []byte
	i     int
	depth int
}

func (p *jsonParser) ws() {
	for p.i < len(p.b) && (p.b[p.i] == ' ' || p.b[p.i] == '\t' || p.b[p.i] == '\n' || p.b[p.i] == '\r') {
		p.i++
	}
}

func (p *jsonParser) peek() byte {
	if p.i < len(p.b) {
		return p.b[p.i]
	}
	return 0
}

// find walks valid JSON from a value to path and returns the raw value.
func (p *jsonParser) find(path []string) ([]byte, bool) {
	if len(path) == 0 {
		start := p.i
		p.value()
		return p.b[start:p.i], true
	}
	if p.peek() != '{' {
		return nil, false
	}
	p.i++
	var found []byte
	ok := false
	for {
		p.ws()
		switch p.peek() {
		case '}':
			p.i++
			return found, ok
		case ',':
			p.i++
			p.ws()
		}
		start := p.i
		p.str()
		key := jsonUnquote(p.b[start:p.i])
		p.ws()
		p.i++ // ':'
		p.ws()
		if key == path[0] {
			found, ok = p.find(path[1:])
			// find may stop inside a value that is not an object.
			if !ok {
				p.i = start
				p.str()
				p.ws()
				p.i++
				p.ws()
				p.value()
			}
		} else {
			p.value()
		}
	}
}

// value consumes one value and reports whether it was valid.
func (p *jsonParser) value() bool {
	switch c := p.peek(); {
	case c == '{':
		return p.container('}', true)
	case c == '[':
		return p.container(']', false)
	case c == '"':
		return p.str()
	case c == '-' || '0' <= c && c <= '9':
		return p.number()
	case c == 't':
		return p.literal("true")
	case c == 'f':
		return p.literal("false")
	case c == 'n':
		return p.literal("null")
	}
	return false
}

func (p *jsonParser) container(end byte, object bool) bool {
	if p.depth++; p.depth > maxJSONDepth {
		return false
	}
	defer func() { p.depth-- }()
	p.i++
	p.ws()
	if p.peek() == end {
		p.i++
		return true
	}
	for {
		if object {
			if p.peek() != '"' || !p.str() {
				return false
			}
			p.ws()
			if p.peek() != ':' {
				return false
			}
			p.i++
			p.ws()
		}
		if !p.value() {
			return false
		}
		p.ws()
		switch p.peek() {
		case ',':
			p.i++
			p.ws()
		case end:
			p.i++
			return true
		default:
			return false
		}
	}
}

func (p *jsonParser) str() bool {
	p.i++ // '"'
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			return true
		case c < 0x20:
			return false
		case c == '\\':
			p.i++
			switch p.peek() {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.i++
			case 'u':
				if p.i+5 > len(p.b) {
					return false
				}
				if !allHexDigits(string(p.b[p.i+1 : p.i+5])) {
					return false
				}
				p.i += 5
			default:
				return false
			}
		default:
			p.i++
		}
	}
	return false
}

func (p *jsonParser) number() bool {
	start := p.i
	if p.peek() == '-' {
		p.i++
	}
	switch {
	case p.peek() == '0':
		p.i++
	case '1' <= p.peek() && p.peek() <= '9':
		p.digits()
	default:
		return false
	}
	if p.peek() == '.' {
		p.i++
		if !p.digits() {
			return false
		}
	}
	if c := p.peek(); c == 'e' || c == 'E' {
		p.i++
		if c := p.peek(); c == '+' || c == '-' {
			p.i++
		}
		if !p.digits() {
			return false
		}
	}
	return p.i > start
}

func (p *jsonParser) digits() bool {
	start := p.i
	for '0' <= p.peek() && p.peek() <= '9' {
		p.i++
	}
	return p.i > start
}

func (p *jsonParser) literal(word string) bool {
	if len(p.b)-p.i < len(word) || string(p.b[p.i:p.i+len(word)]) != word {
		return false
	}
	p.i += len(word)
	return true
}

// hexValue is the value of four hex digits.
func hexValue(b []byte) rune {
	var r rune
	for _, c := range b {
		r = r<<4 | rune(unhex(c))
	}
	return r
}

// jsonUnquote decodes a valid JSON string literal. Lone surrogates become
// U+FFFD, as in encoding/json.
func jsonUnquote(raw []byte) string {
	s := raw[1 : len(raw)-1]
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		i++
		switch s[i] {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := hexValue(s[i+1 : i+5])
			i += 4
			if utf16.IsSurrogate(r) {
				r2 := utf8.RuneError
				if i+6 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
					r2 = utf16.DecodeRune(r, hexValue(s[i+3:i+7]))
					if r2 != utf8.RuneError {
						i += 6
					}
				}
				r = r2
			}
			out = utf8.AppendRune(out, r)
		default: // '"', '\\', '/'
			out = append(out, s[i])
		}
	}
	return string(out)
}
