/**
 * Fuzzes a real gateway over real sockets: sends FRAMES generated frames (test/frames.ts:
 * random bytes, NULs, blanks, oversize lines, mutated requests, bare terminators between them)
 * over CONNECTIONS long-lived connections, in pipelined batches each closed by a sentinel 23
 * whose 24 echoes a patron id used once (a 97 in a batch replays earlier replies, so nothing
 * else is unique), and counts the replies. Prints frames sent, replies, unanswered and extra replies, replies
 * that do not parse, log lines holding the 93 secret, and memory before and after.
 *
 * Needs NATS (NATS_URL, default nats://127.0.0.1:4222). From services/sip2-gateway:
 *   node --expose-gc --conditions=@circulate/source --import tsx bench/fuzz-frames.ts
 * (FRAMES=200000 CONNECTIONS=8 BATCH=50 SEED=1 to change them). The gateway and the clients
 * share the process, so RSS covers both; heap is measured after a forced GC. SETTLE_MS=65000
 * measures once more after the 60 s retry budget has let go of the answers it keeps.
 */
import net from "node:net";
import { Writable } from "node:stream";
import { createLogger } from "@circulate/runtime";
import { Kvm } from "@nats-io/kv";
import { connect } from "@nats-io/transport-node";
import { parseResponse } from "@circulate/sip2";
import fc from "fast-check";
import { type Frame, frame, wire } from "../test/frames.js";
import { terminalBucketName } from "../src/adapters/terminal-history-kv.js";
import { accountsFile, backendDouble, msg, startGateway, testConfig } from "../test/harness.js";

const FRAMES = Number(process.env.FRAMES ?? 200_000);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 8);
const BATCH = Number(process.env.BATCH ?? 50);
const SEED = Number(process.env.SEED ?? 1);
const SETTLE_MS = Number(process.env.SETTLE_MS ?? 0);
const NATS_URL = process.env.NATS_URL ?? "nats://127.0.0.1:4222";
const SECRET = "Zq7xSecretPw";
const MAX_FRAME = 4_096;

/** Counts replies on a socket as they arrive, keeping only the reply being read. */
class Counter {
  replies = 0;
  unparsable = 0;
  #current: number[] = [];
  #afterCr = false;
  #sentinel: { id: string; seen: () => void } | undefined;

  feed(chunk: Buffer): void {
    for (const b of chunk) {
      if (b === 0x0a && this.#afterCr) {
        this.#afterCr = false;
        continue;
      }
      this.#afterCr = b === 0x0d;
      if (b !== 0x0d && b !== 0x0a) {
        this.#current.push(b);
        continue;
      }
      const body = Buffer.from(this.#current);
      this.#current = [];
      this.replies++;
      if (!parseResponse(body, { timeZone: "Europe/Oslo" }).ok) this.unparsable++;
      if (this.#sentinel && body.toString("latin1").includes(`|AA${this.#sentinel.id}|`)) this.#sentinel.seen();
    }
  }

  /** Resolves true once the reply echoing patron `id` is in (false after `timeoutMs`). */
  sentinel(id: string, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.#sentinel = {
        id,
        seen: () => {
          clearTimeout(t);
          this.#sentinel = undefined;
          resolve(true);
        },
      };
    });
  }
}

const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
function memory() {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed) };
}

async function main() {
  const prefix = `circ_fuzz_${Date.now().toString(36)}`;
  const backend = backendDouble(NATS_URL, prefix);
  await backend.start();
  const files = await accountsFile([{ login: "kiosk1", password: "kiosk1pw", institutionId: "MAIN", permissions: ["checkout", "patron"] }]);
  let logLines = 0;
  let secretInLogs = 0;
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logLines++;
      if (String(chunk).includes(SECRET)) secretInLogs++;
      cb();
    },
  });
  const logger = createLogger({ service: "sip2-gateway", level: "info" }, sink);
  const gw = await startGateway(testConfig(NATS_URL, prefix, files.file, { maxFrameBytes: MAX_FRAME, logLevel: "info" }), { logger });

  const before = memory();
  const started = Date.now();
  const arb = frame(SECRET, MAX_FRAME);
  const totals = { frames: 0, replies: 0, unanswered: 0, extra: 0, unparsable: 0, batchesTimedOut: 0 };
  let next = 0;
  const worker = async (w: number) => {
    const socket = net.connect({ port: gw.tcp.port, host: "127.0.0.1" });
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    socket.setNoDelay(true);
    const counter = new Counter();
    socket.on("data", (chunk: Buffer) => counter.feed(chunk));
    for (let b = 0; next < FRAMES; b++) {
      const n = Math.min(BATCH, FRAMES - next);
      next += n;
      const frames: Frame[] = fc.sample(arb, { numRuns: n, seed: SEED * 1_000_003 + w * 7_919 + b });
      const before = counter.replies;
      const id = `SENTINEL${w}x${b}`;
      const seen = counter.sentinel(id, 10_000);
      socket.write(wire(frames));
      socket.write(msg.patronStatus(id));
      if (!(await seen)) totals.batchesTimedOut++;
      const got = counter.replies - before - 1;
      totals.frames += n;
      totals.replies += got;
      if (got < n) totals.unanswered += n - got;
      if (got > n) totals.extra += got - n;
    }
    totals.unparsable += counter.unparsable;
    socket.destroy();
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, (_, w) => worker(w)));
  const seconds = (Date.now() - started) / 1000;
  const after = memory();
  let settled: ReturnType<typeof memory> | undefined;
  if (SETTLE_MS > 0) {
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    settled = memory();
  }
  await gw.stop();
  await (backend as unknown as { close(): Promise<void> }).close();
  await files.remove();
  // The gateway's terminal history is the one thing the run leaves on NATS.
  const nc = await connect({ servers: NATS_URL });
  await (await new Kvm(nc).open(terminalBucketName(prefix.toUpperCase()))).destroy();
  await nc.close();
  console.log(
    JSON.stringify(
      { ...totals, connections: CONNECTIONS, batch: BATCH, seed: SEED, seconds, framesPerSecond: Math.round(totals.frames / seconds), logLines, secretInLogs, before, after, ...(settled ? { settled } : {}) },
      null,
      2,
    ),
  );
}

await main();
