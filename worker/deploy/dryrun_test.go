//go:build !js

// Package deploy checks what `make deploy` would ship, offline: wrangler's
// dry run of the built Worker for every environment in wrangler.toml.
package deploy

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tokendesk/internal/stack"
)

// environments are the ones `make deploy ENV=…` takes ("" is production).
var environments = []string{"", "staging"}

// TestDryRun builds the Worker and runs `wrangler deploy --dry-run` for each
// environment: it must succeed without a warning (wrangler warns when an
// environment lacks vars or bindings it does not inherit), and staging must
// have every binding production has.
func TestDryRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the Worker and runs wrangler")
	}
	if err := stack.Make("build"); err != nil {
		t.Fatal(err)
	}
	root, err := stack.FindRepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	bindings := map[string][]string{}
	for _, env := range environments {
		out := dryRun(t, root, env)
		if strings.Contains(out, "WARNING") {
			t.Errorf("env %q: wrangler warns:\n%s", env, out)
		}
		bindings[env] = bindingNames(out)
		if !slices.Contains(bindings[env], "ASSETS") {
			t.Errorf("env %q: no ASSETS binding in the dry run:\n%s", env, out)
		}
	}
	for _, name := range bindings[""] {
		if !slices.Contains(bindings["staging"], name) {
			t.Errorf("staging lacks %s, which production has: add it under [env.staging]", name)
		}
	}
}

// dryRun runs wrangler's dry run for env at root and returns its output.
func dryRun(t *testing.T, root, env string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// Always --env, as `make deploy` does: "" names production explicitly.
	args := []string{"deploy", "--dry-run", "--outdir", t.TempDir(), "--env=" + env}
	cmd := exec.CommandContext(ctx, filepath.Join(root, "node_modules", ".bin", "wrangler"), args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "WRANGLER_SEND_METRICS=false", "WRANGLER_SEND_ERROR_REPORTS=false", "NO_COLOR=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("wrangler %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// bindingNames reads the binding table wrangler prints ("env.NAME (…)  Kind").
func bindingNames(out string) []string {
	var names []string
	for line := range strings.Lines(out) {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), "env.")
		if !ok {
			continue
		}
		name, _, _ := strings.Cut(rest, " ")
		names = append(names, name)
	}
	return names
}
