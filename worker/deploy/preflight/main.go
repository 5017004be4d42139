// Command preflight checks a deploy before `make deploy` ships it: that the
// Turnstile key pair is whole (worker/deploy.CheckTurnstile). It asks
// wrangler for the environment's secret names (never their values), or
// reads them from -secrets, a file of `wrangler secret list` output.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"

	"tokendesk/worker/deploy"
)

func main() {
	env := flag.String("env", "", "the wrangler.toml environment; empty is production")
	siteKey := flag.String("turnstile-site-key", "", "the TURNSTILE_SITE_KEY the site is built with")
	secretsFile := flag.String("secrets", "", "a file of `wrangler secret list` output, instead of asking wrangler")
	flag.Parse()

	listed, err := secretList(*env, *secretsFile)
	if err == nil {
		var names []string
		if names, err = deploy.ParseSecretNames(listed); err == nil {
			var warning string
			if warning, err = deploy.CheckTurnstile(*env, *siteKey, names); warning != "" {
				fmt.Fprintln(os.Stderr, "preflight: warning:", warning)
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "preflight:", err)
		os.Exit(1)
	}
}

func secretList(env, file string) ([]byte, error) {
	if file != "" {
		return os.ReadFile(file)
	}
	cmd := exec.Command("node_modules/.bin/wrangler", "secret", "list", "--env="+env, "--format=json")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("wrangler secret list --env=%s: %v (CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID must be set)", env, err)
	}
	return out, nil
}
