/**
 * The services the benchmark imports into, as processes of their own (so the
 * importer's memory is measured alone), on databases and a NATS corner of
 * their own, `circ_bench_<created>_<random>`. Not named like test resources
 * (`circ_t_…`): test runs sweep those after an hour, and a million items take
 * longer than that (a first run lost its databases at 694,500 items so).
 */
import { randomBytes } from "node:crypto";
import { freePort } from "@circulate/testing";
import { fileURLToPath } from "node:url";
import { Writable } from "node:stream";
import { type Namespace, resetNamespace, servicePlan, Supervisor } from "@circulate/start";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/** What an import of items needs: institutions go to patron, loan and fee; items to item. Hold is not asked. */
const SERVICES = ["patron", "item", "fee", "loan"] as const;

export interface BenchStack {
  readonly addresses: Record<"patron" | "item" | "loan" | "fee" | "hold", string>;
  /**
   * Events not yet where they go: committed but not on the stream (each relay's
   * lag), and on a stream but not yet in a service's copy (each consumer's lag),
   * summed over the services, from their metrics.
   */
  backlog(): Promise<{ relays: number; consumers: number }>;
  /** The services' last log lines (for a failure). */
  logTail(): string;
  /** Stops the services, drops their databases and deletes their streams. */
  stop(): Promise<void>;
}


class Tail extends Writable {
  text = "";
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text = (this.text + chunk.toString()).slice(-16_000);
    done();
  }
}

export async function startBenchStack(backends: { postgresUrl: string; natsUrl: string }): Promise<BenchStack> {
  const name = `circ_bench_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const namespace: Namespace = { databasePrefix: `${name}_`, subjectPrefix: name, streamPrefix: name.toUpperCase() };
  const settings = { postgresUrl: backends.postgresUrl, natsUrl: backends.natsUrl, logLevel: "warn", namespace };
  const tail = new Tail();
  const supervisor = new Supervisor(ROOT, { sink: tail, say: () => {} });
  const ports = Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, { grpc: await freePort(), ops: await freePort() }] as const)));
  // Hold is not started: nothing in the benchmark asks it, and an address nobody listens on says so if that changes.
  const addresses = { hold: `127.0.0.1:${await freePort()}`, ...Object.fromEntries(SERVICES.map((s) => [s, `127.0.0.1:${ports[s]!.grpc}`])) } as BenchStack["addresses"];
  const peers = Object.fromEntries(Object.entries(addresses).map(([s, a]) => [`${s.toUpperCase()}_GRPC_ADDRESS`, a]));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await supervisor.stopAll(10_000);
    await resetNamespace({ postgresUrl: backends.postgresUrl, natsUrl: backends.natsUrl, namespace });
  };
  try {
    const started = servicePlan(settings)
      .filter((spec) => (SERVICES as readonly string[]).includes(spec.name))
      .map((spec) => {
        const p = ports[spec.name]!;
        const S = spec.name.toUpperCase();
        return supervisor.start({ ...spec, env: { ...spec.env, ...peers, [`${S}_GRPC_PORT`]: String(p.grpc), [`${S}_OPS_PORT`]: String(p.ops) }, readyPort: p.ops });
      });
    await Promise.all(started.map((p) => supervisor.ready(p, 120_000)));
  } catch (err) {
    await stop();
    throw new Error(`the services did not start: ${(err as Error).message}\n${tail.text}`);
  }
  const backlog = async () => {
    const texts = await Promise.all(SERVICES.map(async (s) => (await fetch(`http://127.0.0.1:${ports[s]!.ops}/metrics`)).text()));
    const sum = (metric: string) =>
      texts.flatMap((t) => [...t.matchAll(new RegExp(`^${metric}(?:\\{[^}]*\\})? (\\d+)$`, "gm"))]).reduce((n, m) => n + Number(m[1]), 0);
    return { relays: sum("circulate_relay_lag_events"), consumers: sum("circulate_projection_lag_events") };
  };
  return { addresses, backlog, logTail: () => tail.text, stop };
}
