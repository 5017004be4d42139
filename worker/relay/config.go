package relay

import (
	"strings"
	"time"

	"tokendesk"
	"tokendesk/internal/stdlite"
	"tokendesk/worker/message"
)

// Defaults for the Worker vars; UPSTREAM_URL's is tokendesk.APIURL.
const (
	DefaultUpstreamTimeout = 10 * time.Second
	// DefaultCheckPath is the API's token check (CHECK_PATH).
	DefaultCheckPath = tokendesk.CheckPath
)

// Config is the relay's configuration as the Worker vars give it: plain
// strings, so a typo becomes a clear config_error rather than a crash.
type Config struct {
	// UpstreamURL is the API's base URL (UPSTREAM_URL). It must be https,
	// except on loopback hosts for local runs and tests.
	UpstreamURL string
	// AllowedOrigins lists extra origins that may call the relay from a
	// browser, comma-separated (ALLOWED_ORIGINS). The relay's own origin is
	// always allowed.
	AllowedOrigins string
	// UpstreamTimeout bounds one upstream call (UPSTREAM_TIMEOUT), as a Go
	// duration ("10s") or a number of seconds ("10").
	UpstreamTimeout string
	// CheckPath is the API's path for a token check (CHECK_PATH); empty
	// means DefaultCheckPath. One version of the API docs names it
	// /token_status, so an operator can follow the API without a release.
	CheckPath string
	// TurnstileSecret turns the bot check on (TURNSTILE_SECRET): a token
	// request must then carry a Turnstile answer that siteverify accepts
	// for this desk's host (or one of AllowedOrigins) and for
	// tokendesk.TurnstileAction, or it gets 403 challenge_failed.
	TurnstileSecret string
	// TurnstileSiteKey is the widget's key (TURNSTILE_SITE_KEY), which the
	// pages carry. The bot check is on with both halves of the pair and off
	// with neither; one without the other is a config error, since the
	// page and the relay would disagree on whether a person was checked.
	TurnstileSiteKey string
	// TurnstileVerifyURL overrides siteverify's URL (TURNSTILE_VERIFY_URL),
	// for tests against a local stand-in. Same https rule as UpstreamURL.
	TurnstileVerifyURL string
}

// ConfigFromEnv reads the Worker vars through getenv.
func ConfigFromEnv(getenv func(string) string) Config {
	return Config{
		UpstreamURL:        getenv("UPSTREAM_URL"),
		AllowedOrigins:     getenv("ALLOWED_ORIGINS"),
		UpstreamTimeout:    getenv("UPSTREAM_TIMEOUT"),
		CheckPath:          getenv("CHECK_PATH"),
		TurnstileSecret:    getenv("TURNSTILE_SECRET"),
		TurnstileSiteKey:   getenv("TURNSTILE_SITE_KEY"),
		TurnstileVerifyURL: getenv("TURNSTILE_VERIFY_URL"),
	}
}

// settings is a parsed Config.
type settings struct {
	tokenURL       string
	checkURL       string
	allowedOrigins map[string]bool
	// allowedHosts are the hosts of allowedOrigins, which a Turnstile
	// answer may name besides the desk's own.
	allowedHosts       map[string]bool
	timeout            time.Duration
	turnstileSecret    string
	turnstileVerifyURL string
}

// parse checks c and returns the settings, or a sentence for the operator.
func (c Config) parse() (settings, string) {
	s := settings{timeout: DefaultUpstreamTimeout, allowedOrigins: map[string]bool{}, allowedHosts: map[string]bool{}}

	base, problem := checkURL("UPSTREAM_URL", c.UpstreamURL, tokendesk.APIURL)
	if problem != "" {
		return s, problem
	}
	s.tokenURL = strings.TrimRight(base, "/") + tokendesk.TokenPath
	checkPath := strings.TrimSpace(c.CheckPath)
	if checkPath == "" {
		checkPath = DefaultCheckPath
	}
	if !strings.HasPrefix(checkPath, "/") || strings.ContainsAny(checkPath, "?#% \t") || strings.Contains(checkPath, "..") {
		return s, "CHECK_PATH must be a path such as " + DefaultCheckPath + "; got " + quoted(checkPath) + "."
	}
	s.checkURL = strings.TrimRight(base, "/") + checkPath

	s.turnstileSecret = strings.TrimSpace(c.TurnstileSecret)
	switch siteKey := strings.TrimSpace(c.TurnstileSiteKey); {
	case s.turnstileSecret != "" && siteKey == "":
		return s, "TURNSTILE_SECRET is set but TURNSTILE_SITE_KEY is not: set both to turn the bot check on, or neither."
	case s.turnstileSecret == "" && siteKey != "":
		return s, "TURNSTILE_SITE_KEY is set but TURNSTILE_SECRET is not (wrangler secret put TURNSTILE_SECRET): the pages would show a check that nobody verifies."
	}
	if s.turnstileSecret != "" {
		if s.turnstileVerifyURL, problem = checkURL("TURNSTILE_VERIFY_URL", c.TurnstileVerifyURL, TurnstileVerifyURL); problem != "" {
			return s, problem
		}
	}

	for _, origin := range strings.Split(c.AllowedOrigins, ",") {
		origin = strings.TrimSpace(origin)
		if origin == "" {
			continue
		}
		o, ok := stdlite.ParseURL(origin)
		if !ok || (o.Scheme != "https" && o.Scheme != "http") || strings.Count(origin, "/") != 2 ||
			o.HasQuery || o.UserInfo != "" || strings.Contains(origin, "#") {
			return s, "ALLOWED_ORIGINS must be a comma-separated list of origins like https://docs.example.com (no paths, no *); got " + quoted(origin) + "."
		}
		s.allowedOrigins[strings.ToLower(origin)] = true
		s.allowedHosts[strings.ToLower(o.Hostname())] = true
	}

	if t := strings.TrimSpace(c.UpstreamTimeout); t != "" {
		d, err := time.ParseDuration(t)
		if err != nil {
			d, err = time.ParseDuration(t + "s") // a number of seconds
		}
		if err != nil || d <= 0 || d > 5*time.Minute {
			return s, "UPSTREAM_TIMEOUT must be a duration such as 10s (at most 5m); got " + quoted(t) + "."
		}
		s.timeout = d
	}
	return s, ""
}

// quoted is s in double quotes, escaped as JSON is (strconv.Quote would
// link its tables of printable runes into the Worker).
func quoted(s string) string { return string(stdlite.AppendJSONString(nil, s)) }

// checkURL returns raw (or def when raw is empty) if it is an https URL, or
// http on loopback; otherwise a sentence naming the var.
func checkURL(name, raw, def string) (string, string) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		raw = def
	}
	u, ok := stdlite.ParseURL(raw)
	switch {
	case !ok || u.Scheme == "" || u.UserInfo != "" || u.HasQuery || strings.Contains(raw, "#"):
		return "", name + " must be a plain URL such as " + def + "."
	case u.Scheme == "https":
	case u.Scheme == "http" && message.IsLoopbackHost(u.Hostname()):
	default:
		return "", name + " must use https:// (plain http:// is allowed only for localhost, 127.0.0.0/8 and [::1])."
	}
	return raw, ""
}
