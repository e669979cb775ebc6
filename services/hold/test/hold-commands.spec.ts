import { commands, hold as holdpb, isPastDeadline } from "@circulate/contracts";
import { ProjectionBehindError } from "@circulate/service";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grpcPeers } from "../src/adapters/peers.js";
import { placeHoldHandler } from "../src/place-hold/place-hold.handler.js";
import { accepted, cancelHold, changeHold, type Harness, itemRef, placeHold, refusal, startHarness } from "./hold.harness.js";

const Reason = commands.RefusalReason;
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000);

describe("15 hold: place, cancel, change over NATS", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("places a title hold: HoldPlaced stored, projection row, reply with queue position, available flag, expiry and pickup", async () => {
    const expiresAt = inDays(30);
    const outcome = await h.send(placeHold("P0001", { item: itemRef("I0002"), holdType: "HOLD_TYPE_ANY_COPY", pickupLocation: "EAST", expiresAt }));
    const reply = accepted(outcome);
    expect(reply).toMatchObject({ queuePosition: 1, available: true, pickupLocation: "EAST", titleIdentifier: "bib-dune", title: "Dune" });
    expect(reply.expiresAt?.toISOString()).toBe(expiresAt.toISOString());

    const stored = await h.storedEvents("bib-dune");
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      type: "HoldPlaced",
      data: { holdId: reply.holdId, patronId: "pat-1", patron: { institutionId: "MAIN", barcode: "P0001" }, holdType: "HOLD_TYPE_ANY_COPY", titleId: "bib-dune" },
    });
    const row = await h.db.selectFrom("holds").selectAll().where("hold_id", "=", reply.holdId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "waiting", patron_key: "MAIN/P0001", pickup_location: "EAST", target_kind: "title", title_id: "bib-dune" });

    const published = await h.published((m) => m.length >= 1);
    expect(published[0]).toMatchObject({ subject: `${h.nats.subjectPrefix}.evt.hold.HoldPlaced`, type: "HoldPlaced", event: { holdId: reply.holdId } });
    expect(published[0]!.msgId).toBe(published[0]!.envelope.eventId);
  });

  it("places an item hold behind an existing one: position 2, not available, default pickup = the patron's home", async () => {
    const outcome = await h.send(placeHold("P0005", { item: itemRef("I0002"), holdType: "HOLD_TYPE_SPECIFIC_COPY" }));
    expect(accepted(outcome)).toMatchObject({ queuePosition: 2, available: false, pickupLocation: "MAIN", item: itemRef("I0002") });
    const [, placed] = await h.storedEvents("bib-dune");
    expect(placed?.data).toMatchObject({ holdType: "HOLD_TYPE_SPECIFIC_COPY", item: itemRef("I0002"), itemId: "item-2" });
  });

  it("says a copy on loan to someone else is not available", async () => {
    const outcome = await h.send(placeHold("P0001", { item: itemRef("I0007") }));
    expect(accepted(outcome)).toMatchObject({ queuePosition: 1, available: false, titleIdentifier: "bib-sicp" });
  });

  it("refuses a second hold by the same patron on the same title (duplicate)", async () => {
    const outcome = await h.send(placeHold("P0001", { titleIdentifier: "bib-dune" }));
    expect(refusal(outcome)).toBe(Reason.HOLD_ALREADY_PLACED);
    expect(await h.storedEvents("bib-dune")).toHaveLength(2);
  });

  it("refuses an unknown patron, a wrong PIN, and a patron whose standing denies holds, with the precise reason", async () => {
    expect(refusal(await h.send(placeHold("P9999", { item: itemRef("I0001") })))).toBe(Reason.PATRON_NOT_FOUND);
    expect(refusal(await h.send(placeHold("P0001", { item: itemRef("I0001"), pin: "0000" })))).toBe(Reason.PATRON_PIN_INVALID);
    const blocked = await h.send(placeHold("P0004", { item: itemRef("I0001") }));
    expect(refusal(blocked)).toBe(Reason.PATRON_BLOCKED);
    expect(blocked.result?.$case === "refused" && blocked.result.value.patron?.status?.holdPrivilegesDenied).toBe(true);
    expect(refusal(await h.send(placeHold("P0002", { item: itemRef("I0001") })))).toBe(Reason.PATRON_FINES_OVER_LIMIT);
    expect(refusal(await h.send(placeHold("P0003", { item: itemRef("I0001") })))).toBe(Reason.PATRON_EXPIRED);
    expect(await h.storedEvents("bib-frankenstein")).toEqual([]);
  });

  it("refuses an unknown item, a non-circulating one, and a title it has never met", async () => {
    expect(refusal(await h.send(placeHold("P0001", { item: itemRef("I9999") })))).toBe(Reason.ITEM_NOT_FOUND);
    expect(refusal(await h.send(placeHold("P0001", { item: itemRef("I0004") })))).toBe(Reason.ITEM_NOT_CIRCULATING);
    expect(refusal(await h.send(placeHold("P0001", { titleIdentifier: "bib-nobody-knows" })))).toBe(Reason.ITEM_NOT_FOUND);
  });

  it("changes the pickup location and expiry of the patron's hold named by title (HoldChanged)", async () => {
    const expiresAt = inDays(60);
    const outcome = await h.send(changeHold("P0005", { titleIdentifier: "bib-dune", pickupLocation: "EAST", expiresAt }));
    expect(accepted(outcome)).toMatchObject({ pickupLocation: "EAST", queuePosition: 2, available: false });
    const stored = await h.storedEvents("bib-dune");
    expect(stored.at(-1)).toMatchObject({ type: "HoldChanged", data: { pickupLocation: "EAST", expiresAt: expiresAt.toISOString(), patronId: "pat-5" } });
    const rows = await h.db.selectFrom("holds").select(["pickup_location", "expires_at"]).where("patron_key", "=", "MAIN/P0005").execute();
    expect(rows).toEqual([{ pickup_location: "EAST", expires_at: expiresAt }]);
  });

  it("cancels the patron's hold named by its copy; the queue moves up", async () => {
    const outcome = await h.send(cancelHold("P0001", { item: itemRef("I0002") }));
    expect(accepted(outcome)).toMatchObject({ queuePosition: 0, available: false });
    expect((await h.storedEvents("bib-dune")).at(-1)).toMatchObject({ type: "HoldCancelled", data: { patronId: "pat-1", reason: "patron" } });
    const list = await h.rpc.listHolds({ key: { $case: "patron", value: { institutionId: "MAIN", barcode: "P0005" } }, includeClosed: false });
    expect(list.holds.map((x) => x.queuePosition)).toEqual([1]);
    expect(refusal(await h.send(cancelHold("P0001", { item: itemRef("I0002") })))).toBe(Reason.HOLD_NOT_FOUND);
  });

  it("applies a command delivered twice once, and replays the same reply", async () => {
    const env = h.envelope(placeHold("P0006", { item: itemRef("I0006"), pickupLocation: "EAST" }));
    const first = await h.deliver(env);
    const second = await h.deliver(env);
    expect(first.replayed).toBe(false);
    expect(second.replayed).toBe(true);
    expect(commands.Outcome.toJSON({ ...second, replayed: false })).toEqual(commands.Outcome.toJSON(first));
    expect(await h.storedEvents("bib-cosmos")).toHaveLength(1);
    // A refusal is recorded too: the second delivery does not ask the patron service again.
    const refused = h.envelope(placeHold("P0001", { item: itemRef("I0001"), pin: "0000" }));
    expect(refusal(await h.deliver(refused))).toBe(Reason.PATRON_PIN_INVALID);
    expect(await h.deliver(refused)).toMatchObject({ replayed: true });
  });

  it("drops a command past its deadline unapplied", async () => {
    const env = h.envelope(placeHold("P0005", { item: itemRef("I0003") }), { deadline: new Date(Date.now() - 1_000) });
    expect(isPastDeadline(env)).toBe(true);
    expect(refusal(await h.deliver(env))).toBe(Reason.DEADLINE_EXCEEDED);
    expect(await h.storedEvents("bib-frankenstein")).toEqual([]);
    const recorded = await h.db.selectFrom("idempotency").select("command_id").where("command_id", "=", env.commandId).execute();
    expect(recorded).toEqual([]);
  });

  it("drops a command whose deadline passes while the patron service is slow, and applies nothing", async () => {
    h.peers.verifyDelayMs = 400;
    try {
      const env = h.envelope(placeHold("P0005", { item: itemRef("I0003") }), { deadline: new Date(Date.now() + 200) });
      expect(refusal(await h.deliver(env))).toBe(Reason.DEADLINE_EXCEEDED);
    } finally {
      h.peers.verifyDelayMs = 0;
    }
    expect(await h.storedEvents("bib-frankenstein")).toEqual([]);
  });

  it("refuses unapplied, BACKEND_UNAVAILABLE, a hold on a copy it does not know while its item facts are behind", async () => {
    const peers = grpcPeers({ patron: h.peers.address });
    try {
      const handle = placeHoldHandler({
        db: h.db,
        peers,
        projections: {
          caughtUp: async () => {
            throw new ProjectionBehindError("item facts behind");
          },
        },
        settings: { shelfDays: 7, pickupLocations: null },
        logger: pino({ level: "silent" }),
        eventsCommitted: () => {},
        now: () => new Date(),
      });
      const env = h.envelope(placeHold("P0005", { item: itemRef("I-NOT-YET") }));
      if (env.command?.$case !== "placeHold") throw new Error("not a 15 +");
      expect(refusal(await handle(env.command.value, env))).toBe(Reason.BACKEND_UNAVAILABLE);
      const recorded = await h.db.selectFrom("idempotency").select("command_id").where("command_id", "=", env.commandId).execute();
      expect(recorded).toEqual([]);
    } finally {
      peers.close();
    }
  });

  it("lists a patron's holds with their status for the patron service", async () => {
    const list = await h.rpc.listHolds({ key: { $case: "patronId", value: "pat-5" }, includeClosed: false });
    expect(list).toMatchObject({ availableCount: 0, unavailableCount: 1 });
    expect(list.holds[0]).toMatchObject({ status: holdpb.HoldStatus.WAITING, titleId: "bib-dune", pickupLocation: "EAST" });
  });
});
