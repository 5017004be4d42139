//go:build !js

package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestWorkerLinksNoReplacedPackage holds the Worker to what the bench
// reports it does without: every byte of wasm is paid by each cold start.
func TestWorkerLinksNoReplacedPackage(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "tokendesk/worker")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		deps[p] = true
		if strings.HasPrefix(p, "github.com/maxence-charriere/go-app") {
			t.Errorf("the Worker links %s: it must never import go-app", p)
		}
	}
	for _, p := range replacedPackages {
		if deps[p.pkg] {
			t.Errorf("the Worker links %s; %s stands in for it", p.pkg, p.instead)
		}
	}
}
