/**
 * Kiosk latency through the whole stack: N sequential checkout (11) + checkin (09) pairs over
 * one logged-in socket, each timed from the write of the request to its parsed response, then
 * p50 / p95 / p99 per message. Not part of `pnpm test` (a measurement, not a rule); run it with
 *
 *   cd test && pnpm bench:latency            # N = 200
 *   LATENCY_N=1000 pnpm bench:latency
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DemoDeployment, startDemo } from "./support/gateway.js";
import { Kiosk } from "./support/kiosk.js";
import * as rq from "./support/requests.js";

const N = Number(process.env.LATENCY_N ?? 200);
const WARM_UP = 20;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(name: string, samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const f = (x: number) => x.toFixed(2).padStart(7);
  return `${name}  n=${s.length}  p50 ${f(percentile(s, 50))} ms  p95 ${f(percentile(s, 95))} ms  p99 ${f(percentile(s, 99))} ms  mean ${f(mean)} ms  max ${f(s.at(-1)!)} ms`;
}

let demo: DemoDeployment;
let kiosk: Kiosk;

beforeAll(async () => {
  demo = await startDemo();
  kiosk = await Kiosk.connect(demo.gateway.tcpPort);
  expect((await kiosk.ask(rq.login("kiosk1", "kiosk1pw"))).message.ok).toBe(true);
});
afterAll(async () => {
  kiosk?.close();
  await demo?.stop();
});

it(`${N} sequential checkouts and checkins over one socket`, { timeout: 600_000 }, async () => {
  const out: number[] = [];
  const back: number[] = [];
  // Every request gets its own transaction second, as a kiosk with a running clock sends them
  // (a checkout resent as the very next request would be a retry, answered from memory).
  const base = Date.now() - 2 * (N + WARM_UP) * 1_000;
  let t = 0;
  const at = () => new Date(base + t++ * 1_000);
  const timed = async <R extends Parameters<Kiosk["ask"]>[0]>(request: R) => {
    const started = performance.now();
    const reply = await kiosk.ask(request);
    return { ms: performance.now() - started, message: reply.message as { ok?: boolean } };
  };
  for (let i = 0; i < N + WARM_UP; i++) {
    const o = await timed(rq.checkout("P0001", "I0001", { transactionDate: at() }));
    const c = await timed(rq.checkin("I0001", { transactionDate: at(), returnDate: at() }));
    expect(o.message.ok, `checkout ${i}`).toBe(true);
    expect(c.message.ok, `checkin ${i}`).toBe(true);
    if (i < WARM_UP) continue;
    out.push(o.ms);
    back.push(c.ms);
  }
  console.info(`kiosk → gateway → NATS → service → gRPC reply, sequential, one socket (after ${WARM_UP} warm-up pairs)`);
  console.info(summary("11 checkout", out));
  console.info(summary("09 checkin ", back));
});
