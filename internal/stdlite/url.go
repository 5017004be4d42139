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

// ParseTarget splits an absolute URL; the runtime always gives one. A
// string without a scheme is a path, perhaps with a query.
func ParseTarget(raw string) Target {
	var t Target
	rest := raw
	if i := strings.Index(rest, "://"); i >= 0 && !strings.ContainsAny(rest[:i], "/?#") {
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

// ParseURL parses an absolute URL, or a path with a query, and reports
// whether it is one net/url takes and a plain one: a scheme of letters; a
// host of letters, digits, dots and dashes or an IPv6 literal, with a port
// of digits or none; userinfo of the characters net/url allows in it;
// percent escapes of two hex digits in the userinfo, path and fragment;
// and no spaces or control characters anywhere. FuzzParseURL holds it to
// url.Parse.
func ParseURL(raw string) (Target, bool) {
	for i := 0; i < len(raw); i++ {
		if raw[i] <= ' ' || raw[i] == 0x7f {
			return Target{}, false
		}
	}
	t := ParseTarget(raw)
	if !validEscapes(t.Path) || !validEscapes(t.Fragment) {
		return t, false
	}
	if t.Scheme == "" {
		// A path: no authority (//), and no colon before any query, or
		// net/url would read a scheme.
		path := raw
		if i := strings.IndexAny(raw, "?#"); i >= 0 {
			path = raw[:i]
		}
		return t, !strings.HasPrefix(raw, "//") && !strings.Contains(path, ":")
	}
	// An "@" with nothing before it is userinfo net/url keeps, empty.
	emptyUserinfo := strings.HasPrefix(raw[strings.Index(raw, "://")+3:], "@")
	return t, t.Host != "" && strings.Trim(t.Scheme, "abcdefghijklmnopqrstuvwxyz") == "" &&
		plainHost(t.Host) && validUserinfo(t.UserInfo) && !emptyUserinfo
}

// plainHost reports whether host is a name of letters, digits, dots and
// dashes, or an IPv6 address in brackets, with a port of digits or none.
func plainHost(host string) bool {
	name, port, _ := strings.Cut(host, ":")
	if strings.HasPrefix(host, "[") {
		end := strings.IndexByte(host, ']')
		if end < 0 {
			return false
		}
		name, port = host[:end+1], host[end+1:]
		if port != "" && port[0] != ':' || !IsIPv6(host[1:end]) {
			return false
		}
		port = port[min(1, len(port)):]
	} else if strings.Trim(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") != "" {
		return false
	}
	return name != "" && strings.Trim(port, "0123456789") == ""
}

// validUserinfo reports whether s holds only what net/url allows in
// userinfo, and its percent escapes are whole.
func validUserinfo(s string) bool {
	const allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._:~!$&'()*+,;=%@"
	return strings.Trim(s, allowed) == "" && validEscapes(s)
}

// validEscapes reports whether every % in s starts an escape of two hex
// digits.
func validEscapes(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && !escapeAt(s, i) {
			return false
		}
	}
	return true
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
