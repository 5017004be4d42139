//go:build !js

package stack

import (
	"slices"
	"testing"
)

// TestParseListeningPorts reads a /proc/net/tcp table: only sockets of the
// given inodes that listen on 127.0.0.1 count.
func TestParseListeningPorts(t *testing.T) {
	const table = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1053 1 0000000060066df 100 0 0 10 0
   1: 0100007F:9C93 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2001 1 0000000060066df 100 0 0 10 0
   2: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2002 1 0000000060066df 100 0 0 10 0
   3: 0100007F:BECA 0100007F:9C93 01 00000000:00000000 03:00000D7C 00000000     0        0 2003 3 000000002cdaeb83
   4: 0100007F:2710 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 9999 1 0000000060066df 100 0 0 10 0
   5: 00000000:2711 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2004 1 0000000060066df 100 0 0 10 0
   6: not a row
`
	for _, tc := range []struct {
		name   string
		inodes []string
		want   []int
	}{
		{"loopback listeners, sorted", []string{"2002", "2001"}, []int{8080, 40083}},
		{"a connection is not a listener", []string{"2003"}, nil},
		{"another process's listener", []string{"1"}, nil},
		{"not on 127.0.0.1", []string{"2004", "1053"}, nil},
		{"no inodes", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := parseListeningPorts(table, tc.inodes); !slices.Equal(got, tc.want) {
				t.Errorf("ports %v, want %v", got, tc.want)
			}
		})
	}
}
