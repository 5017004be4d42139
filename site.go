package tokendesk

// The relay's public paths. Each is a drop-in for the upstream path of the
// same name, so the page, the relay, the emulator and the docs' examples
// all refer to these.
const (
	// TokenPath issues a token: POST name, mail, comment.
	TokenPath = "/auth/token"
	// CheckPath checks a token: POST token. The upstream path it forwards
	// to is a Worker var (CHECK_PATH), since one version of the API docs
	// names it /token_status.
	CheckPath = "/glb_const/status"
)
