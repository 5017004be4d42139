//go:build wasm

package main

// generate is native only; see generate.go.
func generate() {}
