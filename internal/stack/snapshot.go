//go:build !js

package stack

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// snapshotWorker copies the built worker (wrangler.toml, the Worker's JS
// modules, build/ and dist/) into dir and returns the copy's wrangler.toml.
//
// A stack never runs on the shared tree: `make build` empties build/ first,
// and wrangler dev watches its entry, so a build elsewhere would restart the
// Worker mid-request or fail its start with ENOENT; and two wrangler dev
// sharing one config folder were seen to mix their output.
func snapshotWorker(root, dir string) (string, error) {
	for _, name := range []string{"build/app.wasm", "build/wasm_exec.js", "worker/entry.mjs", "wrangler.toml"} {
		if _, err := os.Stat(filepath.Join(root, name)); err != nil {
			return "", fmt.Errorf("worker not built: %s is missing; run `make build` first", name)
		}
	}
	modules, err := filepath.Glob(filepath.Join(root, "worker", "*", "*.mjs"))
	if err != nil {
		return "", err
	}
	names := []string{"wrangler.toml", "worker/entry.mjs", "build", "dist"}
	for _, m := range modules {
		if rel, _ := filepath.Rel(root, m); !strings.HasSuffix(rel, ".test.mjs") {
			names = append(names, rel)
		}
	}
	for _, name := range names {
		if _, err := os.Stat(filepath.Join(root, name)); os.IsNotExist(err) {
			continue
		}
		if err := copyTree(filepath.Join(root, name), filepath.Join(dir, name)); err != nil {
			return "", err
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "dist"), 0o755); err != nil { // [assets] needs the folder
		return "", err
	}
	wasm, err := os.ReadFile(filepath.Join(dir, "build", "app.wasm"))
	if err != nil || !bytes.HasPrefix(wasm, []byte("\x00asm")) {
		return "", fmt.Errorf("build/app.wasm is missing or not a wasm module (a build in progress?): %v", err)
	}
	return filepath.Join(dir, "wrangler.toml"), nil
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// Make runs `make -s target` at the repository root, so a test runs on what
// it just built. It refuses to reinstall node_modules as a side effect: when
// package.json is newer than the install, it asks for `make deps`.
func Make(target string) error {
	root, err := FindRepoRoot()
	if err != nil {
		return err
	}
	check := exec.Command("make", "-s", "-q", "node_modules/.installed")
	check.Dir = root
	if err := check.Run(); err != nil {
		return fmt.Errorf("node_modules is out of date with package.json: run `make deps` first (%v)", err)
	}
	cmd := exec.Command("make", "-s", target)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("make -s %s in %s: %v\n%s", target, root, err, out)
	}
	return nil
}

// Main is the TestMain of a suite that runs the stack: unless -short (when
// every such test skips), it first builds target with Make, so the suite
// never runs a stale build. After the tests it runs after (what the suite
// shares, such as a browser, is stopped there) and closes the Shared stacks.
func Main(m *testing.M, suite, target string, after ...func()) {
	flag.Parse()
	if !testing.Short() {
		if err := Make(target); err != nil {
			fmt.Fprintf(os.Stderr, "%s: building %s failed, so there is nothing to test: %v\n", suite, target, err)
			os.Exit(1)
		}
	}
	code := m.Run()
	for _, f := range after {
		f()
	}
	closeShared()
	os.Exit(code)
}
