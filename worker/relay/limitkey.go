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
// The addresses are read by internal/stdlite, not net/netip (see its
// package comment); FuzzLimitKey holds the keys to net/netip.

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
	return stdlite.FormatIPv6(words) + "/" + strconv.Itoa(bits)
}

// parseIP parses an IPv4 or IPv6 address in text form into eight 16-bit
// words (IPv4 as IPv4-mapped) and reports whether it is IPv4 or
// IPv4-mapped, as net/netip.ParseAddr and Addr.Unmap would.
func parseIP(s string) (words [8]uint16, v4 bool, ok bool) {
	if v, ok := stdlite.ParseIPv4(s); ok {
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
	words, ok = stdlite.ParseIPv6(s)
	if !ok {
		return words, false, false
	}
	mapped := words[0]|words[1]|words[2]|words[3]|words[4] == 0 && words[5] == 0xffff
	return words, mapped, true
}
