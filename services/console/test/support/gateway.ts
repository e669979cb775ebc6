/**
 * A SIP2 gateway in this process in front of a console stack: the demo library's accounts file
 * (kiosk1, kiosk2, sorter1), plain TCP on a free port, the stack's NATS prefix, and fleet writes
 * fast enough for a test to watch (refreshed every second, news at most every 200 ms).
 */
import { fileURLToPath } from "node:url";
import { type RunningGateway, startGateway } from "@circulate/sip2-gateway";
import type { Logger } from "@circulate/runtime";
import type { ConsoleStack } from "./stack.js";

const ACCOUNTS_FILE = fileURLToPath(new URL("../../../../infra/demo/accounts.yaml", import.meta.url));

export async function startTestGateway(stack: ConsoleStack, logger: Logger): Promise<RunningGateway> {
  const gateway = await startGateway(
    {
      accountsFile: ACCOUNTS_FILE,
      sip2Host: "127.0.0.1",
      tcpPort: 0,
      tlsPort: 0,
      idleTimeoutMs: 120_000,
      maxFrameBytes: 16_384,
      replyMarginMs: 100,
      commitReserveMs: 300,
      // Five wrong PINs are part of the test: never let failed logins lock 127.0.0.1 out.
      login: { maxFailures: 50, windowMs: 60_000, lockoutMs: 1_000 },
      health: { intervalMs: 250, timeoutMs: 250 },
      natsUrl: stack.nats.url,
      subjectPrefix: stack.nats.subjectPrefix,
      streamPrefix: stack.nats.streamPrefix,
      gatewayId: "gw-test",
      fleet: { refreshMs: 1_000, writeMs: 200 },
      grpcHost: "127.0.0.1",
      grpcPort: 0,
      opsHost: "127.0.0.1",
      opsPort: 0,
      logLevel: "info",
      prettyLogs: false,
      shutdownGraceMs: 5_000,
    },
    { logger },
  );
  const until = Date.now() + 15_000;
  while (!gateway.health.online()) {
    if (Date.now() > until) {
      await gateway.stop();
      throw new Error("the gateway did not see every service answer");
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return gateway;
}
