//go:build !js

package stack

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
)

// A stack runs the Worker as `wrangler deploy` uploads it: the bundle that
// `wrangler deploy --dry-run` writes, under `wrangler dev --no-bundle`.
// wrangler dev's own bundling keeps an esbuild watching the sources for
// as long as the stack runs, polling them about nine times a second: 4 %
// of a core for each idle stack here, 23 s of CPU in app/e2e's five
// stacks (BENCHMARKS.md). It also wraps the Worker in dev-only middleware
// that the deployed Worker does not have.
//
// A bundle follows from the Worker's files and wrangler's version alone,
// so it is kept per those in bundleCacheDir, as Go keeps its builds: one
// dry run serves every stack of every suite until the Worker changes.

// bundleCacheDir is where bundles are kept, one folder per inputs.
func bundleCacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "tokendesk", "worker-bundle"), nil
}

// bundles makes each bundle once per process, however many stacks ask at once.
var bundles onceEach[string]

// deployBundle returns the entry module of the deploy bundle of the
// Worker in snapshot (a snapshotWorker copy), making it if it is not kept.
func deployBundle(root, snapshot string) (entry string, err error) {
	key, err := bundleKey(root, snapshot)
	if err != nil {
		return "", fmt.Errorf("worker bundle: %w", err)
	}
	return bundles.do(key, func() (string, error) { return makeBundle(root, snapshot, key) })
}

// bundleKey hashes wrangler's version and every file of the snapshot's
// Worker: all but the static site (dist/), which the bundle does not hold.
func bundleKey(root, snapshot string) (string, error) {
	h := sha256.New()
	version, err := os.ReadFile(filepath.Join(root, "node_modules", "wrangler", "package.json"))
	if err != nil {
		return "", err
	}
	h.Write(version)
	err = filepath.WalkDir(snapshot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(snapshot, path)
		if d.IsDir() {
			if rel == "dist" || rel == "state" {
				return filepath.SkipDir
			}
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		fmt.Fprintf(h, "\x00%s\x00", filepath.ToSlash(rel))
		_, err = io.Copy(h, f)
		return err
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// makeBundle returns the kept bundle for key, or runs the dry run into a
// folder of its own and keeps it. Two processes may make the same bundle
// at once: the first rename keeps it, and the other's copy is dropped.
func makeBundle(root, snapshot, key string) (string, error) {
	cache, err := bundleCacheDir()
	if err != nil {
		return "", err
	}
	kept := filepath.Join(cache, key)
	if entry, err := bundleEntry(kept); err == nil {
		return entry, nil
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(cache, key+".tmp-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	// --env= as `make deploy` passes it: the top-level environment.
	cmd := exec.Command(filepath.Join(root, "node_modules", ".bin", "wrangler"),
		"deploy", "--dry-run", "--env=", "--outdir", tmp, "--config", filepath.Join(snapshot, "wrangler.toml"))
	cmd.Dir = snapshot
	cmd.Env = wranglerEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("wrangler deploy --dry-run: %v\n%s", err, out)
	}
	if _, err := bundleEntry(tmp); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, kept); err != nil {
		if _, kerr := bundleEntry(kept); kerr != nil {
			return "", err
		}
	}
	return bundleEntry(kept)
}

// bundleEntry returns the one JavaScript module of the bundle in dir.
func bundleEntry(dir string) (string, error) {
	js, err := filepath.Glob(filepath.Join(dir, "*.js"))
	if err != nil {
		return "", err
	}
	if len(js) != 1 {
		return "", fmt.Errorf("worker bundle %s: want one entry module, found %d", dir, len(js))
	}
	return js[0], nil
}
