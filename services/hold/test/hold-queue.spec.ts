import { setTimeout as delay } from "node:timers/promises";
import { common, type events, hold as holdpb } from "@circulate/contracts";
import { accepted } from "@circulate/service/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancelHold, type Harness, itemRef, patronRef, placeHold, startHarness } from "./hold.harness.js";

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
const byPatron = (barcode: string) => ({ key: { $case: "patron" as const, value: patronRef(barcode) }, includeClosed: false });

/** The demo library's holds as the import sends them. */
const demoHolds = (pickupOfAda = "MAIN"): holdpb.UpsertHoldsRequest => ({
  holds: [
    holdpb.HoldRecord.fromPartial({
      externalId: "OLD-H1",
      patron: patronRef("P0005"),
      holdType: common.HoldType.ANY_COPY,
      item: itemRef("I0006"),
      pickupLocation: "MAIN",
      placedAt: daysAgo(5),
      status: holdpb.HoldStatus.AVAILABLE,
      trappedItem: itemRef("I0006"),
    }),
    holdpb.HoldRecord.fromPartial({
      externalId: "OLD-H2",
      patron: patronRef("P0001"),
      holdType: common.HoldType.ANY_COPY,
      item: itemRef("I0007"),
      pickupLocation: pickupOfAda,
      placedAt: daysAgo(3),
    }),
  ],
});

describe("hold queues: import, trapping at check-in, fulfilment at checkout", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const publishCheckout = (patron: string, item: string, offline = false) => h.publish.checkout(patron, item, offline);
  const eventually = <T>(read: () => Promise<T>, ok: (t: T) => boolean) => h.eventually(read, ok);

  it("UpsertHolds imports a hold already trapped on the shelf (I0006 for P0005) and a queued one (I0007 for P0001, pickup MAIN)", async () => {
    expect(await h.rpc.upsertHolds(demoHolds())).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect((await h.storedEvents("bib-cosmos")).map((e) => e.type)).toEqual(["HoldPlaced", "HoldTrapped", "HoldShelved"]);
    const katherine = await h.rpc.listHolds(byPatron("P0005"));
    expect(katherine).toMatchObject({ availableCount: 1, unavailableCount: 0 });
    expect(katherine.holds[0]).toMatchObject({ status: holdpb.HoldStatus.AVAILABLE, trappedItem: itemRef("I0006"), externalId: "OLD-H1" });
    expect(katherine.holds[0]!.pickupBy!.getTime()).toBeGreaterThan(Date.now());
    const ada = await h.rpc.listHolds(byPatron("P0001"));
    expect(ada.holds[0]).toMatchObject({ status: holdpb.HoldStatus.WAITING, queuePosition: 1, pickupLocation: "MAIN", titleId: "bib-sicp", patronId: "pat-1" });
    const shelf = await h.rpc.getQueue({ key: { $case: "item", value: itemRef("I0006") }, itemTitleId: "" });
    expect(shelf.trappedHold).toMatchObject({ patron: patronRef("P0005"), status: holdpb.HoldStatus.AVAILABLE });
  });

  it("UpsertHolds is idempotent: re-running changes nothing, a changed record updates its hold", async () => {
    expect(await h.rpc.upsertHolds(demoHolds())).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(await h.storedEvents("bib-sicp")).toHaveLength(1);
    expect(await h.rpc.upsertHolds(demoHolds("EAST"))).toEqual({ created: 0, updated: 1, unchanged: 1 });
    expect((await h.storedEvents("bib-sicp")).map((e) => e.type)).toEqual(["HoldPlaced", "HoldChanged"]);
    expect(await h.rpc.upsertHolds(demoHolds("MAIN"))).toMatchObject({ updated: 1 });
    expect(await h.db.selectFrom("holds").select("hold_id").execute()).toHaveLength(2);
  });

  it("UpsertHolds rejects bad records with INVALID_ARGUMENT and a clear message, writing nothing", async () => {
    const bad = (r: Partial<holdpb.HoldRecord>) => h.rpc.upsertHolds({ holds: [holdpb.HoldRecord.fromPartial({ ...demoHolds().holds[1], externalId: "NEW", ...r })] });
    await expect(bad({ externalId: "" })).rejects.toMatchObject({ code: 3, details: expect.stringContaining("external_id is required") });
    await expect(bad({ patron: patronRef("P9999") })).rejects.toMatchObject({ code: 3, details: expect.stringContaining("patron P9999 not found") });
    await expect(bad({ status: holdpb.HoldStatus.AVAILABLE })).rejects.toMatchObject({ details: expect.stringContaining("trapped_item is required") });
    expect(await h.db.selectFrom("holds").select("hold_id").execute()).toHaveLength(2);
  });

  /** The loan service's ItemCheckedIn of a copy, with the trap it decided (hold id, in transit) when it names a hold. */
  const checkIn = (barcode: string, trap: { holdId: string; inTransit: boolean; destination: string } | null, location = "MAIN") =>
    h.publish.checkin(barcode, { location, holdId: trap?.holdId ?? "", inTransit: trap?.inTransit ?? false, destinationLocation: trap?.destination ?? "" });
  const trapWarnings = () => h.warnings.filter((w) => w.msg.includes("named a hold that can no longer take the copy"));
  let ada = "";
  let katherine = "";
  let trappedAtMain: events.EventEnvelope;

  it("an ItemCheckedIn naming a hold traps the copy for it on this branch's hold shelf (the loan service passed over an expired hold)", async () => {
    // P0006 first, expiring almost at once; then P0001 (pickup here), then P0005 (pickup EAST).
    accepted(await h.send(placeHold("P0006", { titleIdentifier: "", item: itemRef("I0001"), pickupLocation: "EAST", expiresAt: new Date(Date.now() + 300) })), "placeHold");
    ada = accepted(await h.send(placeHold("P0001", { item: itemRef("I0001"), pickupLocation: "MAIN" })), "placeHold").holdId;
    katherine = accepted(await h.send(placeHold("P0005", { item: itemRef("I0001"), pickupLocation: "EAST" })), "placeHold").holdId;
    await delay(350);

    trappedAtMain = await checkIn("I0001", { holdId: ada, inTransit: false, destination: "MAIN" });
    const stored = (await eventually(() => h.storedEvents("bib-frankenstein"), (s) => s.length >= 5)).slice(3);
    expect(stored).toMatchObject([
      { type: "HoldTrapped", data: { holdId: ada, checkInId: trappedAtMain.causationId, item: itemRef("I0001"), itemId: "item-1", location: "MAIN", pickupLocation: "MAIN" } },
      { type: "HoldShelved", data: { holdId: ada, pickupLocation: "MAIN", item: itemRef("I0001") } },
    ]);
    expect(stored[0]!.data.inTransit).toBeUndefined();
    const listed = (await h.rpc.listHolds(byPatron("P0001"))).holds.find((x) => x.holdId === ada);
    expect(listed).toMatchObject({ patronId: "pat-1", status: holdpb.HoldStatus.AVAILABLE, trappedItem: itemRef("I0001"), queuePosition: 0 });
    expect(listed!.pickupBy!.getTime()).toBeGreaterThan(Date.now());
    const queue = await h.rpc.getQueue({ key: { $case: "item", value: itemRef("I0001") }, itemTitleId: "" });
    expect(queue.trappedHold).toMatchObject({ holdId: ada, status: holdpb.HoldStatus.AVAILABLE });

    // Published with the hold as it is after each event, caused by the loan event.
    const published = await Promise.all(stored.map((e) => h.published(e.eventId)));
    expect(published.map((m) => [m.event.type, (m.event.event as { current?: holdpb.Hold }).current?.status])).toEqual([
      ["HoldTrapped", holdpb.HoldStatus.AVAILABLE],
      ["HoldShelved", holdpb.HoldStatus.AVAILABLE],
    ]);
    expect(published.map((m) => m.envelope.causationId)).toEqual([trappedAtMain.eventId, trappedAtMain.eventId]);
    expect(trapWarnings()).toEqual([]);
  });

  it("the same ItemCheckedIn delivered again, or the same trap decided again, appends nothing", async () => {
    const before = await h.storedEvents("bib-frankenstein");
    await h.publish.again(trappedAtMain);
    await checkIn("I0001", { holdId: ada, inTransit: false, destination: "MAIN" });
    await h.loanEventsApplied();
    expect(await h.storedEvents("bib-frankenstein")).toEqual(before);
    expect(trapWarnings()).toEqual([]);
  });

  it("an ItemCheckedIn sending the copy in transit traps it for the named hold at another branch's pickup", async () => {
    await checkIn("I0003", { holdId: katherine, inTransit: true, destination: "EAST" });
    const stored = await eventually(() => h.storedEvents("bib-frankenstein"), (s) => s.at(-1)?.data.holdId === katherine);
    expect(stored.at(-1)).toMatchObject({ type: "HoldTrapped", data: { inTransit: true, pickupLocation: "EAST", itemId: "item-3", location: "MAIN" } });
    const listed = (await h.rpc.listHolds(byPatron("P0005"))).holds.find((x) => x.holdId === katherine);
    expect(listed).toMatchObject({ status: holdpb.HoldStatus.IN_TRANSIT, trappedItem: itemRef("I0003"), pickupLocation: "EAST" });
  });

  it("a named hold that can no longer take the copy does not get it: the next hold does, with a warning; with nobody next, nothing", async () => {
    // Dijkstra collects at EAST, Ada here.
    const dijkstra = accepted(await h.send(placeHold("P0006", { item: itemRef("I0011") })), "placeHold").holdId;
    const adaWar = accepted(await h.send(placeHold("P0001", { item: itemRef("I0011"), pickupLocation: "MAIN" })), "placeHold").holdId;
    await checkIn("I0011", { holdId: dijkstra, inTransit: true, destination: "EAST" });
    // The loan service's copy of the queue was behind: it named Dijkstra again for the second copy.
    await checkIn("I0012", { holdId: dijkstra, inTransit: true, destination: "EAST" });
    await h.loanEventsApplied();
    const stored = await h.storedEvents("bib-war-and-peace");
    expect(stored.map((e) => [e.type, e.data.holdId, (e.data.item as { barcode?: string } | undefined)?.barcode])).toEqual([
      ["HoldPlaced", dijkstra, undefined],
      ["HoldPlaced", adaWar, undefined],
      ["HoldTrapped", dijkstra, "I0011"],
      ["HoldTrapped", adaWar, "I0012"],
      ["HoldShelved", adaWar, "I0012"],
    ]);
    expect(trapWarnings()).toMatchObject([{ level: 40, namedHoldId: dijkstra, trappedFor: adaWar, item: itemRef("I0012") }]);

    // Ada cancels (I0012 is free again); a checkin naming her cancelled hold finds nobody else who may take it.
    accepted(await h.send(cancelHold("P0001", { item: itemRef("I0011") })), "cancelHold");
    const afterCancel = (await h.storedEvents("bib-war-and-peace")).length;
    await checkIn("I0012", { holdId: adaWar, inTransit: false, destination: "MAIN" });
    await h.loanEventsApplied();
    expect(await h.storedEvents("bib-war-and-peace")).toHaveLength(afterCancel);
    expect(trapWarnings().at(-1)).toMatchObject({ namedHoldId: adaWar, trappedFor: null });
  });

  it("an ItemCheckedIn naming no hold traps nothing, even with a hold waiting", async () => {
    accepted(await h.send(placeHold("P0005", { item: itemRef("I0012"), pickupLocation: "MAIN" })), "placeHold");
    const before = (await h.storedEvents("bib-war-and-peace")).length;
    await checkIn("I0012", null);
    await h.loanEventsApplied();
    expect(await h.storedEvents("bib-war-and-peace")).toHaveLength(before);
  });

  it("GetQueue tells the loan service whom a copy is trapped for, the item-level holds and the queue length", async () => {
    const q = await h.rpc.getQueue({ key: { $case: "item", value: itemRef("I0001") }, itemTitleId: "bib-frankenstein" });
    expect(q.trappedHold).toMatchObject({ patron: patronRef("P0001") });
    expect(q.queueLength).toBe(3);
    expect(q.holds.map((x) => x.patron?.barcode)).toEqual(["P0006", "P0001", "P0005"]);
    // The expired hold can take nothing; the others are trapped already.
    expect(q.fillableHolds).toEqual([]);

    accepted(await h.send(placeHold("P0006", { item: itemRef("I0002"), holdType: common.HoldType.SPECIFIC_COPY })), "placeHold");
    const copy = await h.rpc.getQueue({ key: { $case: "item", value: itemRef("I0002") }, itemTitleId: "" });
    expect(copy).toMatchObject({ queueLength: 1, trappedHold: undefined });
    expect(copy.fillableHolds.map((x) => [x.patron?.barcode, x.holdType, x.item?.barcode])).toEqual([["P0006", common.HoldType.SPECIFIC_COPY, "I0002"]]);
    expect((await h.rpc.getQueue({ key: { $case: "titleId", value: "bib-frankenstein" }, itemTitleId: "" })).queueLength).toBe(3);
  });

  it("ListHolds splits available (on the shelf or in transit) from unavailable (waiting) for the patron service", async () => {
    const ada = await h.rpc.listHolds(byPatron("P0001"));
    expect(ada).toMatchObject({ availableCount: 1, unavailableCount: 1 });
    expect(ada.holds.map((x) => [x.titleId, x.status])).toEqual([
      ["bib-sicp", holdpb.HoldStatus.WAITING],
      ["bib-frankenstein", holdpb.HoldStatus.AVAILABLE],
    ]);
  });

  it("a loan ItemCheckedOut by the hold patron fulfils the hold and the queue advances", async () => {
    accepted(await h.send(placeHold("P0006", { item: itemRef("I0006") })), "placeHold");
    expect((await h.rpc.listHolds(byPatron("P0006"))).holds.find((x) => x.titleId === "bib-cosmos")?.queuePosition).toBe(2);

    await publishCheckout("P0005", "I0006");
    const stored = await eventually(
      () => h.storedEvents("bib-cosmos"),
      (s) => s.some((e) => e.type === "HoldFulfilled"),
    );
    expect(stored.at(-1)).toMatchObject({ type: "HoldFulfilled", data: { patronId: "pat-5", item: itemRef("I0006"), loanId: expect.stringMatching(/^loan-/) } });
    expect((await h.rpc.listHolds(byPatron("P0006"))).holds.find((x) => x.titleId === "bib-cosmos")?.queuePosition).toBe(1);
    const row = await h.db.selectFrom("holds").select("status").where("external_id", "=", "OLD-H1").executeTakeFirstOrThrow();
    expect(row.status).toBe("fulfilled");
    const q = await h.rpc.getQueue({ key: { $case: "item", value: itemRef("I0006") }, itemTitleId: "" });
    expect(q).toMatchObject({ queueLength: 1, trappedHold: undefined });
    expect(await h.published(stored.at(-1)!.eventId)).toMatchObject({ subject: `${h.nats.subjectPrefix}.evt.hold.HoldFulfilled`, event: { type: "HoldFulfilled" } });
  });

  it("a copy trapped for someone else that leaves on a no-block checkout is released: that hold waits again", async () => {
    await publishCheckout("P0004", "I0003", true);
    const stored = await eventually(
      () => h.storedEvents("bib-frankenstein"),
      (s) => s.at(-1)?.type === "HoldTrapReleased",
    );
    expect(stored.at(-1)).toMatchObject({ type: "HoldTrapReleased", data: { item: itemRef("I0003"), reason: "checked_out_to_other", patronId: "pat-5" } });
    const katherine = await h.rpc.listHolds(byPatron("P0005"));
    expect(katherine.holds.find((x) => x.titleId === "bib-frankenstein")?.status).toBe(holdpb.HoldStatus.WAITING);
  });

  it("the expiry sweep closes a waiting hold past its expiry date (HoldExpired)", async () => {
    expect(await h.expireDueHolds()).toBe(1);
    expect((await h.storedEvents("bib-frankenstein")).at(-1)).toMatchObject({ type: "HoldExpired", data: { patronId: "pat-6" } });
    const q = await h.rpc.getQueue({ key: { $case: "titleId", value: "bib-frankenstein" }, itemTitleId: "" });
    expect(q.holds.map((x) => x.patron?.barcode)).toEqual(["P0001", "P0005"]);
  });
});
