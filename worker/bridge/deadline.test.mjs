// Tests of deadline.mjs: a body stream is read with a cap and a deadline.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DeadlineError, readStream, withDeadline } from "./deadline.mjs";

/** source returns a stream of chunks of n bytes each (then a stall, if stall), and how it was cancelled. */
function source(chunks, n, stall) {
  const seen = { cancelled: false, pulled: 0 };
  const stream = new ReadableStream({
    pull(controller) {
      if (seen.pulled < chunks) {
        seen.pulled++;
        controller.enqueue(new Uint8Array(n).fill(seen.pulled));
      } else if (!stall) {
        controller.close();
      } else {
        return new Promise(() => {}); // a peer that never sends more
      }
    },
    cancel() {
      seen.cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { stream, seen };
}

test("a body that stalls is given up at the deadline, and its stream cancelled", async () => {
  const { stream, seen } = source(1, 10, true);
  const start = Date.now();
  await assert.rejects(readStream(stream, 1024, 1024, Date.now() + 100), DeadlineError);
  const took = Date.now() - start;
  assert.ok(took >= 90 && took < 2000, `gave up after ${took} ms`);
  assert.ok(seen.cancelled, "the stream was not cancelled");
});

test("an answer is read only up to its cap: the rest is never pulled", async () => {
  const { stream, seen } = source(1000, 1024, false);
  const { bytes, size } = await readStream(stream, 4096, 4096, Infinity);
  assert.equal(bytes.byteLength, 4096);
  assert.equal(size, 4096);
  assert.ok(seen.pulled <= 5, `pulled ${seen.pulled} chunks of 1,000`);
  assert.ok(seen.cancelled);
});

test("a request body is kept up to its cap and drained up to its bound", async () => {
  const { stream } = source(8, 1024, false);
  const { bytes, size } = await readStream(stream, 2048, 1 << 20, Date.now() + 5000);
  assert.equal(bytes.byteLength, 2048);
  assert.equal(size, 8 * 1024);
  assert.deepEqual([bytes[0], bytes[1023], bytes[1024], bytes[2047]], [1, 1, 2, 2]);
});

test("no deadline (Infinity) never times out at once", async () => {
  const { stream } = source(2, 3, false);
  const { size } = await readStream(stream, 10, 10, Infinity);
  assert.equal(size, 6);
});

test("withDeadline rejects at its deadline and passes an earlier result", async () => {
  await assert.rejects(withDeadline(new Promise(() => {}), Date.now() + 50), DeadlineError);
  assert.equal(await withDeadline(Promise.resolve(7), Date.now() + 1000), 7);
  await assert.rejects(withDeadline(Promise.resolve(7), Date.now() - 1), DeadlineError);
});
