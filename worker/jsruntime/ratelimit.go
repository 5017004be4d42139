//go:build js && wasm

package jsruntime

import (
	"context"
	"errors"
	"syscall/js"
)

// RateLimiter is Cloudflare's rate-limiting binding ([[ratelimits]] in
// wrangler.toml): limit({key}) resolves to {success}.
type RateLimiter struct {
	Binding js.Value
}

func (l RateLimiter) Allow(ctx context.Context, key string) (bool, error) {
	if l.Binding.IsUndefined() || l.Binding.IsNull() {
		return false, errors.New("rate-limiting binding missing")
	}
	outcome, err := await(ctx.Done(), js.Null(), l.Binding.Call("limit", map[string]any{"key": key}))
	if err != nil {
		return false, err
	}
	return outcome.Get("success").Bool(), nil
}
