import { common, hold as holdpb } from "@circulate/contracts";
import { accepted } from "@circulate/service/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancelHold, changeHold, type Harness, itemRef, patronRef, startHarness } from "./hold.harness.js";

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);

/** A waiting copy-specific hold from a previous system. */
const waiting = (externalId: string, patron: string, item: string, pickupLocation = "MAIN") =>
  holdpb.HoldRecord.fromPartial({
    externalId,
    patron: patronRef(patron),
    holdType: common.HoldType.SPECIFIC_COPY,
    item: itemRef(item),
    pickupLocation,
    placedAt: daysAgo(3),
  });

describe("admin UpsertHolds, run again after circulation", () => {
  let h: Harness;
  const eventCount = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM events`.execute(h.db)).rows[0]!.n);
  const holdOf = async (patron: string) =>
    (await h.rpc.listHolds({ key: { $case: "patron", value: patronRef(patron) }, includeClosed: true })).holds;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("the same records again write no event", async () => {
    const records = { holds: [waiting("R-1", "P0001", "I0007"), waiting("R-2", "P0005", "I0002")] };
    expect(await h.rpc.upsertHolds(records)).toEqual({ created: 2, updated: 0, unchanged: 0 });
    const before = await eventCount();
    expect(await h.rpc.upsertHolds(records)).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(await eventCount()).toBe(before);
  });

  it("a hold trapped at a checkin since the import stays trapped: the old system's 'waiting' does not release it", async () => {
    const [imported] = await holdOf("P0001");
    await h.publish.checkin("I0007", { holdId: imported!.holdId, location: "MAIN", inTransit: false, destinationLocation: "MAIN" });
    await h.loanEventsApplied();
    expect((await holdOf("P0001"))[0]).toMatchObject({ patron: patronRef("P0001"), status: holdpb.HoldStatus.AVAILABLE });
    const before = await eventCount();

    expect(await h.rpc.upsertHolds({ holds: [waiting("R-1", "P0001", "I0007")] })).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect(await eventCount()).toBe(before);
    expect((await holdOf("P0001"))[0]).toMatchObject({ status: holdpb.HoldStatus.AVAILABLE, trappedItem: itemRef("I0007") });
  });

  it("a pickup changed at a kiosk since the import is kept; a cancelled hold is not placed again", async () => {
    accepted(await h.send(changeHold("P0005", { item: itemRef("I0002"), pickupLocation: "EAST" })), "changeHold");
    const before = await eventCount();
    expect(await h.rpc.upsertHolds({ holds: [waiting("R-2", "P0005", "I0002", "MAIN")] })).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect(await eventCount()).toBe(before);
    expect((await holdOf("P0005"))[0]).toMatchObject({ pickupLocation: "EAST", status: holdpb.HoldStatus.WAITING });

    accepted(await h.send(cancelHold("P0005", { item: itemRef("I0002") })), "cancelHold");
    const afterCancel = await eventCount();
    expect(await h.rpc.upsertHolds({ holds: [waiting("R-2", "P0005", "I0002", "MAIN")] })).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect(await eventCount()).toBe(afterCancel);
    expect((await holdOf("P0005")).map((x) => x.status)).toEqual([holdpb.HoldStatus.CANCELLED]);
  });

  it("a hold nothing happened to since its import still takes the record's changes", async () => {
    expect(await h.rpc.upsertHolds({ holds: [waiting("R-3", "P0006", "I0001")] })).toMatchObject({ created: 1 });
    expect(await h.rpc.upsertHolds({ holds: [waiting("R-3", "P0006", "I0001", "EAST")] })).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect((await holdOf("P0006"))[0]).toMatchObject({ pickupLocation: "EAST" });
  });
});
