//go:build !js

package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Building the comparators' wasm and measuring wasm files.

// buildWasm builds pkg for js/wasm into out, in dir, with the flags the
// Makefile builds the Worker with (GO_WASM).
func buildWasm(dir, pkg, out string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, pkg)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOFLAGS=")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v: %s", pkg, err, oneLine(string(b)))
	}
	return nil
}

// buildBareGo builds the bare-Go comparator (internal/barego) next to its
// entry, with Go's own wasm_exec.js, and returns its wrangler config.
func buildBareGo(root string) (string, error) {
	dir := filepath.Join(root, "internal", "barego")
	if err := os.MkdirAll(filepath.Join(dir, "build"), 0o755); err != nil {
		return "", err
	}
	if err := buildWasm(root, "./internal/barego", filepath.Join(dir, "build", "app.wasm")); err != nil {
		return "", err
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOROOT: %v", err)
	}
	js, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "build", "wasm_exec.js"), js, 0o644); err != nil {
		return "", err
	}
	return filepath.Join(dir, "wrangler.toml"), nil
}

// gzipSize is data's size after gzip -9.
func gzipSize(data []byte) int {
	var z bytes.Buffer
	w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	w.Write(data)
	w.Close()
	return z.Len()
}

// brotliSize is data's size after brotli -q 11, from the brotli CLI.
func brotliSize(data []byte) (int, error) {
	path, err := exec.LookPath("brotli")
	if err != nil {
		return 0, fmt.Errorf("no brotli CLI")
	}
	cmd := exec.Command(path, "-c", "-q", "11")
	cmd.Stdin = bytes.NewReader(data)
	compressed, err := cmd.Output()
	if err != nil {
		return 0, err
	}
	return len(compressed), nil
}
