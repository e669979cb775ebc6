/**
 * What the fleet bucket costs under load: KIOSKS kiosks log in and send checkouts (PIPELINE at a
 * time each) to a real gateway for DURATION_S seconds, against the test double of the services. Prints
 * requests per second, fleet writes per second (the bucket stream's sequence), writes per
 * request, the process's CPU per request, and what the fleet shows of one kiosk at the end.
 *
 * Needs NATS (NATS_URL, default nats://127.0.0.1:4222). From services/sip2-gateway:
 *   node --conditions=@circulate/source --import tsx bench/fleet-writes.ts
 * (KIOSKS=50 PIPELINE=4 DURATION_S=20; FLEET_WRITE_MS / FLEET_REFRESH_MS default 2000 / 20000).
 * Gateway, kiosks and the service double share the process, so CPU covers all three.
 */
import { fleetBucketName, parseTerminalState } from "@circulate/contracts";
import { createLogger } from "@circulate/runtime";
import { Kvm } from "@nats-io/kv";
import { connect } from "@nats-io/transport-node";
import { accountsFile, backendDouble, Kiosk, msg, startGateway, testConfig } from "../test/harness.js";

const KIOSKS = Number(process.env.KIOSKS ?? 50);
const PIPELINE = Number(process.env.PIPELINE ?? 4);
const DURATION_S = Number(process.env.DURATION_S ?? 20);
const NATS_URL = process.env.NATS_URL ?? "nats://127.0.0.1:4222";
const prefix = `fleetbench${Date.now().toString(36)}`;

const files = await accountsFile([{ login: "kiosk1", password: "kiosk1pw", institutionId: "MAIN", permissions: ["checkout"] }]);
const backend = backendDouble(NATS_URL, prefix);
await backend.start();
const gw = await startGateway(
  testConfig(NATS_URL, prefix, files.file, {
    logLevel: "warn",
    fleet: { writeMs: Number(process.env.FLEET_WRITE_MS ?? 2_000), refreshMs: Number(process.env.FLEET_REFRESH_MS ?? 20_000) },
  }),
  { logger: createLogger({ service: "sip2-gateway", level: "warn" }) },
);
const nc = await connect({ servers: NATS_URL });
const kv = await new Kvm(nc).open(fleetBucketName(prefix.toUpperCase()));
const seq = async () => (await kv.status()).streamInfo.state.last_seq;

const kiosks = await Promise.all(Array.from({ length: KIOSKS }, () => Kiosk.tcp(gw.tcp.port)));
for (const k of kiosks) if ((await k.ask(msg.login("kiosk1", "kiosk1pw"))) !== "941") throw new Error("login refused");

const seqBefore = await seq();
const cpuBefore = process.cpuUsage();
const started = Date.now();
const until = started + DURATION_S * 1_000;
let requests = 0;
await Promise.all(
  kiosks.map(async (k, n) => {
    for (let i = 0; Date.now() < until; i += PIPELINE) {
      for (let j = 0; j < PIPELINE; j++) k.send(msg.checkout(`P${n}`, `I${i + j}`));
      for (let j = 0; j < PIPELINE; j++) await k.next();
      requests += PIPELINE;
    }
  }),
);
const elapsed = (Date.now() - started) / 1_000;
const cpu = process.cpuUsage(cpuBefore);
const writes = (await seq()) - seqBefore;
const last = await kv.get(`${gw.gatewayId}.1`);

console.log(
  JSON.stringify(
    {
      kiosks: KIOSKS,
      pipeline: PIPELINE,
      seconds: Math.round(elapsed * 10) / 10,
      requestsPerSecond: Math.round(requests / elapsed),
      fleetWritesPerSecond: Math.round((writes / elapsed) * 10) / 10,
      fleetWritesPerRequest: Math.round((writes / requests) * 10_000) / 10_000,
      cpuMsPerRequest: Math.round(((cpu.user + cpu.system) / 1_000 / requests) * 1_000) / 1_000,
      oneKiosk: last ? parseTerminalState(last.string())?.lastMinute : undefined,
    },
    null,
    2,
  ),
);

for (const k of kiosks) k.close();
await gw.stop();
await backend.close();
// Every bucket the gateway made under the bench's prefix (fleet, history, logins, accounts).
const kvm = new Kvm(nc);
for await (const status of kvm.list()) if (status.bucket.startsWith(prefix.toUpperCase())) await (await kvm.open(status.bucket)).destroy();
await nc.close();
await files.remove();
