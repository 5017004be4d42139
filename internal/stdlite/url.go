package stdlite

import "strings"

// Target is a parsed request URL.
type Target struct {
	Scheme, Host, Path, Query string
	// UserInfo and Fragment are what came before "@" in the authority
	// and after "#"; a request's URL has neither.
	UserInfo, Fragment string
	// HasQuery tells "?" with an empty query from no "?".
	HasQuery bool
}

// ParseTarget splits an absolute URL; the runtime always gives one.
func ParseTarget(raw string) Target {
	var t Target
	rest := raw
	if i := strings.Index(rest, "://"); i >= 0 {
		t.Scheme, rest = strings.ToLower(rest[:i]), rest[i+3:]
	}
	rest, t.Fragment, _ = strings.Cut(rest, "#")
	rest, t.Query, t.HasQuery = strings.Cut(rest, "?")
	if t.Scheme == "" {
		t.Path = rest // a path, perhaps relative
		return t
	}
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		t.Host, t.Path = rest[:i], rest[i:]
	} else {
		t.Host, t.Path = rest, "/"
	}
	if i := strings.LastIndexByte(t.Host, '@'); i >= 0 {
		t.UserInfo, t.Host = t.Host[:i], t.Host[i+1:]
	}
	return t
}

// ParseURL parses an absolute http or https URL, or a path with a query,
// and reports whether it is well formed: a scheme of letters, a host of
// letters, digits, dots, dashes, a port or an IPv6 literal, and no
// spaces or control characters anywhere.
func ParseURL(raw string) (Target, bool) {
	for i := 0; i < len(raw); i++ {
		if raw[i] <= ' ' || raw[i] == 0x7f {
			return Target{}, false
		}
	}
	t := ParseTarget(raw)
	if t.Scheme == "" {
		return t, !strings.HasPrefix(raw, "//") && !strings.Contains(t.Path, ":")
	}
	if t.Host == "" {
		return t, false
	}
	for _, c := range t.Scheme {
		if c < 'a' || c > 'z' {
			return t, false
		}
	}
	for i := 0; i < len(t.Host); i++ {
		c := t.Host[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == ':' || c == '[' || c == ']') {
			return t, false
		}
	}
	return t, true
}

// Hostname is Host without its port.
func (t Target) Hostname() string {
	if i := strings.LastIndexByte(t.Host, ':'); i >= 0 && !strings.Contains(t.Host[i:], "]") {
		return t.Host[:i]
	}
	return t.Host
}

// RequestURI is the path and query, as in a Location header.
func (t Target) RequestURI() string {
	if t.Query != "" {
		return t.Path + "?" + t.Query
	}
	return t.Path
}
