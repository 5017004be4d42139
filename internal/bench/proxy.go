//go:build !js

package main

import (
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// countingProxy forwards to the stack and counts the response bytes as
// sent, compressed or not, with their headers.
type countingProxy struct {
	mu       sync.Mutex
	byPath   map[string]int64
	fetches  map[string]int
	encoding map[string]string
}

type countingBody struct {
	io.ReadCloser
	p    *countingProxy
	path string
}

func (b countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.p.mu.Lock()
	b.p.byPath[b.path] += int64(n)
	b.p.mu.Unlock()
	return n, err
}

func startCountingProxy(target string) (*countingProxy, string, func(), error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, "", nil, err
	}
	cp := &countingProxy{byPath: map[string]int64{}, fetches: map[string]int{}, encoding: map[string]string{}}
	proxy := httputil.NewSingleHostReverseProxy(u)
	// Pass the browser's Accept-Encoding through and the body untouched.
	proxy.Transport = &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 16}
	proxy.ModifyResponse = func(resp *http.Response) error {
		path := resp.Request.URL.Path
		var head int64
		for k, vs := range resp.Header {
			for _, v := range vs {
				head += int64(len(k) + len(v) + 4)
			}
		}
		cp.mu.Lock()
		cp.byPath[path] += head + 17 // + the status line
		cp.fetches[path]++
		cp.encoding[path] = resp.Header.Get("Content-Encoding")
		cp.mu.Unlock()
		resp.Body = countingBody{resp.Body, cp, path}
		return nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", nil, err
	}
	srv := &http.Server{Handler: proxy}
	go srv.Serve(ln)
	return cp, "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

func (cp *countingProxy) total() int64 {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	var n int64
	for _, b := range cp.byPath {
		n += b
	}
	return n
}

func (cp *countingProxy) table() string {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	paths := slices.Sorted(maps.Keys(cp.byPath))
	slices.SortStableFunc(paths, func(a, b string) int { return int(cp.byPath[b] - cp.byPath[a]) })
	var b strings.Builder
	b.WriteString("| path | requests | bytes | Content-Encoding |\n|---|---:|---:|---|\n")
	for _, p := range paths {
		enc := cp.encoding[p]
		if enc == "" {
			enc = "none"
		}
		fmt.Fprintf(&b, "| `%s` | %d | %s | %s |\n", p, cp.fetches[p], kb(cp.byPath[p]), enc)
	}
	return b.String()
}
