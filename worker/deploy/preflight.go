//go:build !js

package deploy

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// TurnstileSecret is the secret half of the Turnstile key pair, set with
// `wrangler secret put TURNSTILE_SECRET`; the site key is a build setting
// (TURNSTILE_SITE_KEY), baked into the pages.
const TurnstileSecret = "TURNSTILE_SECRET"

// ParseSecretNames reads the names in `wrangler secret list`'s JSON
// output: [{"name": …, "type": "secret_text"}, …].
func ParseSecretNames(listed []byte) ([]string, error) {
	var secrets []struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(listed, &secrets); err != nil {
		return nil, fmt.Errorf("cannot read wrangler secret list's output (%v): %.200s", err, listed)
	}
	names := make([]string, 0, len(secrets))
	for _, s := range secrets {
		names = append(names, s.Name)
	}
	return names, nil
}

// CheckTurnstile reports whether a deploy's bot check is whole: the site
// key and the secret both set (on) or both unset (off). Half of the pair
// would show a check that nobody verifies, or verify a check nobody is
// shown, so the Worker would answer every request with a config_error.
// The warning, when not empty, says that production runs without it.
func CheckTurnstile(env, siteKey string, secretNames []string) (warning string, err error) {
	key := strings.TrimSpace(siteKey) != ""
	secret := slices.Contains(secretNames, TurnstileSecret)
	where := "production"
	if env != "" {
		where = "the " + env + " environment"
	}
	switch {
	case key && !secret:
		return "", errors.New("TURNSTILE_SITE_KEY is set but " + where + " has no " + TurnstileSecret +
			" secret: run `wrangler secret put " + TurnstileSecret + envFlag(env) + "` first, or deploy without TURNSTILE_SITE_KEY")
	case secret && !key:
		return "", errors.New(where + " has the " + TurnstileSecret + " secret but TURNSTILE_SITE_KEY is not set: " +
			"deploy with TURNSTILE_SITE_KEY=<the site key>, or `wrangler secret delete " + TurnstileSecret + envFlag(env) + "`")
	case !key && env == "":
		return "production runs without Turnstile: anyone can script token requests within the rate limits (README, \"Turnstile\")", nil
	}
	return "", nil
}

func envFlag(env string) string {
	if env == "" {
		return ""
	}
	return " --env " + env
}
