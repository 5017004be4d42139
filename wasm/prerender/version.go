package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// The site's version: a hash of what it serves, so the service worker
// picks up a new build and only a new build.

// withGenerated mixes the generated files into version.
func withGenerated(version, out string) (string, error) {
	h := sha256.New()
	h.Write([]byte(version))
	for _, name := range generatedFiles() {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			return "", err
		}
		h.Write([]byte("\x00" + name + "\x00"))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

// versionOf is a short hash of app.wasm and every file in web/, so the
// service worker picks up a new build and only a new build.
func versionOf(wasm, web string) (string, error) {
	h := sha256.New()
	b, err := os.ReadFile(wasm)
	if err != nil {
		return "", err
	}
	h.Write([]byte("app.wasm\x00"))
	h.Write(b)
	files, err := listFiles(web)
	if err != nil {
		return "", err
	}
	for _, rel := range files {
		b, err := os.ReadFile(filepath.Join(web, rel))
		if err != nil {
			return "", err
		}
		h.Write([]byte("\x00" + filepath.ToSlash(rel) + "\x00"))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

func listFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || d.Name() == "app.wasm" || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		files = append(files, rel)
		return nil
	})
	sort.Strings(files)
	return files, err
}

func copyDir(src, dst string) error {
	files, err := listFiles(src)
	if err != nil {
		return err
	}
	for _, rel := range files {
		b, err := os.ReadFile(filepath.Join(src, rel))
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(target, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
