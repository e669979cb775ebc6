import { acceptedOutcome, commands, common, history, loan, refusedOutcome } from "@circulate/contracts";
import { type EventStoreDatabase, handleCommand } from "@circulate/eventstore";
import { createTestDatabase, createTestNats, type TestDatabase, type TestNats } from "@circulate/testing";
import * as grpc from "@grpc/grpc-js";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { type Kysely, sql } from "kysely";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandHandler, protoJsonEncoder, pruneRecords, recordOutcome, type RunningService, startService, storedOutcome } from "../src/index.js";
import { GatewayStandIn, testServiceConfig } from "../src/testing/index.js";

const R = commands.RefusalReason;
const logger = pino({ level: "silent" });
const terminal = common.Terminal.fromPartial({ account: "kiosk7", institutionId: "MAIN", location: "EAST-DESK" });
const DUE = new Date("2027-01-15T23:59:59.000Z");
const DAY = 86_400_000;

/**
 * A two-command loan service on the shared pipeline: a checkout by patron
 * "BLOCKED" is refused, any other is accepted and checked in again; enough to
 * prove what the history keeps, not the loan rules.
 */
const tinyLoan = {
  name: "loan" as const,
  migrations: {},
  build: ({ db, eventsCommitted }: { db: Kysely<EventStoreDatabase>; eventsCommitted: () => void }) => {
    const ctx = { db, logger };
    const onStream = async (env: commands.CommandEnvelope, type: string, data: object, outcome: commands.Outcome) => {
      const result = await handleCommand(db, {
        commandId: env.commandId,
        streamId: "loan-I1",
        initialState: () => null,
        evolve: (s) => s,
        decide: () => ({ events: [{ type, data }], outcome: commands.Outcome.toJSON(outcome) }),
      });
      eventsCommitted();
      return storedOutcome(result.outcome, result.replayed);
    };
    const unsupported = async (_: unknown, env: commands.CommandEnvelope) => refusedOutcome(env, R.UNSUPPORTED, "not in this test");
    return {
      encodeEvent: protoJsonEncoder,
      handlers: {
        checkOutItem: commandHandler<"checkOutItem", EventStoreDatabase>(ctx, async (cmd, env) => {
          const patron = cmd.patron!;
          const item = cmd.item!;
          if (patron.barcode === "BLOCKED") {
            const refused = refusedOutcome(env, R.PATRON_BLOCKED, "blocked by staff: books damaged", {
              patron: common.PatronStanding.fromPartial({ patronId: "p-blocked", patron }),
              item: common.ItemSummary.fromPartial({ item, title: "Notes on the Analytical Engine" }),
            });
            // Recorded as the services record a decision on no stream; the history keeps it beside the outcome.
            return recordOutcome(db, env, refused);
          }
          const data = loan.ItemCheckedOut.toJSON(
            loan.ItemCheckedOut.fromPartial({ item, patron, patronId: "p-1", itemId: "i-1", title: "Notes on the Analytical Engine", dueAt: DUE, terminalAccount: env.terminal!.account, location: env.terminal!.location }),
          ) as object;
          return onStream(env, "ItemCheckedOut", data, acceptedOutcome(env, { $case: "checkOutItem", value: commands.CheckOutItemAccepted.fromPartial({ dueAt: DUE }) }));
        }),
        checkInItem: commandHandler<"checkInItem", EventStoreDatabase>(ctx, async (cmd, env) => {
          const data = loan.ItemCheckedIn.toJSON(
            loan.ItemCheckedIn.fromPartial({ item: cmd.item, patron: { institutionId: "MAIN", barcode: "P1" }, patronId: "p-1", itemId: "i-1", terminalAccount: env.terminal!.account }),
          ) as object;
          return onStream(env, "ItemCheckedIn", data, acceptedOutcome(env, { $case: "checkInItem", value: commands.CheckInItemAccepted.fromPartial({}) }));
        }),
        renewItem: unsupported,
        renewAll: unsupported,
      },
    };
  },
};

describe("the transaction history", () => {
  let database: TestDatabase;
  let nats: TestNats;
  let service: RunningService<EventStoreDatabase>;
  let nc: NatsConnection;
  let gateway: GatewayStandIn;
  let client: history.HistoryClient;

  const list = (req: Partial<history.ListHistoryRequest>) =>
    new Promise<history.ListHistoryResponse>((resolve, reject) =>
      client.listHistory(history.ListHistoryRequest.fromPartial(req), (err, res) => (err ? reject(err) : resolve(res))),
    );
  const patron = (barcode: string) => ({ subject: { $case: "patron" as const, value: { institutionId: "MAIN", barcode } } });
  const item = (barcode: string) => ({ subject: { $case: "item" as const, value: { institutionId: "MAIN", barcode } } });
  const checkout = (patronBarcode: string) =>
    gateway.envelope({ $case: "checkOutItem", value: commands.CheckOutItem.fromPartial({ patron: { institutionId: "MAIN", barcode: patronBarcode }, item: { institutionId: "MAIN", barcode: "I1" }, pin: "4321" }) });

  beforeAll(async () => {
    database = await createTestDatabase();
    nats = createTestNats();
    service = await startService(tinyLoan, testServiceConfig({ database, nats }), { logger });
    nc = await connect({ servers: nats.url });
    gateway = await GatewayStandIn.start(nc, nats.subjectPrefix, terminal);
    client = new history.HistoryClient(service.grpcAddress, grpc.credentials.createInsecure());
  });
  afterAll(async () => {
    client?.close();
    await gateway?.close();
    await nc?.close();
    await service?.stop();
    await nats?.cleanup();
    await database?.drop();
  });

  it("keeps a refused checkout once, with what the kiosk was told, however often it is repeated, and never its PIN", async () => {
    const env = checkout("BLOCKED");
    const [first, again] = await gateway.publish(env, 2);
    expect([first?.result?.$case, again?.replayed]).toEqual(["refused", true]);
    const { rows } = await sql<Record<string, unknown>>`SELECT * FROM transaction_refusals`.execute(service.db);
    expect(rows).toEqual([
      expect.objectContaining({
        command_id: env.commandId,
        command_type: "checkOutItem",
        terminal_account: "kiosk7",
        location: "EAST-DESK",
        patron_institution: "MAIN",
        patron_barcode: "BLOCKED",
        patron_id: "p-blocked",
        item_barcode: "I1",
        title: "Notes on the Analytical Engine",
        reason: R.PATRON_BLOCKED,
        screen_message: "Your account is blocked. Please see staff.",
      }),
    ]);
    expect(JSON.stringify(rows)).not.toContain("4321");
    expect(JSON.stringify(rows)).not.toContain("books damaged");
  });

  it("answers ListHistory newest first: an item's checkout and checkin after the refusal, a patron's refusal alone", async () => {
    expect((await gateway.publish(checkout("P1")))[0]?.result?.$case).toBe("accepted");
    const checkin = gateway.envelope({ $case: "checkInItem", value: commands.CheckInItem.fromPartial({ item: { institutionId: "MAIN", barcode: "I1" } }) });
    expect((await gateway.publish(checkin))[0]?.result?.$case).toBe("accepted");

    const forItem = await list(item("I1"));
    expect(forItem.entries.map((e) => [e.kind, e.type, e.service])).toEqual([
      [history.HistoryKind.EVENT, "ItemCheckedIn", "loan"],
      [history.HistoryKind.EVENT, "ItemCheckedOut", "loan"],
      [history.HistoryKind.REFUSAL, "checkOutItem", "loan"],
    ]);
    expect(forItem.entries[1]).toMatchObject({ patronBarcode: "P1", patronInstitutionId: "MAIN", itemBarcode: "I1", itemInstitutionId: "MAIN", terminalAccount: "kiosk7", location: "EAST-DESK", dueAt: DUE, title: "Notes on the Analytical Engine" });
    expect(forItem.more).toBe(false);

    const blocked = await list(patron("BLOCKED"));
    expect(blocked.entries).toEqual([
      expect.objectContaining({ kind: history.HistoryKind.REFUSAL, refusalReason: R.PATRON_BLOCKED, screenMessage: "Your account is blocked. Please see staff.", itemBarcode: "I1", institutionId: "MAIN" }),
    ]);
    // P1's checkin names P1 too; its checkout and checkin are P1's history, not BLOCKED's.
    expect((await list(patron("P1"))).entries.map((e) => e.type)).toEqual(["ItemCheckedIn", "ItemCheckedOut"]);
  });

  it("pages with limit and before, and answers INVALID_ARGUMENT to a request without a subject or over the limit", async () => {
    const page1 = await list({ ...item("I1"), limit: 2 });
    expect([page1.entries.map((e) => e.type), page1.more]).toEqual([["ItemCheckedIn", "ItemCheckedOut"], true]);
    const page2 = await list({ ...item("I1"), limit: 2, before: page1.entries[1]!.at });
    expect([page2.entries.map((e) => e.type), page2.more]).toEqual([["checkOutItem"], false]);
    await expect(list({ limit: 5 })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    await expect(list({ ...item("I1"), limit: 501 })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: "limit must be between 1 and 500" });
  });

  it("prunes a refusal once its retention has passed, and not before, and the outcomes past their week with it", async () => {
    // The three commands' outcomes (the refused checkout, the checkout, the checkin) expire after 7 days.
    expect(await pruneRecords(service.db, 400, new Date(Date.now() + 6 * DAY))).toEqual({ idempotency: 0, refusals: 0 });
    expect(await pruneRecords(service.db, 400, new Date(Date.now() + 399 * DAY))).toEqual({ idempotency: 3, refusals: 0 });
    expect((await pruneRecords(service.db, 400, new Date(Date.now() + 401 * DAY))).refusals).toBe(1);
    expect((await list(patron("BLOCKED"))).entries).toEqual([]);
    expect((await list(item("I1"))).entries.map((e) => e.type)).toEqual(["ItemCheckedIn", "ItemCheckedOut"]);
  });
});
