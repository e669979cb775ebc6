import net from "node:net";

/** A running backend and how to stop it if this process started it. */
export interface Backend {
  url: string;
  source: "env" | "local" | "container";
  stop(): Promise<void>;
}

const LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres";
const LOCAL_NATS = "nats://127.0.0.1:4222";

/**
 * True when something accepts TCP connections on host:port within the timeout.
 * `pnpm start` has the same probe (libs/start/src/ports.ts): this file runs in
 * vitest's global setup, which resolves workspace packages from their build
 * output rather than source, so it imports only Node and npm packages.
 */
export function canConnect(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

const noop = async () => {};

/**
 * Postgres for tests: an admin URL (a database where CREATE DATABASE works).
 * Order: CIRCULATE_TEST_POSTGRES_URL, POSTGRES_URL, DATABASE_URL, the local
 * default port, then a testcontainers Postgres where Docker is available.
 */
export async function resolvePostgres(env = process.env): Promise<Backend> {
  const fromEnv = env.CIRCULATE_TEST_POSTGRES_URL ?? env.POSTGRES_URL ?? env.DATABASE_URL;
  if (fromEnv) return { url: fromEnv, source: "env", stop: noop };
  if (await canConnect("127.0.0.1", 5432)) return { url: LOCAL_POSTGRES, source: "local", stop: noop };
  const { PostgreSqlContainer } = await import("@testcontainers/postgresql").catch(() => {
    throw new Error(
      "No Postgres: set CIRCULATE_TEST_POSTGRES_URL, run one on 127.0.0.1:5432, or make Docker available for testcontainers",
    );
  });
  const container = await new PostgreSqlContainer("postgres:15-alpine").start();
  return { url: container.getConnectionUri(), source: "container", stop: async () => void (await container.stop()) };
}

/**
 * NATS with JetStream for tests. Order: CIRCULATE_TEST_NATS_URL, NATS_URL, the
 * local default port, then a testcontainers nats-server started with -js.
 */
export async function resolveNats(env = process.env): Promise<Backend> {
  const fromEnv = env.CIRCULATE_TEST_NATS_URL ?? env.NATS_URL;
  if (fromEnv) return { url: fromEnv, source: "env", stop: noop };
  if (await canConnect("127.0.0.1", 4222)) return { url: LOCAL_NATS, source: "local", stop: noop };
  const { GenericContainer, Wait } = await import("testcontainers");
  const container = await new GenericContainer("nats:2.10-alpine")
    .withCommand(["-js"])
    .withExposedPorts(4222)
    .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
    .start();
  return {
    url: `nats://${container.getHost()}:${container.getMappedPort(4222)}`,
    source: "container",
    stop: async () => void (await container.stop()),
  };
}
