package site

import (
	"errors"
	"html"
	"os"
	"path/filepath"
	"strings"

	"tokendesk/internal/lang"
)

// TurnstileMeta is the element in the prerendered pages that carries the
// Turnstile site key to the app: "off" until Apply fills in a key. Its
// attributes are in the order the generator prints them.
const TurnstileMeta = `<meta content="off" name="turnstile-site-key">`

// Apply writes the build-time settings p into the site in dir: the
// _headers file, and the Turnstile site key into every page. The generator
// runs it on dist/; the test harness runs it on its private copy when a
// test sets FRAME_ANCESTORS or TURNSTILE_SITE_KEY.
func Apply(dir string, p Policy) error {
	if err := os.WriteFile(filepath.Join(dir, "_headers"), []byte(HeadersFile(p)), 0o644); err != nil {
		return err
	}
	meta := TurnstileMeta
	if key := strings.TrimSpace(p.TurnstileSiteKey); key != "" {
		meta = `<meta content="` + html.EscapeString(key) + `" name="turnstile-site-key">`
	}
	// The pages: index.html, embed.html, check.html and embed/check.html,
	// at the root and in each language's folder (de/index.html).
	var pages []string
	for _, l := range lang.All {
		folder := filepath.Join(dir, strings.TrimPrefix(l.Path(), "/"))
		for _, pattern := range []string{"*.html", filepath.Join("embed", "*.html")} {
			more, err := filepath.Glob(filepath.Join(folder, pattern))
			if err != nil {
				return err
			}
			pages = append(pages, more...)
		}
	}
	if len(pages) == 0 {
		return errors.New("site: no pages in " + dir)
	}
	for _, page := range pages {
		b, err := os.ReadFile(page)
		if err != nil {
			return err
		}
		s := string(b)
		i := strings.Index(s, `" name="turnstile-site-key">`)
		j := strings.LastIndex(s[:max(i, 0)], `<meta content="`)
		if i < 0 || j < 0 {
			return errors.New("site: " + page + " has no turnstile-site-key meta")
		}
		s = s[:j] + meta + s[i+len(`" name="turnstile-site-key">`):]
		if err := os.WriteFile(page, []byte(s), 0o644); err != nil {
			return err
		}
	}
	return nil
}
