//go:build js && wasm

package jsruntime

import "context"

// RateLimiter is Cloudflare's rate-limiting binding ([[ratelimits]] in
// wrangler.toml), named by Binding: limit({key}) resolves to {success}.
type RateLimiter struct {
	Binding string
}

func (l RateLimiter) Allow(ctx context.Context, key string) (bool, error) {
	outcome, err := perform(ctx, map[string]any{"op": "limit", "binding": l.Binding, "key": key})
	if err != nil {
		return false, err
	}
	return outcome.Bool(), nil
}
