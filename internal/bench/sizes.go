//go:build !js

package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// The sizes of the wasm files.

func writeSizes(out *bytes.Buffer, root string) {
	logf("sizes…")
	fmt.Fprintf(out, "\n## Sizes\n\n| file | raw | gzip -9 | brotli -q 11 |\n|---|---:|---:|---:|\n")
	brotliPath, brotliErr := exec.LookPath("brotli")
	for _, name := range []string{"dist/web/app.wasm", "build/app.wasm"} {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			fmt.Fprintf(out, "| `%s` | n/a (missing) | | |\n", name)
			continue
		}
		var gz bytes.Buffer
		w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		w.Write(data)
		w.Close()
		br := "n/a (no brotli CLI)"
		if brotliErr == nil {
			cmd := exec.Command(brotliPath, "-c", "-q", "11")
			cmd.Stdin = bytes.NewReader(data)
			if compressed, err := cmd.Output(); err == nil {
				br = mb(float64(len(compressed)))
			} else {
				br = "error: " + oneLine(err.Error())
			}
		}
		fmt.Fprintf(out, "| `%s` | %s | %s | %s |\n", name, mb(float64(len(data))), mb(float64(gz.Len())), br)
	}
	if info, err := os.Stat(filepath.Join(root, "build", "app.wasm")); err == nil {
		fmt.Fprintf(out, "\nThe Worker's wasm: %d bytes raw, target ≤ %d %s.\n", info.Size(), targetWorkerBytes, mark(info.Size() <= targetWorkerBytes))
	}
	writeStdlibCosts(out)
}
