/**
 * A Postgres cluster and a nats-server of the test's own, on their own ports and in their own
 * temporary directories, for tests that stop and restart a backend: stopping the machine's shared
 * Postgres or NATS would break every other test running at the same time.
 *
 * Postgres comes from `initdb`/`pg_ctl` (PG_BIN, else /usr/lib/postgresql/<15…17>/bin, else the
 * PATH); as root they run as the OS user "postgres", because Postgres refuses to run as root.
 * NATS is `nats-server -js` from the PATH, restarted on the same port and store directory.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { connect as netConnect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "@circulate/testing";

const run = promisify(execFile);

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

async function waitForPort(port: number, open: boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((await portOpen(port)) !== open) {
    if (Date.now() > until) throw new Error(`${what}: port ${port} still ${open ? "closed" : "open"} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A backend the test can stop and start again at the same address, keeping its data. */
export interface PrivateBackend {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it (if running) and removes its directory. Safe to call twice. */
  destroy(): Promise<void>;
}

/** The handle of a started backend whose files live in `dir`. */
function backend(url: string, port: number, dir: string, start: () => Promise<void>, stop: () => Promise<void>): PrivateBackend {
  let destroyed = false;
  return {
    url,
    port,
    start,
    stop,
    destroy: async () => {
      if (destroyed) return;
      destroyed = true;
      await stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresBin(): string {
  const candidates = [process.env.PG_BIN, "/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin"];
  for (const dir of candidates) if (dir && existsSync(path.join(dir, "pg_ctl"))) return dir;
  return "";
}

/** A fresh Postgres cluster (trust auth, user postgres) on a free port. */
export async function startPrivatePostgres(): Promise<PrivateBackend> {
  const bin = postgresBin();
  const tool = (name: string) => (bin ? path.join(bin, name) : name);
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), "circ-pg-"));
  const dataDir = path.join(dir, "data");
  // As root, the server's OS user must own the cluster's directory.
  const exec = (file: string, args: string[]) => (asRoot ? run("runuser", ["-u", "postgres", "--", file, ...args]) : run(file, args));
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const port = await freePort();
  let running = false;
  const start = async () => {
    await exec(tool("pg_ctl"), [
      "start",
      "-w",
      "-t",
      "30",
      "-D",
      dataDir,
      "-l",
      path.join(dir, "postgres.log"),
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    ]);
    running = true;
  };
  const stop = async () => {
    if (!running) return;
    await exec(tool("pg_ctl"), ["stop", "-w", "-m", "fast", "-D", dataDir]);
    running = false;
    await waitForPort(port, false, 10_000, "private postgres stop");
  };
  try {
    await exec(tool("initdb"), ["-D", dataDir, "-U", "postgres", "--auth=trust", "--locale=C", "--encoding=UTF8"]);
    await start();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return backend(`postgres://postgres@127.0.0.1:${port}/postgres`, port, dir, start, stop);
}

/** A nats-server with JetStream on a free port; restarts keep its store directory. */
export async function startPrivateNats(): Promise<PrivateBackend> {
  const dir = mkdtempSync(path.join(tmpdir(), "circ-nats-"));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const c = spawn("nats-server", ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", dir], { stdio: "ignore" });
    child = c;
    await new Promise<void>((resolve, reject) => c.once("spawn", resolve).once("error", reject));
    await waitForPort(port, true, 15_000, "private nats-server start");
  };
  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once("exit", () => resolve());
      c.kill("SIGTERM");
    });
  };
  try {
    await start();
  } catch (err) {
    await stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return backend(`nats://127.0.0.1:${port}`, port, dir, start, stop);
}
