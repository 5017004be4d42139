// Deadlines for what the Worker's entry awaits: a promise (withDeadline)
// and a body stream (readStream), so no client or upstream that is slow or
// silent can hold a request past its deadline.

/** DeadlineError is what a wait past its deadline rejects with. */
export class DeadlineError extends Error {}

/** withDeadline settles as promise does, or rejects with a DeadlineError at deadline (ms since the epoch). */
export function withDeadline(promise, deadline) {
  const ms = deadline - Date.now();
  if (ms <= 0) return Promise.reject(new DeadlineError("deadline"));
  let timer;
  const expired = new Promise((_, reject) => (timer = setTimeout(() => reject(new DeadlineError("deadline")), ms)));
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/**
 * readStream reads stream until it ends, keeping its first `keep` bytes and
 * reading on, to drop them, up to `drain` bytes in all; then it cancels the
 * stream. Past deadline (ms since the epoch) it cancels the stream and
 * throws a DeadlineError, so a client or upstream that sends slowly cannot
 * hold the request. It returns the kept bytes and the size read.
 */
export async function readStream(stream, keep, drain, deadline) {
  if (!stream) return { bytes: new Uint8Array(0), size: 0 };
  const reader = stream.getReader();
  const ms = deadline - Date.now();
  let timedOut = ms <= 0;
  const timer = timedOut || ms === Infinity ? undefined : setTimeout(() => {
    timedOut = true;
    reader.cancel().catch(() => {});
  }, ms);
  const chunks = [];
  let kept = 0;
  let size = 0;
  try {
    while (!timedOut) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (kept < keep) {
        const part = value.subarray(0, keep - kept);
        chunks.push(part);
        kept += part.byteLength;
      }
      if (size >= drain) {
        await reader.cancel();
        break;
      }
    }
  } catch (e) {
    if (!timedOut) throw e;
  } finally {
    clearTimeout(timer);
  }
  if (timedOut) throw new DeadlineError("deadline");
  const bytes = new Uint8Array(kept);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return { bytes, size };
}

