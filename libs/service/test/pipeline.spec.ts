import { acceptedOutcome, commands, common, newCommandEnvelope } from "@circulate/contracts";
import { DeadlineExceededError, type EventStoreDatabase, migrateDatabase } from "@circulate/eventstore";
import { createTestDatabase, type TestDatabase } from "@circulate/testing";
import * as grpc from "@grpc/grpc-js";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  commandHandler,
  grpcStatusOf,
  InvalidArgumentError,
  PeerUnavailableError,
  ProjectionBehindError,
  recordOutcome,
} from "../src/index.js";

const R = commands.RefusalReason;
const logger = pino({ level: "silent" });
const terminal = common.Terminal.fromPartial({ account: "kiosk1", institutionId: "MAIN", location: "MAIN" });
const envelope = () =>
  newCommandEnvelope({
    command: { $case: "enablePatron", value: { patron: { institutionId: "MAIN", barcode: "P1" } } },
    terminal,
    replyTo: "127.0.0.1:1",
    timeoutMs: 5_000,
  });
const query = () =>
  newCommandEnvelope({ command: { $case: "endPatronSession", value: { patron: { institutionId: "MAIN", barcode: "P1" } } }, terminal, replyTo: "127.0.0.1:1", timeoutMs: 5_000 });

describe("the command pipeline", () => {
  let database: TestDatabase;
  let db: Kysely<EventStoreDatabase>;
  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Kysely<EventStoreDatabase>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 2 }) }) });
    await migrateDatabase(db, {});
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it("answers a transaction already answered with its recorded outcome, without running it", async () => {
    const env = envelope();
    await recordOutcome(db, env, acceptedOutcome(env, { $case: "enablePatron", value: { standing: undefined } }));
    let ran = 0;
    const handler = commandHandler<"enablePatron", EventStoreDatabase>({ db, logger }, async () => {
      ran++;
      throw new Error("must not run");
    });
    const outcome = await handler({ patron: undefined }, env);
    expect(outcome.replayed).toBe(true);
    expect(outcome.result?.$case).toBe("accepted");
    expect(ran).toBe(0);
  });

  it("asks a query afresh every time", async () => {
    const env = query();
    await recordOutcome(db, env, acceptedOutcome(env, { $case: "endPatronSession", value: {} }));
    const outcome = await commandHandler<"endPatronSession", EventStoreDatabase>({ db, logger }, async (_, e) =>
      acceptedOutcome(e, { $case: "endPatronSession", value: {} }),
    )({ patron: undefined }, env);
    expect(outcome.replayed).toBeFalsy();
  });

  it.each([
    ["a deadline passed before commit", new DeadlineExceededError("c", new Date()), R.DEADLINE_EXCEEDED],
    ["peers' facts not current", new ProjectionBehindError("behind"), R.BACKEND_UNAVAILABLE],
    ["a peer out of time", new PeerUnavailableError("patron", "deadline", "slow"), R.DEADLINE_EXCEEDED],
    ["a peer down", new PeerUnavailableError("patron", "unavailable", "down"), R.BACKEND_UNAVAILABLE],
  ])("refuses %s, recording nothing", async (_, error, reason) => {
    const env = envelope();
    const outcome = await commandHandler<"enablePatron", EventStoreDatabase>({ db, logger }, async () => {
      throw error;
    })({ patron: undefined }, env);
    expect(outcome.result?.$case === "refused" && outcome.result.value.reason).toBe(reason);
    const recorded = await db.selectFrom("idempotency").select("command_id").where("command_id", "=", env.commandId).executeTakeFirst();
    expect(recorded).toBeUndefined();
  });

  it("lets a service name its own failures, and lets others through", async () => {
    class Corrupt extends Error {}
    const ctx = { db, logger, refusalOf: (err: unknown) => (err instanceof Corrupt ? { reason: R.INTERNAL_ERROR, detail: "corrupt" } : undefined) };
    const own = await commandHandler<"enablePatron", EventStoreDatabase>(ctx, async () => {
      throw new Corrupt();
    })({ patron: undefined }, envelope());
    expect(own.result?.$case === "refused" && own.result.value.reason).toBe(R.INTERNAL_ERROR);
    await expect(
      commandHandler<"enablePatron", EventStoreDatabase>(ctx, async () => {
        throw new Error("a bug");
      })({ patron: undefined }, envelope()),
    ).rejects.toThrow("a bug");
  });
});

describe("gRPC statuses", () => {
  it.each([
    [new InvalidArgumentError(["barcode is empty"]), grpc.status.INVALID_ARGUMENT],
    [new DeadlineExceededError("c", new Date()), grpc.status.DEADLINE_EXCEEDED],
    [new ProjectionBehindError("behind"), grpc.status.UNAVAILABLE],
    [new PeerUnavailableError("item", "deadline", "slow"), grpc.status.DEADLINE_EXCEEDED],
    [new PeerUnavailableError("item", "unavailable", "down"), grpc.status.UNAVAILABLE],
    [new PeerUnavailableError("item", "not_found", "no such"), grpc.status.NOT_FOUND],
    [new Error("a bug"), grpc.status.INTERNAL],
  ])("%s → %s", (error, code) => {
    expect(grpcStatusOf(logger, "Rpc", error).code).toBe(code);
  });

  it("gives a service's own errors their status first", () => {
    expect(grpcStatusOf(logger, "Rpc", new Error("x"), () => ({ code: grpc.status.FAILED_PRECONDITION })).code).toBe(grpc.status.FAILED_PRECONDITION);
  });
});
