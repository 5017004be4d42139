package relay

import (
	"strconv"

	"tokendesk/internal/stdlite"
)

// The rate limits' keys. A client is an IPv4 address, or an IPv6 /64: one
// /64 is what a single home line or a cheap server is given, and it holds
// 2^64 addresses, so a limit keyed on the whole IPv6 address could be
// rotated past without end. The looser network limit keys an IPv6 /48 (what
// one site or provider customer is routed) and, for IPv4, the address
// again. An address that does not parse (never on Cloudflare, which sets
// CF-Connecting-IP itself) shares one key, so garbage cannot rotate either.
//
// The parsing is written here because package net/netip would add about
// 0.17 MB to the Worker's wasm (BENCHMARKS.md); FuzzLimitKey holds it to
// net/netip.

// unparsedKey is the one key of every address that does not parse.
const unparsedKey = "unparsed"

// ClientKey is the rate limit key of the client at ip: an IPv4 address
// (an IPv4-mapped IPv6 address counts as its IPv4 address), or the /64 of
// an IPv6 address, as "2001:db8:1:2::/64". A zone (fe80::1%eth0) is
// dropped.
func ClientKey(ip string) string { return limitKey(ip, 64) }

// NetworkKey is the key of the looser network limit: an IPv4 address, or
// the /48 of an IPv6 address.
func NetworkKey(ip string) string { return limitKey(ip, 48) }

func limitKey(ip string, bits int) string {
	words, v4, ok := parseIP(ip)
	if !ok {
		return unparsedKey
	}
	if v4 {
		return strconv.Itoa(int(words[6]>>8)) + "." + strconv.Itoa(int(words[6]&0xff)) + "." +
			strconv.Itoa(int(words[7]>>8)) + "." + strconv.Itoa(int(words[7]&0xff))
	}
	for i := bits / 16; i < len(words); i++ {
		words[i] = 0
	}
	return formatIPv6(words) + "/" + strconv.Itoa(bits)
}

// parseIP parses an IPv4 or IPv6 address in text form into eight 16-bit
// words (IPv4 as IPv4-mapped) and reports whether it is IPv4 or
// IPv4-mapped, as net/netip.ParseAddr and Addr.Unmap would.
func parseIP(s string) (words [8]uint16, v4 bool, ok bool) {
	if v, ok := parseIPv4(s); ok {
		words[5] = 0xffff
		words[6], words[7] = uint16(v>>16), uint16(v)
		return words, true, true
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '%' {
			if i == len(s)-1 {
				return words, false, false // a zone must have a name
			}
			s = s[:i]
			break
		}
	}
	if !parseIPv6(s, &words) {
		return words, false, false
	}
	mapped := words[0]|words[1]|words[2]|words[3]|words[4] == 0 && words[5] == 0xffff
	return words, mapped, true
}

// parseIPv4 parses dotted decimal: four numbers 0-255 without leading
// zeros.
func parseIPv4(s string) (uint32, bool) {
	var v uint32
	parts := 0
	for len(s) > 0 && parts < 4 {
		n, digits := 0, 0
		for digits < len(s) && '0' <= s[digits] && s[digits] <= '9' {
			n = n*10 + int(s[digits]-'0')
			digits++
			if digits > 3 || n > 255 {
				return 0, false
			}
		}
		if digits == 0 || digits > 1 && s[0] == '0' {
			return 0, false
		}
		v, parts, s = v<<8|uint32(n), parts+1, s[digits:]
		if parts < 4 {
			if len(s) == 0 || s[0] != '.' {
				return 0, false
			}
			s = s[1:]
		}
	}
	return v, parts == 4 && s == ""
}

// parseIPv6 parses eight groups of up to four hex digits, one "::" for a
// run of zero groups, and an IPv4 address in place of the last two groups.
func parseIPv6(s string, words *[8]uint16) bool {
	ellipsis := -1 // the word index "::" stands at
	if len(s) >= 2 && s[0] == ':' && s[1] == ':' {
		ellipsis, s = 0, s[2:]
		if s == "" {
			return true
		}
	}
	i := 0
	for i < 8 {
		n, digits := 0, 0
		for digits < len(s) && digits < 5 && stdlite.IsHexDigit(s[digits]) {
			n, digits = n<<4|hexDigit(s[digits]), digits+1
		}
		if digits == 0 || digits > 4 {
			return false
		}
		if digits < len(s) && s[digits] == '.' {
			// An IPv4 address ends it, in the last two words.
			v, ok := parseIPv4(s)
			if !ok || i > 6 || ellipsis < 0 && i != 6 {
				return false
			}
			words[i], words[i+1] = uint16(v>>16), uint16(v)
			i, s = i+2, ""
			break
		}
		words[i], i, s = uint16(n), i+1, s[digits:]
		if s == "" {
			break
		}
		if s[0] != ':' || len(s) == 1 {
			return false
		}
		if s[1] == ':' {
			if ellipsis >= 0 {
				return false // only one "::"
			}
			ellipsis, s = i, s[2:]
			if s == "" {
				break
			}
			continue
		}
		s = s[1:]
	}
	if s != "" {
		return false
	}
	if ellipsis < 0 {
		return i == 8
	}
	if i == 8 {
		return false // "::" must stand for at least one group
	}
	// Move the words after "::" to the end.
	n := i - ellipsis
	copy(words[8-n:], words[ellipsis:i])
	for j := ellipsis; j < 8-n; j++ {
		words[j] = 0
	}
	return true
}

// hexDigit is the value of a hex digit (stdlite.IsHexDigit).
func hexDigit(c byte) int {
	switch {
	case c <= '9':
		return int(c - '0')
	case c >= 'a':
		return int(c-'a') + 10
	}
	return int(c-'A') + 10
}

// formatIPv6 writes words as RFC 5952 does: lower-case hex without leading
// zeros, the longest run of two or more zero groups (the first, on a tie)
// as "::".
func formatIPv6(words [8]uint16) string {
	start, length := -1, 0
	for i := 0; i < 8; {
		if words[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && words[j] == 0 {
			j++
		}
		if j-i > length && j-i >= 2 {
			start, length = i, j-i
		}
		i = j
	}
	b := make([]byte, 0, 39)
	for i := 0; i < 8; i++ {
		if i == start {
			b = append(b, ':', ':')
			i += length - 1
			continue
		}
		if i > 0 && i != start+length {
			b = append(b, ':')
		}
		b = strconv.AppendUint(b, uint64(words[i]), 16)
	}
	return string(b)
}
