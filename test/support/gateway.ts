/**
 * The SIP2 gateway in this process, in front of a {@link Stack}: the demo
 * terminal accounts (`infra/demo/accounts.yaml`), plain TCP and TLS on free
 * ports of 127.0.0.1 (the gateway's own test certificates), commands under the
 * stack's private NATS prefix, outcomes back over its real gRPC reply sink.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadImportInput, runImport } from "@circulate/import";
import { readEnv } from "@circulate/runtime";
import { type GatewayConfig, type RunningGateway, startGateway } from "@circulate/sip2-gateway";
import pino from "pino";
import { type Stack, type StackOptions, startStack } from "./stack.js";
import { waitFor } from "./wait.js";

const DEMO_DIR = fileURLToPath(new URL("../../infra/demo", import.meta.url));
const TLS_DIR = fileURLToPath(new URL("../../services/sip2-gateway/test/fixtures/tls/", import.meta.url));

/** The accounts file the demo deployment uses (kiosk1, kiosk2, sorter1). */
export const DEMO_ACCOUNTS_FILE = `${DEMO_DIR}/accounts.yaml`;

/** The CA that signed the gateway's test certificate: what a TLS kiosk trusts. */
export const TEST_CA = readFileSync(`${TLS_DIR}ca.crt`);

export interface E2eGateway {
  readonly gateway: RunningGateway;
  readonly tcpPort: number;
  readonly tlsPort: number;
  stop(): Promise<void>;
}

/** Starts a gateway against the stack. `overrides` tune it (e.g. a faster health check). */
export async function startE2eGateway(stack: Pick<Stack, "nats">, overrides: Partial<GatewayConfig> = {}): Promise<E2eGateway> {
  const level = readEnv().logLevel("CIRCULATE_E2E_LOG_LEVEL", "silent");
  const config: GatewayConfig = {
    accountsFile: DEMO_ACCOUNTS_FILE,
    sip2Host: "127.0.0.1",
    tcpPort: 0,
    tlsPort: 0,
    tls: { certFile: `${TLS_DIR}server.crt`, keyFile: `${TLS_DIR}server.key`, requireClientCert: false },
    idleTimeoutMs: 120_000,
    maxFrameBytes: 16_384,
    replyMarginMs: 100,
    commitReserveMs: 300,
    // Failed logins are part of the transcripts: never let them lock 127.0.0.1 out.
    login: { maxFailures: 50, windowMs: 60_000, lockoutMs: 1_000 },
    health: { intervalMs: 250, timeoutMs: 250 },
    natsUrl: stack.nats.url,
    subjectPrefix: stack.nats.subjectPrefix,
    streamPrefix: stack.nats.streamPrefix,
    grpcHost: "127.0.0.1",
    grpcPort: 0,
    opsHost: "127.0.0.1",
    opsPort: 0,
    logLevel: level,
    prettyLogs: false,
    shutdownGraceMs: 5_000,
    ...overrides,
  };
  const gateway = await startGateway(config, { logger: pino({ level, base: { service: "sip2-gateway" } }) });
  return {
    gateway,
    tcpPort: gateway.tcp.port,
    tlsPort: gateway.tls?.port ?? 0,
    stop: () => gateway.stop(),
  };
}

/** A stack with the demo library loaded and a gateway in front of it. */
export interface DemoDeployment {
  readonly stack: Stack;
  readonly gateway: E2eGateway;
  stop(): Promise<void>;
}

/**
 * Five services, the demo library, a gateway — and a wait until the gateway has
 * seen every service answer its health ping, so the first request is not refused
 * as "backend unavailable".
 */
export async function startDemo(options: { stack?: StackOptions; gateway?: Partial<GatewayConfig> } = {}): Promise<DemoDeployment> {
  const stack = await startStack(options.stack);
  let gateway: E2eGateway | undefined;
  try {
    await runImport(await loadImportInput(DEMO_DIR), { addresses: stack.addresses });
    gateway = await startE2eGateway(stack, options.gateway);
    await waitFor(() => gateway!.gateway.health.online(), "every service to answer the gateway's health ping");
    // The item service learns loans and holds from events: let the demo's reach it before kiosks ask.
    await settleItemStates(stack);
  } catch (err) {
    await gateway?.stop().catch(() => undefined);
    await stack.stop().catch(() => undefined);
    throw err;
  }
  const gw = gateway;
  return {
    stack,
    gateway: gw,
    stop: async () => {
      await gw.stop();
      await stack.stop();
    },
  };
}


async function settleItemStates(stack: Stack): Promise<void> {
  const { sql } = await import("kysely");
  await waitFor(async () => {
    const rows = await sql<{ n: string }>`SELECT count(*) AS n FROM items WHERE barcode IN ('I0005', 'I0006', 'I0007') AND state <> 'available'`.execute(
      stack.services.item.db,
    );
    return Number(rows.rows[0]!.n) === 3;
  }, "the demo's loans and holds to reach the item service");
}

/**
 * Polls `probe` until `ok` holds (up to 15 s) and returns that value. For what follows events
 * through JetStream: the item service learns loans and holds from the loan and hold services.
 */
export async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  const until = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
