// The page floor for `make bench` (see wrangler.toml): every request goes
// to the static assets unchanged.
export default {
  fetch(request, env) {
    return env.ASSETS.fetch(request);
  },
};
