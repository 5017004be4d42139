// The Worker's entry. Pages are answered here from the static assets
// without Go (site/pages.mjs); everything else (POST /auth/token,
// POST /glb_const/status, /oembed) goes to the Go instance through the
// bridge (bridge/wire.go describes it; bridge/wire.mjs is its JS half).
//
// One Go instance serves every request of the isolate. Go computes; every
// await happens here, in the request's own handler, because workerd ties
// I/O to the request that made it. Each wait on Go and on an operation has
// the request's deadline, so no request can hang on the bridge: when Go is
// stuck, exits or crashes, the request gets a 500 JSON error and the next
// request starts a fresh instance.
import "../build/wasm_exec.js";
import * as wire from "./bridge/wire.mjs";
import { DeadlineError, readStream, withDeadline } from "./bridge/deadline.mjs";
import { servePage } from "./site/pages.mjs";
import { answerHeaders } from "./site/rules.gen.mjs";

// fallbackDeadlineMs bounds a request before Go has said its deadline.
const fallbackDeadlineMs = 20_000;

// No route takes a large body (the relay refuses over 8 KiB), so keep this
// much; the rest is read and dropped, up to a bound, because answering
// before the body is consumed makes wrangler dev answer 503 instead of 413.
const MAX_BODY_BYTES = 64 << 10;
const MAX_DRAIN_BYTES = 8 << 20;

const encoder = new TextEncoder();
const nullBodyStatus = new Set([101, 204, 205, 304]);

/** GoInstance is one running Go program and the requests waiting on it. */
class GoInstance {
  constructor(env, mod) {
    this.waiting = new Map(); // request id → {resolve, reject}, while the request waits on Go
    this.nextId = 1;
    this.exited = false;
    // The step Go delivered for callId during the current call into Go:
    // almost always, the next step arrives before the call returns.
    this.callId = 0;
    this.callStep = undefined;
    const hooks = {
      ready: () => {},
      deliver: (id, step) => {
        if (id === this.callId) {
          this.callStep = step;
          return;
        }
        const w = this.waiting.get(id);
        if (w) {
          this.waiting.delete(id);
          w.resolve(step);
        }
      },
    };
    globalThis[wire.hooksGlobal] = hooks;
    this.go = new Go();
    // The live heap is small and an isolate has 128 MB: collect less often,
    // since each collection runs on a request's path.
    this.go.env = { GOGC: "400" };
    this.instance = new WebAssembly.Instance(mod, this.go.importObject);
    // Go runs main until it blocks, which sets hooks.start and the others.
    // (go.run's promise cannot tell us when Go exits: it belongs to the
    // request that started the instance, and workerd drops its
    // continuations once that request is done. So every call into Go is
    // followed by a look at go.exited.)
    this.go.run(this.instance);
    delete globalThis[wire.hooksGlobal];
    if (this.go.exited || !hooks.configure) throw new Error("the Go instance did not start");
    this.hooks = hooks;
    const version = env.CF_VERSION_METADATA?.id ?? "";
    const configured = hooks.configure(env, version);
    if (this.go.exited) throw new Error("the Go instance exited while it started");
    const [deadline, errorJSON] = wire.cut(configured, 1);
    this.deadlineMs = Number(deadline) || fallbackDeadlineMs;
    this.errorJSON = errorJSON;
  }

  exit(err) {
    this.exited = true;
    if (current === this) current = null;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }

  memoryBytes() {
    return this.instance.exports.mem.buffer.byteLength;
  }

  /** step calls into Go with invoke and returns the step Go delivers for id, waiting until deadline if it comes later. */
  async step(id, deadline, invoke) {
    this.callId = id;
    this.callStep = undefined;
    try {
      invoke();
    } catch (e) {
      // A call into an exited or crashed Go throws.
      this.exit(e);
      throw e;
    } finally {
      this.callId = 0;
    }
    // Go may have exited during the call: every request waiting on it
    // gets its 500 now, this one included.
    if (this.go.exited) {
      const err = new Error("the Go instance exited");
      this.exit(err);
      throw err;
    }
    if (this.callStep !== undefined) return this.callStep;
    // The handler is waiting on something that is not the bridge's.
    const delivered = new Promise((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    return withDeadline(delivered, deadline);
  }

  cancel(id) {
    this.waiting.delete(id);
    if (!this.exited) {
      try {
        this.hooks.cancel(id);
      } catch (e) {
        this.exit(e);
      }
    }
  }
}

let current = null;

// The wasm module is imported on the first request that needs Go, so a
// page view never pays for compiling it.
let wasmModule = null;

async function instanceFor(env) {
  if (!current || current.exited) {
    wasmModule ??= (await import("../build/app.wasm")).default;
    if (!current || current.exited) current = new GoInstance(env, wasmModule);
  }
  return current;
}


/** perform does a fetch or limit operation and returns [outcome head, body bytes]. */
async function perform(op, env) {
  if (op.kind === "limit") {
    const { success } = await env[op.binding].limit({ key: op.key });
    return [wire.okOutcome(200, []), encoder.encode(success ? "1" : "0")];
  }
  const init = { method: op.method, headers: op.headers, redirect: "manual" };
  if (op.body) init.body = op.body;
  // The timeout bounds the answer's body too: Go's deadline for the call.
  const deadline = op.timeoutMs > 0 ? Date.now() + op.timeoutMs : Infinity;
  if (op.timeoutMs > 0) init.signal = AbortSignal.timeout(op.timeoutMs);
  try {
    const res = await (op.binding ? env[op.binding].fetch(op.url, init) : fetch(op.url, init));
    // Only what Go reads crosses: an answer larger than maxAnswerBytes is
    // cut there, and the rest is never read.
    const max = op.maxAnswerBytes > 0 ? op.maxAnswerBytes : Infinity;
    const { bytes } = await readStream(res.body, max, max, deadline);
    return [wire.okOutcome(res.status, res.headers), bytes];
  } catch (e) {
    const timedOut = e && (e.name === "TimeoutError" || e.name === "AbortError" || e instanceof DeadlineError);
    return [wire.failedOutcome(timedOut, e), new Uint8Array(0)];
  }
}

/** logLine writes Go's log line of a request with the instance's memory, as one JSON object; a line that is not JSON goes as it came, so logging never fails an answer. */
function logLine(line, memoryBytes) {
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    console.log(line);
    return;
  }
  console.log(JSON.stringify({ ...entry, wasm_memory_bytes: memoryBytes }));
}

/** withAnswerHeaders adds the security headers every answer of the Worker's own carries. */
function withAnswerHeaders(headers) {
  for (const [name, value] of answerHeaders) headers.set(name, value);
  return headers;
}

function internalError(json) {
  const headers = withAnswerHeaders(new Headers({ "Content-Type": "application/json", "Cache-Control": "no-store" }));
  return new Response(json || wire.internalErrorFallback, { status: 500, headers });
}

async function serveWithGo(request, env) {
  let go;
  try {
    go = await instanceFor(env);
  } catch (e) {
    console.error(JSON.stringify({ bridge: "start failed", error: String(e) }));
    return internalError();
  }
  const id = go.nextId++;
  const deadline = Date.now() + go.deadlineMs;
  try {
    const body = await readStream(request.body, MAX_BODY_BYTES, MAX_DRAIN_BYTES, deadline);
    const head = wire.startHead(request.method, request.url, request.cf?.colo, body.size, request.headers);
    let step = await go.step(id, deadline, () => go.hooks.start(id, head, body.bytes));
    for (;;) {
      const s = wire.parseStep(step);
      if (s.kind === "answer") {
        if (s.log) logLine(s.log, go.memoryBytes());
        const hasBody = !nullBodyStatus.has(s.status) && request.method !== "HEAD";
        return new Response(hasBody ? s.body : null, { status: s.status, headers: withAnswerHeaders(s.headers) });
      }
      // A fetch is bounded by its own timeout (Go sets it); a rate-limit
      // check by the request's deadline.
      const [outcome, bytes] = await (s.kind === "fetch" ? perform(s, env) : withDeadline(perform(s, env), deadline));
      step = await go.step(id, deadline, () => go.hooks.resume(id, outcome, bytes));
    }
  } catch (e) {
    go.cancel(id);
    console.error(JSON.stringify({ bridge: e instanceof DeadlineError ? "deadline passed" : "failed", error: String(e) }));
    return internalError(go.errorJSON);
  }
}

export default {
  async fetch(request, env) {
    return (await servePage(request, env)) ?? serveWithGo(request, env);
  },
};
