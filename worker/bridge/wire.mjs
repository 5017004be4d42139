// The wire format between entry.mjs and the Go instance: the JS half of
// worker/bridge/wire.go, whose package comment describes every message.
// testdata/wire.json holds fixtures that both halves' tests read.

// hooksGlobal is bridge.HooksGlobal: the global under which entry.mjs
// leaves a new instance's hooks for Go to take.
export const hooksGlobal = "__tokendeskBridge";

// internalErrorFallback is bridge.InternalError's JSON, for when Go cannot
// even start; once Go runs, its own copy is used. wire.json holds it for
// both sides' tests.
export const internalErrorFallback =
  '{"error":{"code":"internal_error","message":"The token desk failed while answering. Try again in a minute; if it keeps failing, tell the desk\'s operator."}}\n';

/** headerLines encodes headers as "name:value\n" lines. */
export function headerLines(headers) {
  let lines = "";
  for (const [name, value] of headers) lines += name + ":" + value.replaceAll("\n", " ") + "\n";
  return lines;
}

/** parseHeaders decodes header lines into a Headers. */
export function parseHeaders(lines) {
  const headers = new Headers();
  for (const line of lines.split("\n")) {
    const i = line.indexOf(":");
    if (i > 0) headers.append(line.slice(0, i), line.slice(i + 1));
  }
  return headers;
}

/** startHead encodes a request's head; its body travels beside it as bytes. */
export function startHead(method, url, colo, bodySize, headers) {
  return method + "\n" + url + "\n" + (colo || "") + "\n" + bodySize + "\n" + headerLines(headers);
}

/** cut splits s at its first n newlines: [field1, …, fieldN, rest]. */
export function cut(s, n) {
  const out = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    const nl = s.indexOf("\n", at);
    if (nl < 0) throw new Error("bridge: malformed step");
    out.push(s.slice(at, nl));
    at = nl + 1;
  }
  out.push(s.slice(at));
  return out;
}

/** splitHead splits header lines (each ending in "\n") from what follows the blank line. */
export function splitHead(s) {
  if (s[0] === "\n") return ["", s.slice(1)];
  const i = s.indexOf("\n\n");
  if (i < 0) throw new Error("bridge: malformed step");
  return [s.slice(0, i + 1), s.slice(i + 2)];
}

/**
 * parseStep decodes a step from Go:
 *   {kind: "fetch", binding, method, url, timeoutMs, maxAnswerBytes, headers, body}
 *   {kind: "limit", binding, key}
 *   {kind: "answer", status, log, headers, body}
 * It throws on anything else, so a broken step fails the request, not the isolate.
 */
export function parseStep(step) {
  if (typeof step !== "string" || step.length === 0) throw new Error("bridge: no step");
  const rest = step.slice(1);
  switch (step[0]) {
    case "F": {
      const [binding, method, url, timeout, maxAnswer, more] = cut(rest, 5);
      const [head, body] = splitHead(more);
      return { kind: "fetch", binding, method, url, timeoutMs: Number(timeout), maxAnswerBytes: Number(maxAnswer), headers: parseHeaders(head), body };
    }
    case "L": {
      const [binding, key] = cut(rest, 1);
      return { kind: "limit", binding, key };
    }
    case "R": {
      const [status, log, more] = cut(rest, 2);
      const [head, body] = splitHead(more);
      return { kind: "answer", status: Number(status), log, headers: parseHeaders(head), body };
    }
  }
  throw new Error("bridge: unknown step");
}

/** okOutcome encodes a fetch's answer head; its body travels beside it as bytes. */
export function okOutcome(status, headers) {
  return "1\n" + status + "\n" + headerLines(headers);
}

/** failedOutcome encodes a failed operation: "timeout" or a message. */
export function failedOutcome(timedOut, message) {
  return "0\n" + (timedOut ? "timeout" : String(message).replaceAll("\n", " "));
}
