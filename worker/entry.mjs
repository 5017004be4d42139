// The Worker's entry: one Go instance per isolate, kept across requests.
// Go computes; every await (fetch, the rate limiter) happens here, in the
// request's own handler, because workerd ties I/O to the request that made
// it. Each call into Go and each answer is one string (see
// worker/jsruntime/pump.go):
//   start:    "METHOD\nURL\n" + header lines + "\n" + body
//   answer:   "R" + status + "\n" + header lines + "\n" + body
//   fetch:    "F" + id + "\n" + binding + "\nMETHOD\nURL\n" + timeoutMs + "\n" + header lines + "\n" + body
//   limit:    "L" + id + "\n" + binding + "\n" + key
//   resume:   id + "\n1\n" + status + "\n" + header lines + "\n" + body, or id + "\n0\n" + error
// Header lines are "name:value\n" each.
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

function headerLines(headers) {
  let lines = "";
  for (const [name, value] of headers) lines += name + ":" + value + "\n";
  return lines;
}

function toHeaders(lines) {
  const headers = new Headers();
  for (const line of lines.split("\n")) {
    const i = line.indexOf(":");
    if (i > 0) headers.append(line.slice(0, i), line.slice(i + 1));
  }
  return headers;
}

// splitHead splits header lines (each ending in "\n") from the body after
// the blank line.
function splitHead(s) {
  if (s[0] === "\n") return ["", s.slice(1)];
  const i = s.indexOf("\n\n");
  return i < 0 ? [s, ""] : [s.slice(0, i + 1), s.slice(i + 2)];
}

// cut splits s at the n-th newline: [field1, …, fieldN, rest].
function cut(s, n) {
  const out = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    const nl = s.indexOf("\n", at);
    out.push(s.slice(at, nl));
    at = nl + 1;
  }
  out.push(s.slice(at));
  return out;
}

async function perform(step, env) {
  if (step[0] === "L") {
    const [id, binding, key] = cut(step.slice(1), 2);
    const { success } = await env[binding].limit({ key });
    return id + "\n1\n200\n\n" + (success ? "1" : "0");
  }
  const [id, binding, method, url, timeout, rest] = cut(step.slice(1), 5);
  const [head, body] = splitHead(rest);
  const init = { method, headers: toHeaders(head), redirect: "manual" };
  if (body) init.body = body;
  if (Number(timeout) > 0) init.signal = AbortSignal.timeout(Number(timeout));
  try {
    const res = await (binding ? env[binding].fetch(url, init) : fetch(url, init));
    const text = await res.text();
    return id + "\n1\n" + res.status + "\n" + headerLines(res.headers) + "\n" + text;
  } catch (e) {
    const timedOut = e && (e.name === "TimeoutError" || e.name === "AbortError");
    return id + "\n0\n" + (timedOut ? "timeout" : String(e));
  }
}

const nullBodyStatus = new Set([101, 204, 205, 304]);

// No route here takes a large body (the relay refuses over 8 KiB), so keep
// this much (and the chunk that crosses it): a huge POST must not fill the isolate's memory first. The
// rest is read and dropped, up to a bound, because answering before the body
// is consumed makes wrangler dev answer 503 instead of our 413.
const MAX_BODY_BYTES = 64 << 10;
const MAX_DRAIN_BYTES = 8 << 20;

async function readBody(request) {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size - value.byteLength <= MAX_BODY_BYTES) text += decoder.decode(value, { stream: true }); // kept so far ≤ the cap
    if (size > MAX_DRAIN_BYTES) {
      await reader.cancel();
      break;
    }
  }
  return text + decoder.decode();
}

export default {
  async fetch(request, env, ctx) {
    context.env = env;
    context.ctx = ctx;
    if (!running) running = startGo();
    await running;
    const body = await readBody(request);
    let step = context.binding.start(request.method + "\n" + request.url + "\n" + headerLines(request.headers) + "\n" + body);
    while (step[0] !== "R") {
      let outcome;
      try {
        outcome = await perform(step, env);
      } catch (e) {
        outcome = cut(step.slice(1), 1)[0] + "\n0\n" + String(e);
      }
      step = context.binding.resume(outcome);
    }
    const [status, rest] = cut(step.slice(1), 1);
    const [head, answer] = splitHead(rest);
    const code = Number(status);
    const hasBody = !nullBodyStatus.has(code) && request.method !== "HEAD";
    return new Response(hasBody ? answer : null, { status: code, headers: toHeaders(head) });
  },
};
