//go:build js && wasm

package jsruntime

import "context"

// RateLimiter is Cloudflare's rate-limiting binding ([[ratelimits]] in
// wrangler.toml), named by Binding: limit({key}) resolves to {success}.
type RateLimiter struct {
	Binding string
}

func (l RateLimiter) Allow(ctx context.Context, key string) (bool, error) {
	o := perform(ctx, op{kind: 'L', binding: l.Binding, key: key})
	return o.body == "1", o.err
}
