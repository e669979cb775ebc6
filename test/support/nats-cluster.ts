/**
 * A three-node NATS cluster with JetStream of the test's own: three nats-server processes on
 * loopback ports, routed to each other, each with its own store directory. A node can be killed
 * with SIGKILL and started again on the same ports and store, as a StatefulSet pod would be.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { freePort } from "@circulate/testing";

export interface NatsNode {
  readonly name: string;
  readonly port: number;
  readonly monitorPort: number;
  running(): boolean;
}

export interface NatsCluster {
  readonly nodes: readonly NatsNode[];
  /** Every node's client URL, comma-separated: what processes get as NATS_URL. */
  readonly url: string;
  /** SIGKILL, no goodbye to clients or peers. */
  kill(node: number): Promise<void>;
  /** Starts the node again on its ports and store; resolves once JetStream answers healthy. */
  start(node: number): Promise<void>;
  /** Resolves once every running node reports JetStream healthy (meta leader known, streams current). */
  healthy(timeoutMs: number): Promise<void>;
  destroy(): Promise<void>;
}

const CLUSTER_NAME = "circulate-test";

async function healthz(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1_000) });
    return res.ok;
  } catch {
    return false;
  }
}

/** A node answers healthy before the cluster has elected its JetStream meta leader; the account info needs one. */
async function metaLeaderElected(url: string, timeoutMs: number): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc, { timeout: 1_000 });
    for (const until = Date.now() + timeoutMs; ; ) {
      if (await jsm.getAccountInfo().then(() => true, () => false)) return;
      if (Date.now() > until) throw new Error(`the NATS cluster elected no JetStream meta leader within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await nc.close();
  }
}

export async function startNatsCluster(size = 3): Promise<NatsCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), "circ-nats-cluster-"));
  const specs = await Promise.all(
    Array.from({ length: size }, async (_, i) => ({
      name: `n${i + 1}`,
      port: await freePort(),
      clusterPort: await freePort(),
      monitorPort: await freePort(),
      store: path.join(dir, `n${i + 1}`),
    })),
  );
  const routes = specs.map((s) => `nats://127.0.0.1:${s.clusterPort}`).join(",");
  const children: Array<ChildProcess | undefined> = specs.map(() => undefined);

  const spawnNode = async (i: number) => {
    const s = specs[i]!;
    const child = spawn(
      "nats-server",
      [
        ...["-n", s.name, "-a", "127.0.0.1", "-p", String(s.port), "-m", String(s.monitorPort)],
        ...["-js", "-sd", s.store, "--cluster_name", CLUSTER_NAME],
        ...["--cluster", `nats://127.0.0.1:${s.clusterPort}`, "--routes", routes],
      ],
      { stdio: "ignore" },
    );
    children[i] = child;
    await new Promise<void>((resolve, reject) => child.once("spawn", resolve).once("error", reject));
  };

  const waitHealthy = async (indices: number[], timeoutMs: number) => {
    const until = Date.now() + timeoutMs;
    for (const i of indices) {
      while (!(await healthz(specs[i]!.monitorPort))) {
        if (Date.now() > until) throw new Error(`nats node ${specs[i]!.name} not healthy within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };

  const kill = async (i: number) => {
    const child = children[i];
    children[i] = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
  };

  const running = () => specs.map((_, i) => i).filter((i) => children[i] !== undefined);
  const cluster: NatsCluster = {
    nodes: specs.map((s, i) => ({ name: s.name, port: s.port, monitorPort: s.monitorPort, running: () => children[i] !== undefined })),
    url: specs.map((s) => `nats://127.0.0.1:${s.port}`).join(","),
    kill,
    start: async (i) => {
      await spawnNode(i);
      await waitHealthy([i], 60_000);
    },
    healthy: (timeoutMs) => waitHealthy(running(), timeoutMs),
    destroy: async () => {
      await Promise.all(specs.map((_, i) => kill(i)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all(specs.map((_, i) => spawnNode(i)));
    await waitHealthy(running(), 60_000);
    await metaLeaderElected(cluster.url, 60_000);
  } catch (err) {
    await cluster.destroy();
    throw err;
  }
  return cluster;
}
