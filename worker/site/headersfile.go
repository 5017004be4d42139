package site

import (
	"slices"
	"strings"

	"tokendesk"
	"tokendesk/internal/lang"
	"tokendesk/worker/message"
)

// HeadersFile is the Workers Static Assets _headers file for p: the
// headers of every static file, pages included. Rules after /* only change
// what differs: Cloudflare joins a header set by two rules.
func HeadersFile(p Policy) string {
	var base message.Header
	p.Set(&base, "/")
	var b strings.Builder
	b.WriteString("# Generated from worker/site by `go run ./wasm/prerender`; do not edit.\n/*\n")
	for _, name := range sortedNames(base) {
		b.WriteString("  " + name + ": " + base.Get(name) + "\n")
	}
	paths := []string{EmbedScript, VersionedDir + "*"}
	for _, l := range lang.All {
		paths = append(paths, l.PagePath(tokendesk.EmbedPath), l.PagePath(tokendesk.EmbedCheckPage))
	}
	for _, path := range paths {
		var h message.Header
		p.Set(&h, path)
		b.WriteString(path + "\n")
		for _, name := range sortedNames(base) {
			if h.Get(name) != base.Get(name) {
				b.WriteString("  ! " + name + "\n")
			}
		}
		for _, name := range sortedNames(h) {
			if h.Get(name) != base.Get(name) {
				b.WriteString("  " + name + ": " + h.Get(name) + "\n")
			}
		}
	}
	return b.String()
}

func sortedNames(h message.Header) []string {
	var names []string
	for _, f := range h {
		names = append(names, f.Name)
	}
	slices.Sort(names)
	return slices.Compact(names)
}
