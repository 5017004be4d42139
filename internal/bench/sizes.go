//go:build !js

package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// The sizes of the wasm files.

func writeSizes(out *bytes.Buffer, root string) {
	logf("sizes…")
	fmt.Fprintf(out, "\n## Sizes\n\n| file | raw | gzip -9 | brotli -q 11 |\n|---|---:|---:|---:|\n")
	for _, name := range []string{"dist/web/app.wasm", "build/app.wasm"} {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			fmt.Fprintf(out, "| `%s` | n/a (missing) | | |\n", name)
			continue
		}
		var br string
		if n, err := brotliSize(data); err == nil {
			br = mb(float64(n))
		} else {
			br = "n/a (" + oneLine(err.Error()) + ")"
		}
		fmt.Fprintf(out, "| `%s` | %s | %s | %s |\n", name, mb(float64(len(data))), mb(float64(gzipSize(data))), br)
	}
	if info, err := os.Stat(filepath.Join(root, "build", "app.wasm")); err == nil {
		fmt.Fprintf(out, "\nThe Worker's wasm: %d bytes raw, target ≤ %d %s.\n", info.Size(), targetWorkerBytes, mark(info.Size() <= targetWorkerBytes))
	}
	writeStdlibCosts(out)
}
