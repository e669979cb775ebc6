#!/usr/bin/env node
// Drift check for CI: lints and format-checks proto/, regenerates into a
// temporary directory and compares it byte for byte with the committed
// src/gen. Exits 1 with the list of differing files on any drift.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buf, packageDir } from "./buf.mjs";

const committed = path.join(packageDir, "src", "gen");
const fail = (message) => {
  console.error(`proto check failed: ${message}`);
  process.exit(1);
};

if (buf(["lint"]) !== 0) fail("buf lint reported problems (see above)");
if (buf(["format", "--diff", "--exit-code"]) !== 0) fail("proto files are not formatted; run `buf format -w` in proto/");

const tmp = mkdtempSync(path.join(os.tmpdir(), "contracts-gen-"));
try {
  if (buf(["generate", "--template", "buf.gen.yaml", "--output", tmp]) !== 0) fail("buf generate failed");
  const fresh = path.join(tmp, "gen");
  const files = (dir) => {
    try {
      return readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)))
        .sort();
    } catch {
      return [];
    }
  };
  const want = files(fresh);
  const have = new Set(files(committed));
  const drift = [];
  for (const f of want) {
    if (!have.has(f)) drift.push(`missing   ${f}`);
    else if (!readFileSync(path.join(fresh, f)).equals(readFileSync(path.join(committed, f)))) drift.push(`differs   ${f}`);
    have.delete(f);
  }
  for (const f of have) drift.push(`stale     ${f}`);
  if (drift.length > 0) {
    fail(
      `generated code in ${path.relative(process.cwd(), committed) || committed} is out of date with proto/:\n  ` +
        drift.join("\n  ") +
        "\nRun `pnpm proto:generate` and commit the result. Never edit files under src/gen by hand.",
    );
  }
  console.log(`proto check ok: lint, format and ${want.length} generated files match`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
