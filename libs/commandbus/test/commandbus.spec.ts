import { commands, common, newCommandEnvelope } from "@circulate/contracts";
import { createTestNats } from "@circulate/testing";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CommandHandlers,
  pingService,
  publishCommand,
  ReplyClient,
  type ReplySinkServer,
  serveCommands,
  startReplySink,
} from "../src/index.js";

type Outcome = commands.Outcome;
const logger = pino({ level: "silent" });
const terminal = common.Terminal.fromPartial({ account: "kiosk1", institutionId: "MAIN", location: "MAIN" });
const patron = common.PatronRef.fromPartial({ institutionId: "MAIN", barcode: "P0001" });

describe("command bus over real NATS and gRPC", () => {
  const nats = createTestNats();
  let nc: NatsConnection;
  let sink: ReplySinkServer;
  const waiting = new Map<string, (o: Outcome) => void>();
  const replies = new ReplyClient();

  beforeAll(async () => {
    nc = await connect({ servers: nats.url });
    sink = await startReplySink({
      onOutcome: (o) => {
        const w = waiting.get(o.correlationId);
        waiting.delete(o.correlationId);
        w?.(o);
        return w !== undefined;
      },
    });
  });
  afterAll(async () => {
    replies.close();
    await sink.close();
    await nc.close();
    await nats.cleanup();
  });

  const seen: string[] = [];
  const handlers = (name: string): CommandHandlers<"patron"> => {
    const ok = async (_: unknown, env: commands.CommandEnvelope) => {
      seen.push(name);
      return commands.Outcome.fromPartial({
        commandId: env.commandId,
        correlationId: env.correlationId,
        result: { $case: "accepted", value: { payload: { $case: "endPatronSession", value: {} } } },
      });
    };
    return {
      getPatronStatus: async () => {
        throw new Error("database down");
      },
      getPatronInformation: ok,
      blockPatron: ok,
      enablePatron: ok,
      endPatronSession: ok,
    };
  };

  function send(env: commands.CommandEnvelope): Promise<Outcome> {
    const p = new Promise<Outcome>((resolve) => waiting.set(env.correlationId, resolve));
    publishCommand(nc, env, nats.subjectPrefix);
    return p;
  }

  it("routes a command to its service and delivers the outcome to reply_to, once across replicas", async () => {
    const a = serveCommands({ nc, service: "patron", prefix: nats.subjectPrefix, handlers: handlers("a"), replies, logger });
    const b = serveCommands({ nc, service: "patron", prefix: nats.subjectPrefix, handlers: handlers("b"), replies, logger });
    await nc.flush();
    seen.length = 0;
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () =>
        send(
          newCommandEnvelope({
            command: { $case: "endPatronSession", value: commands.EndPatronSession.fromPartial({ patron }) },
            terminal,
            replyTo: sink.address,
            timeoutMs: 5_000,
          }),
        ),
      ),
    );
    expect(outcomes.every((o) => o.result?.$case === "accepted")).toBe(true);
    expect(seen).toHaveLength(20);
    await Promise.all([a.drain(), b.drain()]);
  });

  it("drops a command past its deadline unapplied and says so", async () => {
    const s = serveCommands({ nc, service: "patron", prefix: nats.subjectPrefix, handlers: handlers("c"), replies, logger });
    await nc.flush();
    seen.length = 0;
    const past = new Date(Date.now() - 1_000);
    const outcome = await send(
      newCommandEnvelope({
        command: { $case: "endPatronSession", value: commands.EndPatronSession.fromPartial({ patron }) },
        terminal,
        replyTo: sink.address,
        now: new Date(past.getTime() - 5_000),
        deadline: past,
      }),
    );
    expect(outcome.result).toMatchObject({ $case: "refused", value: { reason: commands.RefusalReason.DEADLINE_EXCEEDED } });
    expect(seen).toHaveLength(0);
    await s.drain();
  });

  it("turns a failing handler into a well-formed BACKEND_UNAVAILABLE refusal", async () => {
    const s = serveCommands({ nc, service: "patron", prefix: nats.subjectPrefix, handlers: handlers("d"), replies, logger });
    await nc.flush();
    const outcome = await send(
      newCommandEnvelope({
        command: { $case: "getPatronStatus", value: commands.GetPatronStatus.fromPartial({ patron }) },
        terminal,
        replyTo: sink.address,
        timeoutMs: 5_000,
      }),
    );
    expect(outcome.result).toMatchObject({ $case: "refused", value: { reason: commands.RefusalReason.BACKEND_UNAVAILABLE } });
    expect(JSON.stringify(outcome)).not.toContain("database down");
    await s.drain();
  });

  it("answers a health ping while serving and stops answering once drained", async () => {
    expect(await pingService(nc, "patron", nats.subjectPrefix, 500)).toBe(false);
    const s = serveCommands({ nc, service: "patron", prefix: nats.subjectPrefix, handlers: handlers("e"), replies, logger });
    await nc.flush();
    expect(await pingService(nc, "patron", nats.subjectPrefix, 500)).toBe(true);
    expect(await pingService(nc, "loan", nats.subjectPrefix, 500)).toBe(false);
    await s.drain();
    expect(await pingService(nc, "patron", nats.subjectPrefix, 500)).toBe(false);
  });
});
