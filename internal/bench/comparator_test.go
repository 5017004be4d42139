//go:build !js

package main

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"tokendesk"
)

// TestJSComparatorKeepsTheContract holds the JS comparator, which is plain
// JavaScript on purpose (a baseline links nothing of ours), to the
// contract's path and limits, so the comparison stays one of equal work.
func TestJSComparatorKeepsTheContract(t *testing.T) {
	src, err := os.ReadFile("../jsrelay/worker.js")
	if err != nil {
		t.Fatal(err)
	}
	consts := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^const ([A-Z_]+) = (.+);$`).FindAllStringSubmatch(string(src), -1) {
		consts[m[1]] = m[2]
	}
	for name, want := range map[string]string{"TOKEN_PATH": tokendesk.TokenPath, "DEFAULT_UPSTREAM_URL": tokendesk.APIURL} {
		if got := consts[name]; got != strconv.Quote(want) {
			t.Errorf("%s = %s, want %q", name, got, want)
		}
	}
	for name, want := range map[string]int{
		"MAX_BODY_BYTES":    tokendesk.MaxBodyBytes,
		"MAX_NAME_CHARS":    tokendesk.MaxNameChars,
		"MAX_MAIL_BYTES":    tokendesk.MaxMailBytes,
		"MAX_COMMENT_CHARS": tokendesk.MaxCommentChars,
	} {
		if got, ok := jsInt(consts[name]); !ok || got != want {
			t.Errorf("%s = %q, want %d", name, consts[name], want)
		}
	}
}

// jsInt evaluates a constant written as "n" or "a << b".
func jsInt(expr string) (int, bool) {
	a, b, shifted := strings.Cut(expr, " << ")
	n, err := strconv.Atoi(a)
	if err != nil {
		return 0, false
	}
	if !shifted {
		return n, true
	}
	s, err := strconv.Atoi(b)
	return n << s, err == nil
}
