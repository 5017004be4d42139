package stdlite

import "strconv"

// IsIPv4 reports whether s is an IPv4 address in dotted decimal (ParseIPv4).
func IsIPv4(s string) bool {
	_, ok := ParseIPv4(s)
	return ok
}

// IsIPv6 reports whether s is an IPv6 address in text form, without a zone
// (ParseIPv6).
func IsIPv6(s string) bool {
	_, ok := ParseIPv6(s)
	return ok
}

// ParseIPv4 parses an IPv4 address in dotted decimal, as
// netip.ParseAddr takes one: four numbers of 0 to 255, without leading
// zeros.
func ParseIPv4(s string) (uint32, bool) {
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

// ParseIPv6 parses an IPv6 address in text form (RFC 4291 §2.2) into its
// eight 16-bit groups, as netip.ParseAddr takes one without a zone: eight
// groups of one to four hex digits, "::" once for a run of zero groups, and
// perhaps an IPv4 address as the last two.
func ParseIPv6(s string) (words [8]uint16, ok bool) {
	if !parseIPv6(s, &words) {
		return [8]uint16{}, false
	}
	return words, true
}

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
		for digits < len(s) && digits < 5 && IsHexDigit(s[digits]) {
			n, digits = n<<4|int(unhex(s[digits])), digits+1
		}
		if digits == 0 || digits > 4 {
			return false
		}
		if digits < len(s) && s[digits] == '.' {
			// An IPv4 address ends it, in the last two words.
			v, ok := ParseIPv4(s)
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

// FormatIPv6 writes an IPv6 address's groups as RFC 5952 does: lower-case
// hex without leading zeros, the longest run of two or more zero groups
// (the first, on a tie) as "::".
func FormatIPv6(words [8]uint16) string {
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
