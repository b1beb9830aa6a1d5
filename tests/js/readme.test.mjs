// The README's complete emulator test is the example file that npm test runs, word for word.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const read = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

test("the README shows examples/portal.test.mjs as it is", () => {
  const readme = read("README.md");
  const marker = "<!-- examples/portal.test.mjs -->\n```js\n";
  const start = readme.indexOf(marker);
  assert.ok(start >= 0, "the README has the example's block");
  const block = readme.slice(start + marker.length, readme.indexOf("```\n", start + marker.length));
  assert.equal(block, read("examples/portal.test.mjs"));
});
