#!/usr/bin/env node
// Runs every package's tests in one vitest run, then prints the count of tests
// per package and a plain closing line ("tests: N passed, N failed") that CI reads.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), "..");
const report = path.join(root, ".reports", "vitest.json");
mkdirSync(path.dirname(report), { recursive: true });

const args = ["exec", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`];
const run = spawnSync("pnpm", [...args, ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });

let results;
try {
  results = JSON.parse(readFileSync(report, "utf8"));
} catch {
  console.error("no test report was written");
  process.exit(run.status || 1);
}

const perPackage = new Map();
for (const file of results.testResults) {
  const rel = path.relative(root, file.name).split(path.sep);
  const pkg = rel[0] === "test" ? "test" : rel.slice(0, 2).join("/");
  const row = perPackage.get(pkg) ?? { passed: 0, failed: 0, skipped: 0 };
  for (const t of file.assertionResults) {
    if (t.status === "passed") row.passed++;
    else if (t.status === "failed") row.failed++;
    else row.skipped++;
  }
  if (file.status === "failed" && file.assertionResults.length === 0) row.failed++;
  perPackage.set(pkg, row);
}

console.log("\nTests per package");
for (const [pkg, r] of [...perPackage].sort()) {
  console.log(`  ${pkg.padEnd(28)} ${String(r.passed).padStart(5)} passed ${String(r.failed).padStart(3)} failed ${String(r.skipped).padStart(3)} skipped`);
}
const total = [...perPackage.values()].reduce(
  (a, r) => ({ passed: a.passed + r.passed, failed: a.failed + r.failed, skipped: a.skipped + r.skipped }),
  { passed: 0, failed: 0, skipped: 0 },
);
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(run.status ?? 1);
