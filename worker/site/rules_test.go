package site

import (
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite rules.gen.mjs")

// TestPageRules keeps rules.gen.mjs, which the Worker's page handler
// imports, in step with the Go rules it is made from.
func TestPageRules(t *testing.T) {
	const file = "rules.gen.mjs"
	want := PageRulesJS()
	if *update {
		if err := os.WriteFile(file, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(file)
	if err != nil || string(got) != want {
		t.Fatalf("%s is stale: run `go test ./worker/site -run TestPageRules -update`", file)
	}
}
