// The bare-Go comparator's entry (see main.go): one Go instance per
// isolate, started by the first request, as the token desk's Worker does.
import "./build/wasm_exec.js";
import mod from "./build/app.wasm";

let hooks = null;

export default {
  async fetch(request, env) {
    if (!hooks) {
      globalThis.__bareGo = hooks = { ready() {} };
      const go = new Go();
      go.run(new WebAssembly.Instance(mod, go.importObject));
    }
    const form = hooks.form(await request.text());
    if (!form) return new Response('{"error":{"code":"bad_form"}}', { status: 400 });
    const res = await fetch(env.UPSTREAM_URL + "/auth/token", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: form,
    });
    return new Response(await res.text(), { status: res.status, headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
  },
};
