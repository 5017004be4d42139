//go:build !js

package deploy

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tokendesk/internal/stack"
)

func TestCheckTurnstile(t *testing.T) {
	for _, tt := range []struct {
		name, env, siteKey string
		secrets            []string
		wantErr, wantWarn  string
	}{
		{"both: on", "", "0x4AAA", []string{"TURNSTILE_SECRET"}, "", ""},
		{"both in staging", "staging", "0x4AAA", []string{"OTHER", "TURNSTILE_SECRET"}, "", ""},
		{"neither in staging", "staging", "", nil, "", ""},
		{"neither in production: allowed, with a warning", "", "", nil, "", "production runs without Turnstile"},
		{"site key without the secret", "", "0x4AAA", []string{"OTHER"}, "no TURNSTILE_SECRET secret", ""},
		{"site key without the secret in staging", "staging", "0x4AAA", nil, "wrangler secret put TURNSTILE_SECRET --env staging", ""},
		{"secret without the site key", "", " ", []string{"TURNSTILE_SECRET"}, "TURNSTILE_SITE_KEY is not set", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			warn, err := CheckTurnstile(tt.env, tt.siteKey, tt.secrets)
			if (err == nil) != (tt.wantErr == "") || err != nil && !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %v, want %q", err, tt.wantErr)
			}
			if (warn == "") != (tt.wantWarn == "") || !strings.Contains(warn, tt.wantWarn) {
				t.Errorf("warning %q, want %q", warn, tt.wantWarn)
			}
		})
	}
}

func TestParseSecretNames(t *testing.T) {
	names, err := ParseSecretNames([]byte(`[{"name":"TURNSTILE_SECRET","type":"secret_text"},{"name":"X","type":"secret_text"}]`))
	if err != nil || strings.Join(names, ",") != "TURNSTILE_SECRET,X" {
		t.Errorf("names %v, %v", names, err)
	}
	if _, err := ParseSecretNames([]byte("✘ [ERROR] Not logged in.")); err == nil {
		t.Error("wrangler's error text read as a list")
	}
}

// TestPreflightRefusesAHalfTurnstile runs the command `make deploy` runs
// before it deploys: with the site key and no secret (or the other way
// round) it exits non-zero and says what to do.
func TestPreflightRefusesAHalfTurnstile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the preflight command")
	}
	root, err := stack.FindRepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "preflight")
	build := exec.Command("go", "build", "-o", bin, "./worker/deploy/preflight")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	none := write("none.json", "[]")
	secret := write("secret.json", `[{"name":"TURNSTILE_SECRET","type":"secret_text"}]`)
	for _, tt := range []struct {
		name    string
		args    []string
		wantOK  bool
		wantOut string
	}{
		{"whole", []string{"-turnstile-site-key", "0x4AAA", "-secrets", secret}, true, ""},
		{"off, with a warning", []string{"-secrets", none}, true, "warning: production runs without Turnstile"},
		{"site key only", []string{"-turnstile-site-key", "0x4AAA", "-secrets", none}, false, "no TURNSTILE_SECRET secret"},
		{"secret only", []string{"-env", "staging", "-secrets", secret}, false, "TURNSTILE_SITE_KEY is not set"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(bin, tt.args...)
			cmd.Dir = root
			out, err := cmd.CombinedOutput()
			if (err == nil) != tt.wantOK || !strings.Contains(string(out), tt.wantOut) {
				t.Errorf("%v: %v\n%s\nwant ok %v and %q", tt.args, err, out, tt.wantOK, tt.wantOut)
			}
		})
	}
}
