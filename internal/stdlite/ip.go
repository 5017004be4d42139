package stdlite

import "strings"

// IsIPv4 reports whether s is an IPv4 address in dotted decimal, as
// netip.ParseAddr takes one: four numbers of 0 to 255, without leading
// zeros.
func IsIPv4(s string) bool {
	for part := 0; part < 4; part++ {
		n := 0
		for n < len(s) && n < 4 && '0' <= s[n] && s[n] <= '9' {
			n++
		}
		if n == 0 || n > 3 || n > 1 && s[0] == '0' || n == 3 && s[:3] > "255" {
			return false
		}
		if s = s[n:]; part < 3 {
			if s == "" || s[0] != '.' {
				return false
			}
			s = s[1:]
		}
	}
	return s == ""
}

// IsIPv6 reports whether s is an IPv6 address in text form (RFC 4291
// §2.2), as netip.ParseAddr takes one without a zone: eight groups of one
// to four hex digits, "::" once for a run of zero groups, and perhaps an
// IPv4 address as the last two.
func IsIPv6(s string) bool {
	head, tail, compressed := strings.Cut(s, "::")
	if strings.Contains(tail, "::") {
		return false
	}
	groups := 0
	for i, part := range []string{head, tail} {
		if part == "" {
			continue
		}
		fields := strings.Split(part, ":")
		for j, g := range fields {
			last := j == len(fields)-1 && (i == 1 || !compressed)
			switch {
			case g != "" && len(g) <= 4 && allHexDigits(g):
				groups++
			case last && IsIPv4(g):
				groups += 2
			default:
				return false
			}
		}
	}
	return compressed && groups < 8 || !compressed && groups == 8
}
