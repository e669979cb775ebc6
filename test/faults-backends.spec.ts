/**
 * Backend outages under kiosk traffic: NATS stopped longer than a client's default reconnect
 * budget, then Postgres stopped (as a restart or a failover would). Each runs on a private
 * Postgres and nats-server (never the machine's shared ones), with the five services and a
 * gateway in this process and eight kiosks checking items out and in throughout.
 *
 * Each asserts: nothing crashed (no process would have needed a restart), every kiosk request got
 * a well-formed answer within the account timeout (accepted, or refused as the backend being
 * unavailable), normal service (a new request answered normally) and every `/readyz` back within
 * 5 s of the backend's return, nothing refused that was sent later than that, and
 * afterwards nothing lost and nothing duplicated: one loan event per accepted checkout and checkin,
 * every event in its stream exactly once and applied once by every consumer.
 */
import type { ServiceName } from "@circulate/contracts";
import { patronBarcode } from "@circulate/loadgen";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FaultDeployment, opsStatus, opsUrls, readiness, servedAgainAfter, startFaultDeployment, startKiosks } from "./support/fault-drill.js";
import { waitFor } from "./support/wait.js";
import type { PrivateBackend } from "./support/private-backends.js";
import { ACCOUNT_TIMEOUT_MS, type CirculatingTerminal } from "./support/terminal.js";

const KIOSKS = 8;
const ITEMS_PER_KIOSK = 3;
/** Normal service is due this long after the backend is back. */
const RECOVERY_MS = 5_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const allReady = (r: Record<string, number>) => Object.values(r).every((s) => s === 200);

let d: FaultDeployment | undefined;
let kiosks: CirculatingTerminal[] = [];

beforeEach(async () => {
  d = await startFaultDeployment({ patrons: KIOSKS, itemsPerPatron: ITEMS_PER_KIOSK });
});
afterEach(async () => {
  await Promise.race([Promise.all(kiosks.map((k) => k.stop())), sleep(20_000)]);
  kiosks = [];
  await d?.stop();
  d = undefined;
});

/** Time from `since` until every process answers `/readyz` 200 (polled every 100 ms). */
async function readyAgainAfter(dep: FaultDeployment, since: number): Promise<number> {
  await waitFor(async () => allReady(await readiness(dep)), "every /readyz to be 200 again", 20_000);
  return Date.now() - since;
}

async function healthz(dep: FaultDeployment): Promise<Record<string, number>> {
  const urls = opsUrls(dep);
  return Object.fromEntries(await Promise.all(Object.entries(urls).map(async ([n, u]) => [n, await opsStatus(`${u}/healthz`)] as const)));
}

/** The kiosks' view and the data's state after the outage, asserted; returns numbers for the report. */
async function assertRecovered(dep: FaultDeployment, backAt: number) {
  await Promise.all(kiosks.map((k) => k.stop()));
  const answers = kiosks.flatMap((k) => k.answers);
  expect(dep.crashes).toEqual([]);
  expect(kiosks.flatMap((k) => k.problems)).toEqual([]);
  for (const a of answers) expect(a.answeredAt - a.sentAt).toBeLessThanOrEqual(ACCOUNT_TIMEOUT_MS + 500);
  // Normal service: nothing sent 5 s after the return was refused, and every kiosk was served
  // again. A kiosk whose request was in flight across the return may first wait out its timeout.
  expect(answers.filter((a) => a.sentAt >= backAt + RECOVERY_MS && !a.ok)).toEqual([]);
  const recovery = kiosks.map((k) => {
    const first = k.answers.find((a) => a.sentAt >= backAt && a.ok);
    expect(first, `kiosk ${k.index} served after the return`).toBeDefined();
    return first!.answeredAt - backAt;
  });
  expect(Math.max(...recovery)).toBeLessThanOrEqual(RECOVERY_MS + ACCOUNT_TIMEOUT_MS);

  // Nothing lost, nothing duplicated.
  const checkouts = kiosks.reduce((n, k) => n + k.accepted("checkout"), 0);
  const checkins = kiosks.reduce((n, k) => n + k.accepted("checkin"), 0);
  expect(checkins).toBe(checkouts);
  const loanDb = dep.services.loan.db;
  const counts = await sql<{ type: string; n: string }>`SELECT type, count(*) AS n FROM events GROUP BY type`.execute(loanDb);
  const byType = Object.fromEntries(counts.rows.map((r) => [r.type, Number(r.n)]));
  expect(byType.ItemCheckedOut ?? 0).toBe(checkouts);
  expect(byType.ItemCheckedIn ?? 0).toBe(checkins);
  const open = await sql<{ n: string }>`SELECT count(*) AS n FROM loans`.execute(loanDb);
  expect(Number(open.rows[0]!.n)).toBe(0);
  const loanEvents = Object.values(byType).reduce((a, b) => a + b, 0);

  const nc = await connect({ servers: dep.nats.url });
  try {
    const jsm = await jetstreamManager(nc);
    await waitFor(async () => (await jsm.streams.info("CIRC_LOAN_EVENTS")).state.messages === loanEvents, "every loan event in the stream", 15_000);
    const consumed = async (service: ServiceName, consumer: string) =>
      Number(
        (await sql<{ n: string }>`SELECT count(*) AS n FROM processed_messages WHERE consumer = ${`CIRC_LOAN_EVENTS/${consumer}`}`.execute(dep.services[service].db)).rows[0]!.n,
      );
    for (const [service, consumer] of [["item", "item-from-loan"], ["fee", "fee-from-loan"], ["hold", "hold-from-loan"]] as const) {
      await waitFor(async () => (await consumed(service, consumer)) >= loanEvents, `${consumer} to apply every loan event`, 15_000);
      expect(await consumed(service, consumer)).toBe(loanEvents);
    }
  } finally {
    await nc.close();
  }
  const onLoan = await sql<{ n: string }>`SELECT count(*) AS n FROM items WHERE barcode LIKE 'LI%' AND state <> 'available'`.execute(dep.services.item.db);
  expect(Number(onLoan.rows[0]!.n)).toBe(0);
  return { answers: answers.length, refused: answers.filter((a) => !a.ok).length, checkouts, kiosksServedAgainMs: Math.max(...recovery) };
}

/**
 * Stops `backend` for `outageMs` under the kiosks' traffic. `checkAfterMs` into the outage every
 * process is alive (`/healthz` 200, nobody should restart it) and `/readyz` is `readyDuring`.
 * Then starts it again: every `/readyz` and normal service are back within RECOVERY_MS, and the
 * kiosks' view and the data are asserted (assertRecovered).
 */
async function outage(dep: FaultDeployment, backend: PrivateBackend, o: { outageMs: number; checkAfterMs: number; readyDuring: Record<string, number> }) {
  await backend.stop();
  const downAt = Date.now();
  await sleep(o.checkAfterMs);
  expect(await readiness(dep)).toEqual(o.readyDuring);
  expect(Object.values(await healthz(dep)).every((s) => s === 200)).toBe(true);
  await sleep(o.outageMs - (Date.now() - downAt));

  await backend.start();
  const backAt = Date.now();
  const [readyMs, servedMs] = await Promise.all([readyAgainAfter(dep, backAt), servedAgainAfter(dep.gateway.tcpPort, patronBarcode(0), backAt)]);
  expect(readyMs).toBeLessThanOrEqual(RECOVERY_MS);
  expect(servedMs).toBeLessThanOrEqual(RECOVERY_MS);
  await sleep(Math.max(0, backAt + RECOVERY_MS + 3_000 - Date.now()));

  const seen = await assertRecovered(dep, backAt);
  return { downAt, seen: { ...seen, readyMs, servedMs } };
}

describe("backend outages under eight kiosks", () => {
  it("NATS down 25 s (longer than the client's default reconnect budget), then back on the same port and store", async () => {
    const dep = d!;
    kiosks = startKiosks(dep.gateway.tcpPort, KIOSKS, ITEMS_PER_KIOSK);
    await sleep(3_000);
    expect(await readiness(dep)).toEqual({ gateway: 200, patron: 200, item: 200, loan: 200, fee: 200, hold: 200 });

    // Not ready while NATS is gone — the gateway too.
    const readyDuring = { gateway: 503, patron: 503, item: 503, loan: 503, fee: 503, hold: 503 };
    const { downAt, seen } = await outage(dep, dep.nats, { outageMs: 25_000, checkAfterMs: 4_000, readyDuring });
    // Logged once per change of state, not once a second for the whole outage.
    const outageLines = dep.logs.filter((l) => l.level >= 40 && Number(new Date(l.time as number)) >= downAt);
    const perProcess = new Map<string, number>();
    for (const l of outageLines) perProcess.set(l.service, (perProcess.get(l.service) ?? 0) + 1);
    for (const [service, n] of perProcess) expect(n, `${service} warnings during the outage`).toBeLessThanOrEqual(20);
    console.info(`NATS 25 s: ${JSON.stringify(seen)}`);
  }, 90_000);

  it("Postgres stopped (fast shutdown) for 10 s, then started again", async () => {
    const dep = d!;
    kiosks = startKiosks(dep.gateway.tcpPort, KIOSKS, ITEMS_PER_KIOSK);
    await sleep(3_000);
    expect(allReady(await readiness(dep))).toBe(true);

    // Every service says not ready; the gateway needs no database and stays ready (its 98 says off-line).
    const readyDuring = { gateway: 200, patron: 503, item: 503, loan: 503, fee: 503, hold: 503 };
    const { seen } = await outage(dep, dep.postgres, { outageMs: 10_000, checkAfterMs: 3_000, readyDuring });
    console.info(`Postgres 10 s: ${JSON.stringify(seen)}`);
  }, 90_000);
});
