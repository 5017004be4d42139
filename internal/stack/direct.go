//go:build !js

package stack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A test's stack talks to the Worker's own socket in workerd, not to the
// one `wrangler dev` prints. wrangler dev puts its ProxyWorker in front of
// the Worker, in a workerd of its own, and that is where requests were
// lost and parked (heartbeat.go). On Cloudflare nothing stands between a
// client and the Worker, so the tests need not have it either: the
// Worker's workerd, which wrangler dev starts with the Worker's config
// (vars, bindings, assets, limiter), listens on a port of its own. It is
// found among the ports the stack's workerd processes listen on, by the
// mark the stack's site holds at heartbeatPath (so never another
// process's port), and it serves the same answers, compression included.
//
// What the tests lose: wrangler's request log lines ("GET / 200 OK (3ms)"),
// which the ProxyWorker's workerd writes. The Worker's own log lines come
// as before. What they gain: no parked request, no heartbeat (its cost is
// in heartbeat.go), and one hop less for every request.

// errNoWorkerSocket is workerSocket's error where it cannot look (no /proc).
var errNoWorkerSocket = errors.New("the Worker's own socket cannot be found here")

// workerSocket returns the base URL of the Worker's own socket: the one
// port that a workerd of the stack listens on, other than wrangler dev's,
// where the stack's mark answers.
func (s *Stack) workerSocket() (string, error) {
	if s.mark == "" {
		return "", errors.New("another config's Worker has no mark to be found by")
	}
	var inodes []string
	for _, p := range s.Processes() {
		if p.Command == "workerd" {
			inodes = append(inodes, socketInodes(p.Pid)...)
		}
	}
	if len(inodes) == 0 {
		return "", errNoWorkerSocket
	}
	ports, err := listeningPorts(inodes)
	if err != nil {
		return "", err
	}
	client := &http.Client{Timeout: 2 * time.Second}
	for _, port := range ports {
		if port == s.Port {
			continue
		}
		base := "http://127.0.0.1:" + strconv.Itoa(port)
		if s.servesMark(context.Background(), client, base) {
			return base, nil
		}
	}
	return "", fmt.Errorf("no port of the stack's workerd (%v) holds its mark", ports)
}

// servesMark reports whether base serves this stack's mark at
// heartbeatPath, which no other process's port does.
func (s *Stack) servesMark(ctx context.Context, client *http.Client, base string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+heartbeatPath, nil)
	if err != nil {
		return false
	}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
	return resp.StatusCode == http.StatusOK && string(body) == s.mark
}

// socketInodes returns the inodes of the sockets pid holds open.
func socketInodes(pid int) []string {
	dir := filepath.Join("/proc", strconv.Itoa(pid), "fd")
	fds, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var inodes []string
	for _, fd := range fds {
		target, err := os.Readlink(filepath.Join(dir, fd.Name()))
		if inode, ok := strings.CutPrefix(target, "socket:["); err == nil && ok {
			inodes = append(inodes, strings.TrimSuffix(inode, "]"))
		}
	}
	return inodes
}

// listeningPorts returns, in order, the TCP ports on the loopback address
// 127.0.0.1 that the sockets with these inodes listen on, as
// /proc/net/tcp lists them.
func listeningPorts(inodes []string) ([]int, error) {
	table, err := os.ReadFile("/proc/net/tcp")
	if err != nil {
		return nil, errNoWorkerSocket
	}
	return parseListeningPorts(string(table), inodes), nil
}

// parseListeningPorts reads a /proc/net/tcp table: after a header line,
// "sl local_address rem_address st … inode …", with addresses as hex
// IP:port (the IPv4 address in host byte order) and st 0A for LISTEN.
func parseListeningPorts(table string, inodes []string) []int {
	const loopback, listen = "0100007F", "0A"
	var ports []int
	for i, line := range strings.Split(table, "\n") {
		f := strings.Fields(line)
		if i == 0 || len(f) < 10 || f[3] != listen || !slices.Contains(inodes, f[9]) {
			continue
		}
		ip, port, ok := strings.Cut(f[1], ":")
		if n, err := strconv.ParseUint(port, 16, 16); ok && err == nil && ip == loopback {
			ports = append(ports, int(n))
		}
	}
	slices.Sort(ports)
	return ports
}
