//go:build !(js && wasm)

package relay

import (
	"net/netip"
	"testing"
)

func TestLimitKeys(t *testing.T) {
	for _, tt := range []struct{ ip, client, network string }{
		{"198.51.100.7", "198.51.100.7", "198.51.100.7"},
		{"0.0.0.0", "0.0.0.0", "0.0.0.0"},
		{"255.255.255.255", "255.255.255.255", "255.255.255.255"},
		// Every address of one /64 is one client.
		{"2001:db8:1:2::1", "2001:db8:1:2::/64", "2001:db8:1::/48"},
		{"2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64", "2001:db8:1::/48"},
		{"2001:0DB8:0001:0002:0000:0000:0000:0abc", "2001:db8:1:2::/64", "2001:db8:1::/48"},
		{"2001:db8:1:3::1", "2001:db8:1:3::/64", "2001:db8:1::/48"},
		{"2001:db8::", "2001:db8::/64", "2001:db8::/48"},
		{"::", "::/64", "::/48"},
		{"::1", "::/64", "::/48"},
		{"1::", "1::/64", "1::/48"},
		{"0:0:1::", "0:0:1::/64", "0:0:1::/48"},
		{"0:0:0:1::", "0:0:0:1::/64", "::/48"},
		{"1:0:0:1::5", "1:0:0:1::/64", "1::/48"},
		{"1:2:3:4:5:6:7:8", "1:2:3:4::/64", "1:2:3::/48"},
		// A zone names an interface, not a client.
		{"fe80::1%eth0", "fe80::/64", "fe80::/48"},
		{"fe80::1:2%25", "fe80::/64", "fe80::/48"},
		// An IPv4-mapped address is its IPv4 client.
		{"::ffff:198.51.100.7", "198.51.100.7", "198.51.100.7"},
		{"::ffff:c633:6407", "198.51.100.7", "198.51.100.7"},
		{"0:0:0:0:0:ffff:198.51.100.7", "198.51.100.7", "198.51.100.7"},
		// An embedded IPv4 that is not mapped is IPv6.
		{"64:ff9b::198.51.100.7", "64:ff9b::/64", "64:ff9b::/48"},
		// Garbage shares one key, so it cannot rotate either.
		{"", unparsedKey, unparsedKey},
		{"not an ip", unparsedKey, unparsedKey},
		{"198.51.100", unparsedKey, unparsedKey},
		{"198.51.100.07", unparsedKey, unparsedKey},
		{"198.51.100.256", unparsedKey, unparsedKey},
		{"198.51.100.7.", unparsedKey, unparsedKey},
		{"1:2:3:4:5:6:7:8:9", unparsedKey, unparsedKey},
		{"1:2:3:4:5:6:7:8::", unparsedKey, unparsedKey},
		{"1::2::3", unparsedKey, unparsedKey},
		{"12345::", unparsedKey, unparsedKey},
		{":1::", unparsedKey, unparsedKey},
		{"1:", unparsedKey, unparsedKey},
		{"fe80::1%", unparsedKey, unparsedKey},
		{"[2001:db8::1]", unparsedKey, unparsedKey},
		{"2001:db8::1/64", unparsedKey, unparsedKey},
	} {
		if got := ClientKey(tt.ip); got != tt.client {
			t.Errorf("ClientKey(%q) = %q, want %q", tt.ip, got, tt.client)
		}
		if got := NetworkKey(tt.ip); got != tt.network {
			t.Errorf("NetworkKey(%q) = %q, want %q", tt.ip, got, tt.network)
		}
	}
}

// FuzzLimitKey holds the hand-written parser to net/netip: the same
// addresses parse, and the keys are netip's prefixes of the unmapped
// address.
func FuzzLimitKey(f *testing.F) {
	for _, s := range []string{"198.51.100.7", "2001:db8:1:2::1", "::ffff:1.2.3.4", "fe80::1%eth0", "::", "1::2:3.4.5.6", "1:2:3:4:5:6:7::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		addr, err := netip.ParseAddr(s)
		got64, got48 := ClientKey(s), NetworkKey(s)
		if err != nil {
			if got64 != unparsedKey || got48 != unparsedKey {
				t.Fatalf("%q: netip refuses it (%v), keys %q %q", s, err, got64, got48)
			}
			return
		}
		addr = addr.WithZone("").Unmap()
		want64, want48 := addr.String(), addr.String()
		if addr.Is6() {
			p64, _ := addr.Prefix(64)
			p48, _ := addr.Prefix(48)
			want64, want48 = p64.String(), p48.String()
		}
		if got64 != want64 || got48 != want48 {
			t.Fatalf("%q: keys %q %q, netip %q %q", s, got64, got48, want64, want48)
		}
	})
}
