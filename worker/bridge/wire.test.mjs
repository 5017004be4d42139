// The JS half of the wire's tests: node --test worker/bridge/wire.test.mjs.
// It reads the fixtures wire_test.go reads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as wire from "./wire.mjs";

const f = JSON.parse(readFileSync(new URL("./testdata/wire.json", import.meta.url), "utf8"));

// A Headers iterates its fields sorted by lower-cased name.
const pairs = (headers) => [...headers];
const lowered = (list) => list.map(([n, v]) => [n.toLowerCase(), v]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

test("the hooks' global is Go's", () => {
  assert.equal(wire.hooksGlobal, f.hooks_global);
});

test("the fallback error is Go's", () => {
  assert.equal(wire.internalErrorFallback, f.internal_error);
});

test("start heads", () => {
  for (const s of f.starts) {
    assert.equal(wire.startHead(s.method, s.url, s.colo, s.body_size, s.headers), s.head);
  }
});

test("fetch steps", () => {
  for (const s of f.fetches) {
    const op = wire.parseStep(s.step);
    assert.equal(op.kind, "fetch");
    assert.equal(op.binding, s.binding);
    assert.equal(op.method, s.method);
    assert.equal(op.url, s.url);
    assert.equal(op.timeoutMs, s.timeout_ms);
    assert.equal(op.maxAnswerBytes, s.max_answer_bytes);
    assert.equal(op.body, s.body);
    assert.deepEqual(pairs(op.headers), lowered(s.headers));
  }
});

test("limit steps", () => {
  for (const s of f.limits) {
    assert.deepEqual(wire.parseStep(s.step), { kind: "limit", binding: s.binding, key: s.key });
  }
});

test("answer steps", () => {
  for (const s of f.answers) {
    const a = wire.parseStep(s.step);
    assert.equal(a.kind, "answer");
    assert.equal(a.status, s.status);
    assert.equal(a.log, s.log);
    assert.equal(a.body, s.body);
    assert.deepEqual(pairs(a.headers), lowered(s.headers));
  }
});

test("outcomes", () => {
  for (const o of f.outcomes) {
    const head = o.ok ? wire.okOutcome(o.status, o.headers) : wire.failedOutcome(o.timeout, o.error);
    assert.equal(head, o.head);
  }
});

test("malformed steps throw, so they fail one request", () => {
  for (const step of [undefined, "", "X1", "F\nGET", "R200\nno blank line"]) {
    assert.throws(() => wire.parseStep(step));
  }
});
