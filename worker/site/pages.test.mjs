// pages.mjs against the Go rules: node --test worker/site/pages.test.mjs.
// testdata/pages.json is written by TestPageFixtures in rules_test.go.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { isLoopbackHost, personalize, pageOf, servePage } from "./pages.mjs";

const cases = JSON.parse(readFileSync(new URL("./testdata/pages.json", import.meta.url), "utf8"));

test("pages are personalised as the Go rules say", () => {
  for (const c of cases) {
    assert.equal(personalize(c.page, new URL(c.url)), c.want, c.url);
  }
});

test("only pages are pages", () => {
  for (const path of ["/auth/token", "/oembed", "/web/desk.css", "/embed.js", "/EMBED", "/toString", "/__proto__"]) {
    assert.equal(pageOf(path), undefined, path);
  }
});

test("loopback hosts are the Go rule's", () => {
  const hosts = JSON.parse(readFileSync(new URL("../message/testdata/loopback.json", import.meta.url), "utf8"));
  for (const [host, want] of Object.entries(hosts)) {
    if (typeof want === "boolean") assert.equal(isLoopbackHost(host), want, host);
  }
});

test("a page over plain http on a public host goes to https; loopback is served", async () => {
  const env = { ASSETS: { fetch: async () => new Response("<html>", { status: 200, headers: { "Content-Type": "text/html" } }) } };
  const plain = await servePage(new Request("http://desk.example/de/embed?theme=dark"), env);
  assert.equal(plain.status, 308);
  assert.equal(plain.headers.get("Location"), "https://desk.example/de/embed?theme=dark");
  const head = await servePage(new Request("http://desk.example/", { method: "HEAD" }), env);
  assert.equal(head.status, 308);
  for (const url of ["https://desk.example/", "http://127.0.0.1:8787/", "http://localhost:8787/embed"]) {
    assert.equal((await servePage(new Request(url), env)).status, 200, url);
  }
});
