package relay

import "tokendesk/worker/message"

// Transport makes the relay's outbound calls for the request r. Redirects
// are never followed. A call slower than out.Timeout fails with message.ErrTimeout.
type Transport interface {
	RoundTrip(r *message.Request, out *message.Outbound) (*message.Inbound, error)
}

// Limiter decides whether a client may make another request. In the Worker
// it is one of Cloudflare's rate-limiting bindings.
type Limiter interface {
	// Allow reports whether the client identified by key may send one more
	// request now, as part of serving r.
	Allow(r *message.Request, key string) (bool, error)
}
