import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import tls from "node:tls";
import { type CommandHandlers, ReplyClient, serveCommands } from "@circulate/commandbus";
import { type CommandCase, commands, type ServiceName } from "@circulate/contracts";
import { createLogger } from "@circulate/runtime";
import { encodeMessage } from "@circulate/sip2";
import { createTestNats } from "@circulate/testing";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import pino from "pino";
import type { GatewayConfig } from "../src/config.js";
import { hashPassword } from "../src/app/passwords.js";
import { type RunningGateway, startGateway } from "../src/gateway.js";

export const TLS_DIR = new URL("./fixtures/tls/", import.meta.url).pathname;

/** Every command a test service double received, and how it should answer. */
export interface Backend {
  seen: commands.CommandEnvelope[];
  /** Milliseconds to wait before answering a command (default 0). */
  delay: (envelope: commands.CommandEnvelope) => number;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops, and closes its NATS connection and reply channel. */
  close(): Promise<void>;
}

const CASES: Record<ServiceName, CommandCase[]> = {
  patron: ["getPatronStatus", "getPatronInformation", "blockPatron", "enablePatron", "endPatronSession"],
  loan: ["checkOutItem", "checkInItem", "renewItem", "renewAll"],
  hold: ["placeHold", "cancelHold", "changeHold"],
  fee: ["payFee"],
  item: ["getItemInformation", "updateItemStatus"],
};

/** Accepted payloads the double answers with; a checkout carries a title and a due date. */
function accepted(envelope: commands.CommandEnvelope): commands.Outcome {
  const c = envelope.command!.$case;
  const value =
    c === "checkOutItem"
      ? {
          loanId: "loan-1",
          item: { item: { institutionId: "MAIN", barcode: "I0001" }, title: "Zoë and the Hobbit" },
          dueAt: new Date("2025-02-05T23:59:00Z"),
        }
      : {};
  return commands.Outcome.fromPartial({
    commandId: envelope.commandId,
    correlationId: envelope.correlationId,
    decidedAt: new Date(),
    result: { $case: "accepted", value: { payload: { $case: c, value } } },
  } as commands.Outcome);
}

/** A stand-in for the five services: consumes commands on real NATS, delivers outcomes over real gRPC. */
export function backendDouble(natsUrl: string, prefix: string): Backend {
  const replies = new ReplyClient();
  const logger = pino({ level: "silent" });
  let nc: NatsConnection | undefined;
  let servers: { drain(): Promise<void> }[] = [];
  const backend: Backend = {
    seen: [],
    delay: () => 0,
    async start() {
      nc ??= await connect({ servers: natsUrl });
      const conn = nc;
      servers = (Object.keys(CASES) as ServiceName[]).map((service) => {
        const handler = async (_: unknown, envelope: commands.CommandEnvelope) => {
          backend.seen.push(envelope);
          const wait = backend.delay(envelope);
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          return accepted(envelope);
        };
        const handlers = Object.fromEntries(CASES[service].map((c) => [c, handler]));
        return serveCommands({ nc: conn, service, prefix, handlers: handlers as CommandHandlers<typeof service>, replies, logger });
      });
      await conn.flush();
    },
    async stop() {
      await Promise.all(servers.map((s) => s.drain()));
      servers = [];
    },
    async close() {
      await backend.stop();
      replies.close();
      await nc?.close();
    },
  };
  return backend;
}

export interface AccountSpec {
  login: string;
  /** Hashed into passwordHash; none for an account whose terminalPassword is not required. */
  password?: string;
  [key: string]: unknown;
}

/** An accounts file in a temporary directory; `write` replaces it (as an editor would). */
export async function accountsFile(specs: AccountSpec[]) {
  const dir = await mkdtemp(path.join(tmpdir(), "sip2-gw-"));
  const file = path.join(dir, "accounts.yaml");
  const write = async (list: AccountSpec[]) => {
    const accounts = await Promise.all(
      list.map(async ({ password, ...rest }) => ({
        timeZone: "Europe/Oslo",
        ...rest,
        ...(password === undefined ? {} : { passwordHash: await hashPassword(password) }),
      })),
    );
    await writeFile(file, JSON.stringify({ accounts }, null, 2));
  };
  await write(specs);
  return { file, write, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Log lines the gateway wrote, as text, to check nothing secret is in them. */
export function captureLogs() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, logger: createLogger({ service: "sip2-gateway", level: "debug" }, stream) };
}

export function testConfig(natsUrl: string, prefix: string, file: string, overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  return {
    accountsFile: file,
    sip2Host: "127.0.0.1",
    tcpPort: 0,
    tlsPort: 0,
    idleTimeoutMs: 60_000,
    maxFrameBytes: 4_096,
    replyMarginMs: 50,
    commitReserveMs: 50,
    login: { maxFailures: 3, windowMs: 60_000, lockoutMs: 60_000 },
    health: { intervalMs: 100, timeoutMs: 100 },
    natsUrl,
    subjectPrefix: prefix,
    streamPrefix: prefix.toUpperCase(),
    grpcHost: "127.0.0.1",
    grpcPort: 0,
    opsHost: "127.0.0.1",
    opsPort: 0,
    logLevel: "debug",
    prettyLogs: false,
    shutdownGraceMs: 5_000,
    ...overrides,
  };
}

/** A kiosk on a real socket: writes bytes, reads CR-terminated responses. */
export class Kiosk {
  readonly #pending: Buffer[] = [];
  #buffer = Buffer.alloc(0);
  #waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      let i = this.#buffer.indexOf(0x0d);
      while (i >= 0) {
        this.#pending.push(this.#buffer.subarray(0, i));
        this.#buffer = this.#buffer.subarray(i + 1);
        i = this.#buffer.indexOf(0x0d);
      }
      this.#wake();
    });
    socket.on("close", () => {
      this.closed = true;
      this.#wake();
    });
    socket.on("error", () => {});
  }

  #wake() {
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }

  static async tcp(port: number, localAddress?: string): Promise<Kiosk> {
    const socket = net.connect({ port, host: "127.0.0.1", ...(localAddress ? { localAddress } : {}) });
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    return new Kiosk(socket);
  }

  static async tls(port: number, options: tls.ConnectionOptions = {}): Promise<Kiosk> {
    const socket = tls.connect({ port, host: "127.0.0.1", servername: "localhost", ...options });
    await new Promise<void>((resolve, reject) => socket.once("secureConnect", resolve).once("error", reject));
    return new Kiosk(socket);
  }

  send(data: string | Uint8Array): void {
    this.socket.write(typeof data === "string" ? Buffer.from(data, "latin1") : data);
  }

  /** The next response as raw bytes (without CR). */
  async nextBytes(timeoutMs = 5_000): Promise<Buffer> {
    const until = Date.now() + timeoutMs;
    while (this.#pending.length === 0) {
      if (this.closed) throw new Error("connection closed");
      const left = until - Date.now();
      if (left <= 0) throw new Error("no response in time");
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.#pending.shift()!;
  }

  async next(timeoutMs?: number): Promise<string> {
    return (await this.nextBytes(timeoutMs)).toString("latin1");
  }

  /** Sends a request and returns its response as raw bytes. */
  async askBytes(data: string | Uint8Array, timeoutMs?: number): Promise<Buffer> {
    this.send(data);
    return this.nextBytes(timeoutMs);
  }

  /** Sends a request and returns its response. */
  async ask(data: string | Uint8Array, timeoutMs?: number): Promise<string> {
    this.send(data);
    return this.next(timeoutMs);
  }

  async waitClosed(timeoutMs = 5_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    if (!this.closed) throw new Error("still open");
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A request as a kiosk would send it, with a trailer (AY n) when `sequence` is given, CR-terminated. */
export function request(message: Parameters<typeof encodeMessage>[0], sequence?: number, charset: "ibm850" | "utf8" = "ibm850") {
  return encodeMessage(message, { timeZone: "Europe/Oslo", charset, ...(sequence !== undefined ? { sequence } : {}) });
}

export { createTestNats, startGateway, type RunningGateway };

const WHEN = new Date("2025-01-15T10:30:05Z");

export const msg = {
  login: (login: string, password: string, sequence?: number, location?: string) =>
    request(
      { code: "93", uidAlgorithm: "0", pwdAlgorithm: "0", loginUserId: login, loginPassword: password, ...(location ? { locationCode: location } : {}) },
      sequence,
    ),
  status: (sequence?: number, statusCode = "0") =>
    request({ code: "99", statusCode, maxPrintWidth: 80, protocolVersion: "2.00" }, sequence),
  checkout: (patron: string, item: string, sequence?: number, extra: { pin?: string; charset?: "ibm850" | "utf8" } = {}) =>
    request(
      {
        code: "11",
        scRenewalPolicy: true,
        noBlock: false,
        transactionDate: WHEN,
        nbDueDate: null,
        institutionId: "MAIN",
        patronIdentifier: patron,
        itemIdentifier: item,
        terminalPassword: "",
        ...(extra.pin ? { patronPassword: extra.pin } : {}),
      },
      sequence,
      extra.charset,
    ),
  patronStatus: (patron: string, sequence?: number, pin = "") =>
    request(
      {
        code: "23",
        language: "001",
        transactionDate: WHEN,
        institutionId: "MAIN",
        patronIdentifier: patron,
        terminalPassword: "",
        patronPassword: pin,
      },
      sequence,
    ),
};
