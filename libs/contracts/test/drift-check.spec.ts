import { execFile } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoProto = path.resolve(packageDir, "../../proto");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runCheck(scriptsDir: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(scriptsDir, "check.mjs")], { timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * A throwaway copy of the repository parts the check reads (proto/, the
 * package's scripts and src/gen), sharing the installed node_modules. The
 * real files are never touched.
 */
function copyTree(): { root: string; gen: string; proto: string; scripts: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), "contracts-drift-"));
  const pkg = path.join(root, "libs", "contracts");
  mkdirSync(path.join(pkg, "src"), { recursive: true });
  cpSync(repoProto, path.join(root, "proto"), { recursive: true });
  cpSync(path.join(packageDir, "scripts"), path.join(pkg, "scripts"), { recursive: true });
  cpSync(path.join(packageDir, "src", "gen"), path.join(pkg, "src", "gen"), { recursive: true });
  symlinkSync(path.join(packageDir, "node_modules"), path.join(pkg, "node_modules"), "dir");
  return { root, gen: path.join(pkg, "src", "gen"), proto: path.join(root, "proto"), scripts: path.join(pkg, "scripts") };
}

describe("proto drift check", () => {
  const copies: string[] = [];
  const fresh = () => {
    const tree = copyTree();
    copies.push(tree.root);
    return tree;
  };
  afterEach(() => {
    for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("passes on the committed tree", async () => {
    const run = await runCheck(path.join(packageDir, "scripts"));
    expect(run.stderr).not.toMatch(/proto check failed/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/proto check ok/);
  });

  it("fails and names the file when a generated file was edited by hand", async () => {
    const tree = fresh();
    appendFileSync(path.join(tree.gen, "library/commands/v1/outcome.ts"), "\nexport const handEdit = 1;\n");
    const run = await runCheck(tree.scripts);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/differs\s+library\/commands\/v1\/outcome\.ts/);
    expect(run.stderr).toMatch(/pnpm proto:generate/);
  });

  it("fails on a generated file whose proto is gone", async () => {
    const tree = fresh();
    writeFileSync(path.join(tree.gen, "library/commands/v1/orphan.ts"), "export {};\n");
    const run = await runCheck(tree.scripts);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/stale\s+library\/commands\/v1\/orphan\.ts/);
  });

  it("fails when a proto changed but the code was not regenerated", async () => {
    const tree = fresh();
    appendFileSync(
      path.join(tree.proto, "library/gateway/v1/reply_sink.proto"),
      "\n// Added without regenerating.\nmessage DeliverProbe {\n  // A field.\n  string note = 1;\n}\n",
    );
    const run = await runCheck(tree.scripts);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/differs\s+library\/gateway\/v1\/reply_sink\.ts/);
  });

  it("fails when a proto breaks the lint rules", async () => {
    const tree = fresh();
    appendFileSync(
      path.join(tree.proto, "library/gateway/v1/reply_sink.proto"),
      "\n// Bad enum: no prefix, no zero value named UNSPECIFIED.\nenum Colour {\n  RED = 0;\n}\n",
    );
    const run = await runCheck(tree.scripts);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/buf lint/);
  });
});
