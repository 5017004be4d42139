// pages.mjs against the Go rules: node --test worker/site/pages.test.mjs.
// testdata/pages.json is written by TestPageFixtures in rules_test.go.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { personalize, pageOf } from "./pages.mjs";

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
