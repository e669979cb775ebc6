/**
 * The load a cluster holds with one process of everything and with two (`pnpm bench:cluster`):
 * the same three-node NATS cluster (streams at three replicas) each time, the load generator's
 * kiosks spread over the gateways, a warm-up, then a measured run. Prints req/s and latency.
 * Numbers, not a pass/fail: on a 2-core machine a second replica adds processes, not cores.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateLibrary, type LoadReport, libraryJson, runCli } from "@circulate/loadgen";
import { describe, expect, it } from "vitest";
import { startNatsCluster } from "../support/nats-cluster.js";
import { startProcessStack } from "../support/process-stack.js";

const KIOSKS = Number(process.env.CIRCULATE_BENCH_KIOSKS ?? 16);
const SECONDS = Number(process.env.CIRCULATE_BENCH_SECONDS ?? 20);
const PATRONS = 1_000;
const ITEMS = 5_000;

async function measure(replicas: number) {
  const dir = mkdtempSync(path.join(tmpdir(), "circ-scale-"));
  const library = path.join(dir, "library.json");
  writeFileSync(library, libraryJson(generateLibrary({ patrons: PATRONS, items: ITEMS })));
  const nats = await startNatsCluster(3);
  try {
    const stack = await startProcessStack({ replicas, gateways: replicas, nats: { url: nats.url, streamReplicas: 3 }, library });
    try {
      // The load generator's own command line, as an operator would run it against the gateways.
      const load = async (seconds: number) => {
        const report = path.join(dir, `load-${seconds}.json`);
        const args = ["--port", stack.gateways.map((g) => g.sip2Port).join(","), "--kiosks", String(KIOSKS), "--duration", `${seconds}s`, "--tz", "America/New_York"];
        const quiet = { write: () => true };
        await runCli([...args, "--patrons", String(PATRONS), "--items", String(ITEMS), "--report", report], { stdout: quiet, stderr: quiet, env: {} });
        return JSON.parse(readFileSync(report, "utf8")) as LoadReport;
      };
      await load(5);
      const report = await load(SECONDS);
      const checkout = report.byType.find((t) => t.code === "11");
      return {
        replicas,
        kiosks: KIOSKS,
        requestsPerSecond: report.totals.throughput,
        errors: report.totals.errors,
        p50Ms: report.totals.latencyMs?.p50,
        p99Ms: report.totals.latencyMs?.p99,
        checkoutP99Ms: checkout?.latencyMs?.p99,
      };
    } finally {
      await stack.stop();
    }
  } finally {
    await nats.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the load a cluster holds: one process of everything vs two", () => {
  it("measures both", async () => {
    const one = await measure(1);
    const two = await measure(2);
    console.info("cluster load, same 3-node NATS (R3)", [one, two]);
    expect(one.requestsPerSecond).toBeGreaterThan(0);
    expect(two.requestsPerSecond).toBeGreaterThan(0);
  }, 900_000);
});
