// The Worker's entry: one Go instance per isolate, kept across requests.
// Go computes; every await (fetch, the rate limiter) happens here, in the
// request's own handler, because workerd ties I/O to the request that made
// it. The protocol is in worker/jsruntime/pump.go.
import "../build/wasm_exec.js";
import mod from "../build/app.wasm";

const context = { env: undefined, ctx: undefined, binding: {} };
let running = null;

function startGo() {
  const go = new Go();
  let ready;
  const isReady = new Promise((resolve) => (ready = resolve));
  const instance = new WebAssembly.Instance(mod, {
    ...go.importObject,
    workers: { ready: () => ready() },
  });
  // If Go ever exits (a crash), the next request starts a fresh instance.
  go.run(instance, context).finally(() => (running = null));
  return isReady;
}

function flatten(headers) {
  let lines = "";
  for (const [name, value] of headers) lines += name + ":" + value + "\n";
  return lines;
}

function unflatten(lines) {
  const headers = new Headers();
  for (const line of lines.split("\n")) {
    const i = line.indexOf(":");
    if (i > 0) headers.append(line.slice(0, i), line.slice(i + 1));
  }
  return headers;
}

async function perform(op, env) {
  switch (op.op) {
    case "fetch": {
      const init = { method: op.method, headers: unflatten(op.headers), redirect: "manual" };
      if (op.body) init.body = op.body;
      if (op.timeout > 0) init.signal = AbortSignal.timeout(op.timeout);
      const res = await (op.binding ? env[op.binding].fetch(op.url, init) : fetch(op.url, init));
      const body = new Uint8Array(await res.arrayBuffer());
      return { status: res.status, headers: flatten(res.headers), body };
    }
    case "limit": {
      const { success } = await env[op.binding].limit({ key: op.key });
      return success;
    }
  }
  throw new Error("unknown operation " + op.op);
}

const nullBodyStatus = new Set([101, 204, 205, 304]);

export default {
  async fetch(request, env, ctx) {
    context.env = env;
    context.ctx = ctx;
    if (!running) running = startGo();
    await running;
    const body = request.body ? new Uint8Array(await request.arrayBuffer()) : null;
    let step = context.binding.start(request.method, request.url, flatten(request.headers), body);
    while (step.op) {
      let outcome;
      try {
        outcome = { ok: true, value: await perform(step, env) };
      } catch (e) {
        const timedOut = e && (e.name === "TimeoutError" || e.name === "AbortError");
        outcome = { ok: false, error: timedOut ? "timeout" : String(e) };
      }
      step = context.binding.resume(step.id, outcome);
    }
    const hasBody = !nullBodyStatus.has(step.status) && request.method !== "HEAD";
    return new Response(hasBody ? step.body : null, { status: step.status, headers: unflatten(step.headers) });
  },
};
