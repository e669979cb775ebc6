import { setTimeout as delay } from "node:timers/promises";
import { common, hold as holdpb } from "@circulate/contracts";
import type * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accepted, type Harness, itemRef, patronRef, placeHold, startHarness } from "./hold.harness.js";

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

  it("TrapOnCheckin skips an expired hold and puts the copy on this branch's hold shelf for the next (alert 01)", async () => {
    // P0006 first, expiring almost at once; then P0001 (pickup here), then P0005 (pickup EAST).
    accepted(await h.send(placeHold("P0006", { titleIdentifier: "", item: itemRef("I0001"), pickupLocation: "EAST", expiresAt: new Date(Date.now() + 300) })));
    accepted(await h.send(placeHold("P0001", { item: itemRef("I0001"), pickupLocation: "MAIN" })));
    accepted(await h.send(placeHold("P0005", { item: itemRef("I0001"), pickupLocation: "EAST" })));
    await delay(350);

    const trap = await h.rpc.trapOnCheckin({ checkInId: "checkin-1", item: itemRef("I0001"), itemId: "item-1", titleId: "bib-frankenstein", location: "MAIN" });
    expect(trap).toMatchObject({ inTransit: false, alertType: common.AlertType.LOCAL_HOLD, destination: "MAIN" });
    expect(trap.hold).toMatchObject({ patron: patronRef("P0001"), patronId: "pat-1", status: holdpb.HoldStatus.AVAILABLE, trappedItem: itemRef("I0001") });
    const stored = (await h.storedEvents("bib-frankenstein")).slice(3);
    expect(stored).toMatchObject([
      { type: "HoldTrapped", data: { checkInId: "checkin-1", item: itemRef("I0001"), location: "MAIN", pickupLocation: "MAIN" } },
      { type: "HoldShelved", data: { pickupLocation: "MAIN", item: itemRef("I0001") } },
    ]);
    expect(stored[0]!.data.inTransit).toBeUndefined();
  });

  it("TrapOnCheckin with the same check_in_id returns the same trap and appends nothing", async () => {
    const before = (await h.storedEvents("bib-frankenstein")).length;
    const again = await h.rpc.trapOnCheckin({ checkInId: "checkin-1", item: itemRef("I0001"), itemId: "item-1", titleId: "bib-frankenstein", location: "MAIN" });
    expect(again).toMatchObject({ inTransit: false, alertType: common.AlertType.LOCAL_HOLD, hold: { patron: patronRef("P0001") } });
    expect(await h.storedEvents("bib-frankenstein")).toHaveLength(before);
  });

  it("TrapOnCheckin sends a copy in transit to another branch's pickup (alert 02, destination)", async () => {
    // No title id: the hold service knows the copy's title from the item service's events.
    const trap = await h.rpc.trapOnCheckin({ checkInId: "checkin-2", item: itemRef("I0003"), itemId: "", titleId: "", location: "MAIN" });
    expect(trap).toMatchObject({ inTransit: true, alertType: common.AlertType.REMOTE_HOLD, destination: "EAST" });
    expect(trap.hold).toMatchObject({ patron: patronRef("P0005"), status: holdpb.HoldStatus.IN_TRANSIT, pickupLocation: "EAST" });
    expect((await h.storedEvents("bib-frankenstein")).at(-1)).toMatchObject({ type: "HoldTrapped", data: { inTransit: true, pickupLocation: "EAST", itemId: "item-3" } });
  });

  it("two copies of a title checked in at once never trap the same hold: the second is decided again and traps nothing", async () => {
    accepted(await h.send(placeHold("P0006", { item: itemRef("I0011") })));
    const checkIn = (barcode: string, id: string) =>
      h.rpc.trapOnCheckin({ checkInId: id, item: itemRef(barcode), itemId: "", titleId: "bib-war-and-peace", location: "MAIN" });
    const results = await Promise.all([checkIn("I0011", "race-a"), checkIn("I0012", "race-b")]);
    const trapped = results.filter((r) => r.hold !== undefined);
    expect(trapped).toHaveLength(1);
    // Whichever reached the queue first wins; the other was decided again against its trap.
    const winner = trapped[0]!.hold!.trappedItem;
    expect(["I0011", "I0012"]).toContain(winner?.barcode);
    // Dijkstra collects at EAST, so the copy checked in at MAIN is trapped in transit (no shelving here).
    const stored = await h.storedEvents("bib-war-and-peace");
    expect(stored.map((e) => e.type)).toEqual(["HoldPlaced", "HoldTrapped"]);
    expect(stored[1]).toMatchObject({ data: { item: itemRef(winner!.barcode), inTransit: true, pickupLocation: "EAST" } });
  });

  it("TrapOnCheckin traps nothing when no hold may take the copy, and rejects a request without check_in_id", async () => {
    expect(await h.rpc.trapOnCheckin({ checkInId: "checkin-3", item: itemRef("I0002"), itemId: "", titleId: "bib-dune", location: "MAIN" })).toEqual(
      holdpb.TrapOnCheckinResponse.create(),
    );
    await expect(h.rpc.trapOnCheckin({ checkInId: "", item: itemRef("I0002"), itemId: "", titleId: "", location: "MAIN" })).rejects.toMatchObject({
      code: 3 satisfies grpc.status.INVALID_ARGUMENT,
    });
  });

  it("GetQueue tells the loan service whom a copy is trapped for, the item-level holds and the queue length", async () => {
    const q = await h.rpc.getQueue({ key: { $case: "item", value: itemRef("I0001") }, itemTitleId: "bib-frankenstein" });
    expect(q.trappedHold).toMatchObject({ patron: patronRef("P0001") });
    expect(q.queueLength).toBe(3);
    expect(q.holds.map((x) => x.patron?.barcode)).toEqual(["P0006", "P0001", "P0005"]);
    // The expired hold can take nothing; the others are trapped already.
    expect(q.fillableHolds).toEqual([]);

    accepted(await h.send(placeHold("P0006", { item: itemRef("I0002"), holdType: common.HoldType.SPECIFIC_COPY })));
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
    accepted(await h.send(placeHold("P0006", { item: itemRef("I0006") })));
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
    const fulfilled = (m: { type: string; subject: string }) => m.type === "HoldFulfilled" && m.subject.endsWith(".evt.hold.HoldFulfilled");
    expect((await h.published((all) => all.some(fulfilled))).some(fulfilled)).toBe(true);
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
