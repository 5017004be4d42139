package tokendesk

// The pages of the token check. The app registers them, the generator
// prerenders them, and the Worker serves them as pages (the embed one may
// be framed, like /embed).
const (
	// CheckPage is the full page "Check a token".
	CheckPage = "/check"
	// EmbedCheckPage is its compact, framable layout, beside /embed.
	EmbedCheckPage = "/embed/check"
)

// The real MetaHuman SDK API, as the page's copy-ready snippets call it.
// (The relay's upstream is a Worker var, UPSTREAM_URL, whose default is
// the same API.)
const (
	APIURL     = "https://api.metahumansdk.io"
	DocsOrigin = "https://docs.metahumansdk.io"
	DocsURL    = DocsOrigin + "/"
)
