//go:build !js

package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// replacedPackages are the standard packages the Worker does without,
// with what stands in for each.
var replacedPackages = []struct{ pkg, use, instead string }{
	{"net/http", `http.Header{}.Get("a")`, "worker/message, worker/bridge"},
	{"encoding/json", `json.Valid(nil)`, "internal/stdlite: its JSON reader, AppendJSONString"},
	{"net/url", `url.ParseQuery("")`, "internal/stdlite: ParseQuery, QueryEscape, ParseURL"},
	{"mime/multipart", `multipart.NewReader(nil, "")`, "internal/stdlite: ParseMultipart, ParseMediaType"},
	{"net/mail", `mail.ParseAddress("")`, "internal/stdlite: ParseAddress"},
	{"fmt", `fmt.Sprint()`, "strconv"},
	{"os", `os.Getenv("")`, "nothing: the Worker writes no files (worker/site, which does, reaches it only as rules.gen.mjs)"},
}

// writeStdlibCosts builds a floor program (syscall/js and strings) and the
// floor plus each replaced package for js/wasm, and reports what each
// package would add: the measure by which the hand-written stand-ins earn
// their place (a cold start pays for every byte; see the cold-start table).
func writeStdlibCosts(out *bytes.Buffer) {
	fmt.Fprintf(out, "\n### What the Worker does without\n\nEach row builds a program of `syscall/js` and `strings` plus one standard package for js/wasm (`-trimpath -ldflags=\"-s -w\"`) and reports what the package adds to it. The Worker's own code stands in for each.\n\n")
	dir, err := os.MkdirTemp("", "stdcost-")
	if err != nil {
		fmt.Fprintf(out, "error: %v\n", err)
		return
	}
	defer os.RemoveAll(dir)
	build := func(name, pkg, use string) (raw, gz int, err error) {
		src := "package main\n\nimport (\n\t\"strings\"\n\t\"syscall/js\"\n"
		if pkg != "" {
			src += "\t\"" + pkg + "\"\n"
		}
		src += ")\n\nfunc main() {\n\tjs.Global().Set(\"x\", strings.ToUpper(\"x\"))\n"
		if use != "" {
			src += "\t_ = func() { " + use + " }\n"
		}
		src += "}\n"
		d := filepath.Join(dir, name)
		os.MkdirAll(d, 0o755)
		os.WriteFile(filepath.Join(d, "go.mod"), []byte("module stdcost\n\ngo 1.26\n"), 0o644)
		os.WriteFile(filepath.Join(d, "main.go"), []byte(src), 0o644)
		if err := buildWasm(d, ".", "out.wasm"); err != nil {
			return 0, 0, err
		}
		b, err := os.ReadFile(filepath.Join(d, "out.wasm"))
		if err != nil {
			return 0, 0, err
		}
		return len(b), gzipSize(b), nil
	}
	floorRaw, floorGz, err := build("floor", "", "")
	if err != nil {
		fmt.Fprintf(out, "error: %v\n", err)
		return
	}
	fmt.Fprintf(out, "| package | adds, raw | adds, gzip -9 | stands in for it |\n|---|---:|---:|---|\n")
	fmt.Fprintf(out, "| (the floor: `syscall/js`, `strings`) | %s | %s | |\n", mb(float64(floorRaw)), mb(float64(floorGz)))
	for i, p := range replacedPackages {
		raw, gz, err := build(fmt.Sprint("p", i), p.pkg, p.use)
		if err != nil {
			fmt.Fprintf(out, "| `%s` | error: %v | | |\n", p.pkg, err)
			continue
		}
		fmt.Fprintf(out, "| `%s` | +%s | +%s | %s |\n", p.pkg, mb(float64(raw-floorRaw)), mb(float64(gz-floorGz)), p.instead)
	}
}
