package site

import (
	"bytes"
	"html"
	"io"
	"net/http"
	"strings"

	"tokendesk/worker/oembed"
)

// TurnstileMeta is the placeholder in the prerendered pages that carries the
// Turnstile site key to the app; the Worker fills it in when Turnstile is on.
// Its attributes are in the order the generator prints them.
const TurnstileMeta = `<meta content="off" name="turnstile-site-key">`

// maxPageBytes bounds a page read from the assets.
const maxPageBytes = 1 << 20

// Pages serves the prerendered HTML pages from the static assets, with
// headers that follow the Worker vars. Static files other than pages never
// reach the Worker: they get their headers from the _headers file.
type Pages struct {
	// Assets fetches from the static assets: the ASSETS binding in the
	// Worker, a file server in tests.
	Assets http.RoundTripper
	// Policy is the header policy from the vars.
	Policy Policy
}

// IsPage reports whether the Worker serves path as a page.
func IsPage(path string) bool {
	return path == "/" || path == "/index.html" || IsEmbed(path)
}

// personalize fills in what only the request and the vars know: the
// absolute oEmbed discovery link, /embed's theme from ?theme= (so it works
// without JS), and the Turnstile site key.
func (p *Pages) personalize(body []byte, r *http.Request) []byte {
	body = bytes.Replace(body, []byte(oembed.DiscoveryPlaceholder),
		[]byte(oembed.DiscoveryLink(oembed.Origin(r), r.URL.String())), 1)
	if theme := oembed.Theme(r.URL.Query().Get("theme")); theme != "" && IsEmbed(r.URL.Path) {
		body = bytes.Replace(body, []byte(`<html lang="en">`), []byte(`<html data-theme="`+theme+`" lang="en">`), 1)
	}
	if key := strings.TrimSpace(p.Policy.TurnstileSiteKey); key != "" {
		body = bytes.Replace(body, []byte(TurnstileMeta),
			[]byte(`<meta content="`+html.EscapeString(key)+`" name="turnstile-site-key">`), 1)
	}
	return body
}

func (p *Pages) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	p.Policy.Set(h, r.URL.Path)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "Use GET for this page.", http.StatusMethodNotAllowed)
		return
	}
	req, err := http.NewRequestWithContext(r.Context(), r.Method, r.URL.String(), nil)
	if err != nil {
		http.Error(w, "Bad request.", http.StatusBadRequest)
		return
	}
	for _, name := range []string{"Accept", "Accept-Encoding", "If-None-Match"} {
		if v := r.Header.Get(name); v != "" {
			req.Header.Set(name, v)
		}
	}
	resp, err := p.Assets.RoundTrip(req)
	if err != nil {
		http.Error(w, "The page could not be loaded. Try again in a moment.", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPageBytes))
	if err != nil {
		http.Error(w, "The page could not be loaded. Try again in a moment.", http.StatusBadGateway)
		return
	}
	for _, name := range []string{"Content-Type", "ETag", "Cache-Control", "Location"} {
		if v := resp.Header.Get(name); v != "" {
			h.Set(name, v)
		}
	}
	if resp.StatusCode == http.StatusOK {
		body = p.personalize(body, r)
		h.Del("ETag") // the body is no longer the asset's
	}
	w.WriteHeader(resp.StatusCode)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}
