import * as grpc from "@grpc/grpc-js";
import { commands, hold as holdpb, isPastDeadline } from "@circulate/contracts";
import { ProjectionBehindError } from "@circulate/service";
import { accepted, refused } from "@circulate/service/testing";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grpcPeers } from "../src/adapters/peers.js";
import { placeHoldHandler } from "../src/place-hold/place-hold.handler.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { cancelHold, changeHold, type Harness, itemRef, placeHold, startHarness } from "./hold.harness.js";

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
    const reply = accepted(outcome, "placeHold");
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

    // Found by its Nats-Msg-Id, which is the stored event's id.
    const published = await h.published(stored[0]!.eventId);
    expect(published).toMatchObject({ subject: `${h.nats.subjectPrefix}.evt.hold.HoldPlaced`, event: { type: "HoldPlaced", event: { holdId: reply.holdId } } });
    expect(published.envelope.eventId).toBe(stored[0]!.eventId);
  });

  it("places an item hold behind an existing one: position 2, not available, default pickup = the patron's home", async () => {
    const outcome = await h.send(placeHold("P0005", { item: itemRef("I0002"), holdType: "HOLD_TYPE_SPECIFIC_COPY" }));
    expect(accepted(outcome, "placeHold")).toMatchObject({ queuePosition: 2, available: false, pickupLocation: "MAIN", item: itemRef("I0002") });
    const [, placed] = await h.storedEvents("bib-dune");
    expect(placed?.data).toMatchObject({ holdType: "HOLD_TYPE_SPECIFIC_COPY", item: itemRef("I0002"), itemId: "item-2" });
  });

  it("says a copy on loan to someone else is not available", async () => {
    const outcome = await h.send(placeHold("P0001", { item: itemRef("I0007") }));
    expect(accepted(outcome, "placeHold")).toMatchObject({ queuePosition: 1, available: false, titleIdentifier: "bib-sicp" });
  });

  it("refuses a second hold by the same patron on the same title (duplicate)", async () => {
    const outcome = await h.send(placeHold("P0001", { titleIdentifier: "bib-dune" }));
    expect(refused(outcome).reason).toBe(Reason.HOLD_ALREADY_PLACED);
    expect(await h.storedEvents("bib-dune")).toHaveLength(2);
  });

  it("refuses an unknown patron, a wrong PIN, and a patron whose standing denies holds, with the precise reason", async () => {
    expect(refused(await h.send(placeHold("P9999", { item: itemRef("I0001") }))).reason).toBe(Reason.PATRON_NOT_FOUND);
    expect(refused(await h.send(placeHold("P0001", { item: itemRef("I0001"), pin: "0000" }))).reason).toBe(Reason.PATRON_PIN_INVALID);
    const blocked = await h.send(placeHold("P0004", { item: itemRef("I0001") }));
    expect(refused(blocked).reason).toBe(Reason.PATRON_BLOCKED);
    expect(refused(blocked).patron?.status?.holdPrivilegesDenied).toBe(true);
    expect(refused(await h.send(placeHold("P0002", { item: itemRef("I0001") }))).reason).toBe(Reason.PATRON_FINES_OVER_LIMIT);
    expect(refused(await h.send(placeHold("P0003", { item: itemRef("I0001") }))).reason).toBe(Reason.PATRON_EXPIRED);
    expect(await h.storedEvents("bib-frankenstein")).toEqual([]);
  });

  it("refuses an unknown item, a non-circulating one, and a title it has never met", async () => {
    expect(refused(await h.send(placeHold("P0001", { item: itemRef("I9999") }))).reason).toBe(Reason.ITEM_NOT_FOUND);
    expect(refused(await h.send(placeHold("P0001", { item: itemRef("I0004") }))).reason).toBe(Reason.ITEM_NOT_CIRCULATING);
    expect(refused(await h.send(placeHold("P0001", { titleIdentifier: "bib-nobody-knows" }))).reason).toBe(Reason.ITEM_NOT_FOUND);
  });

  it("changes the pickup location and expiry of the patron's hold named by title (HoldChanged)", async () => {
    const expiresAt = inDays(60);
    const outcome = await h.send(changeHold("P0005", { titleIdentifier: "bib-dune", pickupLocation: "EAST", expiresAt }));
    expect(accepted(outcome, "changeHold")).toMatchObject({ pickupLocation: "EAST", queuePosition: 2, available: false });
    const stored = await h.storedEvents("bib-dune");
    expect(stored.at(-1)).toMatchObject({ type: "HoldChanged", data: { pickupLocation: "EAST", expiresAt: expiresAt.toISOString(), patronId: "pat-5" } });
    const rows = await h.db.selectFrom("holds").select(["pickup_location", "expires_at"]).where("patron_key", "=", "MAIN/P0005").execute();
    expect(rows).toEqual([{ pickup_location: "EAST", expires_at: expiresAt }]);
  });

  it("cancels the patron's hold named by its copy; the queue moves up", async () => {
    const outcome = await h.send(cancelHold("P0001", { item: itemRef("I0002") }));
    expect(accepted(outcome, "cancelHold")).toMatchObject({ queuePosition: 0, available: false });
    expect((await h.storedEvents("bib-dune")).at(-1)).toMatchObject({ type: "HoldCancelled", data: { patronId: "pat-1", reason: "patron" } });
    const list = await h.rpc.listHolds({ key: { $case: "patron", value: { institutionId: "MAIN", barcode: "P0005" } }, includeClosed: false });
    expect(list.holds.map((x) => x.queuePosition)).toEqual([1]);
    expect(refused(await h.send(cancelHold("P0001", { item: itemRef("I0002") }))).reason).toBe(Reason.HOLD_NOT_FOUND);
  });

  it("applies a command delivered twice once, and replays the same reply", async () => {
    const env = h.gateway.envelope(placeHold("P0006", { item: itemRef("I0006"), pickupLocation: "EAST" }));
    const first = await h.deliver(env);
    const second = await h.deliver(env);
    expect(first.replayed).toBe(false);
    expect(second.replayed).toBe(true);
    expect(commands.Outcome.toJSON({ ...second, replayed: false })).toEqual(commands.Outcome.toJSON(first));
    expect(await h.storedEvents("bib-cosmos")).toHaveLength(1);
    // A refusal is recorded too: the second delivery does not ask the patron service again.
    const badPin = h.gateway.envelope(placeHold("P0001", { item: itemRef("I0001"), pin: "0000" }));
    expect(refused(await h.deliver(badPin)).reason).toBe(Reason.PATRON_PIN_INVALID);
    expect(await h.deliver(badPin)).toMatchObject({ replayed: true });
  });

  it("drops a command past its deadline unapplied", async () => {
    const env = h.gateway.envelope(placeHold("P0005", { item: itemRef("I0003") }), { deadline: new Date(Date.now() - 1_000) });
    expect(isPastDeadline(env)).toBe(true);
    expect(refused(await h.deliver(env)).reason).toBe(Reason.DEADLINE_EXCEEDED);
    expect(await h.storedEvents("bib-frankenstein")).toEqual([]);
    const recorded = await h.db.selectFrom("idempotency").select("command_id").where("command_id", "=", env.commandId).execute();
    expect(recorded).toEqual([]);
  });

  it("drops a command whose deadline passes while the patron service is slow, and applies nothing", async () => {
    h.peers.verifyDelayMs = 400;
    try {
      const env = h.gateway.envelope(placeHold("P0005", { item: itemRef("I0003") }), { deadline: new Date(Date.now() + 200) });
      expect(refused(await h.deliver(env)).reason).toBe(Reason.DEADLINE_EXCEEDED);
    } finally {
      h.peers.verifyDelayMs = 0;
    }
    expect(await h.storedEvents("bib-frankenstein")).toEqual([]);
  });

  it("refuses unapplied, BACKEND_UNAVAILABLE, a hold on a copy it does not know while its item facts are behind", async () => {
    const peers = grpcPeers({ patron: h.peers.address }, grpc.credentials.createInsecure());
    try {
      const handle = placeHoldHandler({
        db: h.db,
        peers,
        projections: {
          caughtUp: async () => {
            throw new ProjectionBehindError("item facts behind");
          },
        },
        settings: DEFAULT_SETTINGS,
        logger: pino({ level: "silent" }),
        eventsCommitted: () => {},
        now: () => new Date(),
      });
      const env = h.gateway.envelope(placeHold("P0005", { item: itemRef("I-NOT-YET") }));
      if (env.command?.$case !== "placeHold") throw new Error("not a 15 +");
      expect(refused(await handle(env.command.value, env)).reason).toBe(Reason.BACKEND_UNAVAILABLE);
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
