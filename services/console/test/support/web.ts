/**
 * The built web console and a real Chromium for the browser tests. The page is built (Vite)
 * when its output is missing or older than any of its sources, so a clean clone's `pnpm test`
 * needs no build step first.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium } from "playwright-core";

const PACKAGE = fileURLToPath(new URL("../../", import.meta.url));
const WEB = path.join(PACKAGE, "web");
const BUILT = path.join(PACKAGE, "dist", "web", "index.html");

/** Debian's Chromium, as CI installs it (`CHROMIUM_PATH` for another). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds the page unless dist/web is newer than everything under web/. Returns whether it built. */
export function ensureWebBuilt(): boolean {
  if (existsSync(BUILT) && statSync(BUILT).mtimeMs >= newestSource(WEB)) return false;
  const vite = path.join(path.dirname(createRequire(path.join(PACKAGE, "package.json")).resolve("vite/package.json")), "bin", "vite.js");
  const run = spawnSync(process.execPath, [vite, "build", "--config", "web/vite.config.ts", "--logLevel", "warn"], { cwd: PACKAGE, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`the web console did not build:\n${run.stdout}\n${run.stderr}`);
  return true;
}

export interface TestBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile directory, removed on close. */
export async function launchChromium(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium (or set CHROMIUM_PATH)`);
  const profile = mkdtempSync(path.join(tmpdir(), "circulate-chromium-"));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
      viewport: { width: 1280, height: 800 },
    });
    return {
      context,
      close: async () => {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
}
