import { type ServiceName, staffConsole } from "@circulate/contracts";
import { sql } from "kysely";
import { expect, it } from "vitest";
import { consoleStreamName } from "../src/console.js";
import { eventually, STAFF, streamEnvelopes, verifyPin } from "./support/fixtures.js";
import type { Suite } from "./support/suite.js";

/** The console's StaffActionTaken events of one action, from its own store. */
async function recorded(suite: Suite, action: string) {
  const rows = await suite
    .stack()
    .console.db.selectFrom("events")
    .select(["event_id", "payload"])
    .where("type", "=", "StaffActionTaken")
    .where(sql<boolean>`payload->>'action' = ${action}`)
    .orderBy("global_position")
    .execute();
  return rows.map((r) => ({ ...(r.payload as Record<string, unknown>), eventId: r.event_id }) as { eventId: string; target?: string; reason?: string });
}

/** The `staff` of a service's own events of one type, from its store. */
async function staffOf(suite: Suite, service: ServiceName, type: string): Promise<string[]> {
  const rows = await suite.stack().services[service].db.selectFrom("events").select("payload").where("type", "=", type).execute();
  return rows.map((r) => (r.payload as { staff?: string }).staff ?? "");
}

/** The event is on the console's JetStream stream, under `<prefix>.evt.console.StaffActionTaken`. */
async function published(suite: Suite, eventId: string) {
  const { nats } = suite.stack();
  const found = await eventually(
    () => streamEnvelopes(nats.url, consoleStreamName(nats.streamPrefix)),
    (all) => all.some((m) => m.envelope.eventId === eventId),
    `event ${eventId} on JetStream`,
  );
  return found.find((m) => m.envelope.eventId === eventId)!;
}

export function actionTests(suite: Suite): void {
  it("lifts a PIN lock at the patron service, which records the signed-in staff member, and records the action", async () => {
    const stack = suite.stack();
    // EAST locks after five wrong PINs, until staff lift it.
    for (let i = 0; i < 5; i++) await verifyPin(stack, "EAST", "P0006", "0000");
    expect((await verifyPin(stack, "EAST", "P0006", "1234")).pinLocked).toBe(true);
    const carl = suite.client();
    await carl.login(STAFF.circulation.name, STAFF.circulation.password);
    expect((await carl.send("GET", "/api/patrons/EAST/P0006")).body).toMatchObject({ name: "Edsger Dijkstra", pinLocked: true });

    const answer = await carl.send("POST", "/api/patrons/EAST/P0006/unlock-pin", { reason: "called the desk" });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ patron: { barcode: "P0006", pinLocked: false } });
    expect((await verifyPin(stack, "EAST", "P0006", "1234")).standing?.pinValid).toBe(true);

    const unlocked = await stack.services.patron.db
      .selectFrom("events")
      .select("payload")
      .where("type", "=", "PinUnlocked")
      .execute();
    expect(unlocked.map((r) => (r.payload as { staff: string }).staff)).toContain("carl");

    const [event] = (await recorded(suite, "patron.unlock-pin")).filter((e) => e.target === "patron EAST/P0006");
    expect(event).toMatchObject({ staff: "carl", role: "circulation", target: "patron EAST/P0006", reason: "called the desk", result: "done" });
    const message = await published(suite, event!.eventId);
    // Published as the services publish theirs: an EventEnvelope (protobuf) around a library.console.v1 message.
    expect(message.subject).toBe(`${stack.nats.subjectPrefix}.evt.console.StaffActionTaken`);
    expect([message.msgId, message.otherHeaders]).toEqual([event!.eventId, []]);
    expect(message.envelope).toMatchObject({ type: "StaffActionTaken", payloadType: "library.console.v1.StaffActionTaken", streamId: "staff-carl", streamPosition: expect.any(Number) });
    expect(message.envelope.globalPosition).toBeGreaterThan(0);
    expect(message.event).toEqual({
      type: "StaffActionTaken",
      event: staffConsole.StaffActionTaken.create({ staff: "carl", role: "circulation", action: "patron.unlock-pin", target: "patron EAST/P0006", reason: "called the desk", result: "done" }),
    });
  });

  it("waives a fee at the fee service with the reason, and records who did it", async () => {
    const carl = suite.client();
    await carl.login(STAFF.circulation.name, STAFF.circulation.password);
    const before = (await carl.send("GET", "/api/patrons/MAIN/P0002/fees")).body as {
      balance: { amountMinor: number };
      charges: { feeId: string; outstanding: { amountMinor: number }; description: string }[];
    };
    const damage = before.charges.find((c) => c.description === "Damaged dust jacket")!;
    expect(damage.outstanding.amountMinor).toBe(500);

    const waive = () => carl.send("POST", `/api/fees/${damage.feeId}/waive`, { reason: "jacket was already torn" }, { "idempotency-key": "desk-42" });
    const answer = await waive();
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ charge: { feeId: damage.feeId, outstanding: { amountMinor: 0, currency: "USD" } } });
    const after = (await carl.send("GET", "/api/patrons/MAIN/P0002/fees")).body as typeof before;
    expect(after.balance.amountMinor).toBe(before.balance.amountMinor - 500);
    expect(after.charges.map((c) => c.feeId)).not.toContain(damage.feeId);

    // Sent again with the same key (an answer lost on the way): the same answer, nothing waived twice;
    // the key is the client's per fee, so another fee with it is waived.
    const again = await waive();
    expect([again.status, again.body]).toEqual([200, answer.body]);
    const overdue = before.charges.find((c) => c !== damage)!;
    expect((await carl.send("POST", `/api/fees/${overdue.feeId}/waive`, { reason: "x", amountMinor: 1 }, { "idempotency-key": "desk-42" })).status).toBe(200);
    expect(((await carl.send("GET", "/api/patrons/MAIN/P0002/fees")).body as typeof before).balance.amountMinor).toBe(before.balance.amountMinor - 501);

    const [event, replayed] = (await recorded(suite, "fee.waive")).filter((e) => e.target === `fee ${damage.feeId}`);
    expect(event).toMatchObject({ staff: "carl", role: "circulation", reason: "jacket was already torn", result: "done" });
    expect(replayed).toMatchObject({ staff: "carl", result: "done" });
    await published(suite, event!.eventId);
    expect(await staffOf(suite, "fee", "FeeWaived")).toContain("carl");
  });

  it("records a refused action with what the service said, and answers with the service's refusal", async () => {
    const carl = suite.client();
    await carl.login(STAFF.circulation.name, STAFF.circulation.password);
    const answer = await carl.send("POST", "/api/fees/no-such-fee/waive", { reason: "test" });
    expect([answer.status, (answer.body as { error: string }).error]).toEqual([404, "not_found"]);
    const [event] = (await recorded(suite, "fee.waive")).filter((e) => e.target === "fee no-such-fee");
    expect(event).toMatchObject({ staff: "carl", result: "refused", detail: expect.stringContaining("NOT_FOUND") });
    expect((await carl.send("GET", "/api/patrons/MAIN/NOBODY")).status).toBe(404);
  });

  it("shows an item with its loan and holds queue", async () => {
    const vera = suite.client();
    await vera.login(STAFF.viewer.name, STAFF.viewer.password);
    const i7 = (await vera.send("GET", "/api/items/MAIN/I0007")).body;
    expect(i7).toMatchObject({ loan: { patron: { barcode: "P0006" } }, holds: { queueLength: 1, queue: [{ patron: { barcode: "P0001" } }] } });
    expect((await vera.send("GET", "/api/patrons/MAIN/P0005/loans")).body).toMatchObject({ overdue: 1, loans: [{ item: { barcode: "I0005" }, overdue: true }] });
  });

  it("gives administrators the console's audit trail, per staff member", async () => {
    const ada = suite.client();
    await ada.login(STAFF.administrator.name, STAFF.administrator.password);
    const trail = (await ada.send("GET", "/api/audit?staff=carl&limit=50")).body as { entries: { staff: string; type: string; action?: string }[] };
    expect(trail.entries.length).toBeGreaterThan(0);
    expect(new Set(trail.entries.map((e) => e.staff))).toEqual(new Set(["carl"]));
    expect(trail.entries.map((e) => e.action)).toEqual(expect.arrayContaining(["patron.unlock-pin", "fee.waive"]));
    expect(trail.entries.map((e) => e.type)).toContain("StaffLoggedIn");
    const failed = (await ada.send("GET", "/api/audit?staff=tess")).body as { entries: { type: string; reason?: string }[] };
    expect(failed.entries.map((e) => e.reason)).toEqual(expect.arrayContaining(["unknown-or-wrong-password", "throttled"]));
  });

  it("records a card lost and found at the patron service with the signed-in staff member", async () => {
    const carl = suite.client();
    await carl.login(STAFF.circulation.name, STAFF.circulation.password);
    expect((await carl.send("POST", "/api/patrons/MAIN/P0005/card-lost", { lost: true, reason: "phoned in" })).body).toMatchObject({ patron: { cardLost: true } });
    expect((await carl.send("POST", "/api/patrons/MAIN/P0005/card-lost", { lost: false })).body).toMatchObject({ patron: { cardLost: false } });
    expect(await staffOf(suite, "patron", "PatronCardReportedLost")).toContain("carl");
    expect(await staffOf(suite, "patron", "PatronCardFound")).toContain("carl");
  });

  it("finds patrons by the start of their name, for a viewer", async () => {
    const vera = suite.client();
    await vera.login(STAFF.viewer.name, STAFF.viewer.password);
    const ada = await vera.send("GET", "/api/patrons/MAIN?name=Ada");
    expect(ada.status).toBe(200);
    expect(ada.body).toMatchObject({ patrons: [{ barcode: "P0001", name: "Ada Lovelace" }], more: false });
    // Ada and Alan start with "a": one of them, by name, and more.
    const one = (await vera.send("GET", "/api/patrons/MAIN?name=a&limit=1")).body as { patrons: { barcode: string }[]; more: boolean };
    expect([one.patrons.map((p) => p.barcode), one.more]).toEqual([["P0001"], true]);
    expect((await vera.send("GET", "/api/patrons/EAST?name=Ada")).body).toEqual({ patrons: [], more: false });
    expect((await vera.send("GET", "/api/patrons/MAIN")).status).toBe(400);
  });

  it("blocks and unblocks a patron at the patron service, which names the staff member", async () => {
    const carl = suite.client();
    await carl.login(STAFF.circulation.name, STAFF.circulation.password);
    expect((await carl.send("POST", "/api/patrons/MAIN/P0001/block", {})).status).toBe(400);
    const blocked = await carl.send("POST", "/api/patrons/MAIN/P0001/block", { reason: "returned books damaged" });
    expect(blocked.body).toMatchObject({ patron: { blocked: true, blockReason: "returned books damaged" } });
    const standing = (await carl.send("GET", "/api/patrons/MAIN/P0001")).body;
    expect(standing).toMatchObject({ blocked: true, standing: { flags: { chargePrivilegesDenied: true, holdPrivilegesDenied: true } } });

    expect((await carl.send("POST", "/api/patrons/MAIN/P0001/unblock", { reason: "paid for them" })).body).toMatchObject({ patron: { blocked: false } });
    expect((await carl.send("GET", "/api/patrons/MAIN/P0001")).body).toMatchObject({ blocked: false, standing: { flags: { chargePrivilegesDenied: false } } });
    expect(await staffOf(suite, "patron", "PatronBlocked")).toContain("carl");
    expect(await staffOf(suite, "patron", "PatronEnabled")).toContain("carl");

    // The route table's blocks of P0001 are recorded too: these are the ones with this test's reasons.
    const [block] = (await recorded(suite, "patron.block")).filter((e) => e.target === "patron MAIN/P0001" && e.reason === "returned books damaged");
    expect(block).toMatchObject({ staff: "carl", role: "circulation", result: "done" });
    const [unblock] = (await recorded(suite, "patron.unblock")).filter((e) => e.target === "patron MAIN/P0001" && e.reason === "paid for them");
    expect(unblock).toMatchObject({ staff: "carl", role: "circulation", result: "done" });
    expect((await carl.send("POST", "/api/patrons/MAIN/NOBODY/block", { reason: "x" })).status).toBe(404);
  });

  it("marks an item found and missing at the item service, with the note", async () => {
    const carl = suite.client();
    await carl.login(STAFF.circulation.name, STAFF.circulation.password);
    const state = async () => ((await carl.send("GET", "/api/items/MAIN/I0008")).body as { item: { state: string } }).item.state;
    expect(await state()).toBe("ITEM_STATE_MISSING");
    expect((await carl.send("POST", "/api/items/MAIN/I0008/found", { note: "behind the shelf" })).body).toMatchObject({ item: { barcode: "I0008", state: "ITEM_STATE_AVAILABLE" } });
    expect(await state()).toBe("ITEM_STATE_AVAILABLE");
    expect((await carl.send("POST", "/api/items/MAIN/I0008/missing", { note: "inventory" })).status).toBe(200);
    expect(await state()).toBe("ITEM_STATE_MISSING");
    expect(await staffOf(suite, "item", "ItemFound")).toContain("carl");
    expect(await staffOf(suite, "item", "ItemMarkedMissing")).toContain("carl");
    const [found] = (await recorded(suite, "item.found")).filter((e) => e.target === "item MAIN/I0008");
    expect(found).toMatchObject({ staff: "carl", reason: "behind the shelf", result: "done" });
    expect((await carl.send("POST", "/api/items/MAIN/I0008/missing", {})).status).toBe(400);
    expect((await carl.send("POST", "/api/items/MAIN/NOITEM/missing", { note: "x" })).status).toBe(404);
  });

  it("cancels a hold at the hold service: gone from the patron's holds, the service names the staff member", async () => {
    const carl = suite.client();
    await carl.login(STAFF.circulation.name, STAFF.circulation.password);
    type Holds = { holds: { holdId: string; item: { barcode: string } | null }[] };
    const before = (await carl.send("GET", "/api/patrons/MAIN/P0001/holds")).body as Holds;
    // The demo's hold of P0001 on I0007 (after the item test, which shows it in I0007's queue).
    const holdId = before.holds.find((h) => h.item?.barcode === "I0007")!.holdId;
    const answer = await carl.send("POST", `/api/holds/${holdId}/cancel`, { reason: "patron asked at the desk" });
    expect(answer.body).toMatchObject({ hold: { holdId, status: "HOLD_STATUS_CANCELLED" } });
    const after = (await carl.send("GET", "/api/patrons/MAIN/P0001/holds")).body as Holds;
    expect(after.holds.map((h) => h.holdId)).not.toContain(holdId);
    expect((await carl.send("GET", "/api/items/MAIN/I0007")).body).toMatchObject({ holds: { queueLength: 0 } });
    expect(await staffOf(suite, "hold", "HoldCancelled")).toContain("carl");
    const [event] = (await recorded(suite, "hold.cancel")).filter((e) => e.target === `hold ${holdId}`);
    expect(event).toMatchObject({ staff: "carl", role: "circulation", reason: "patron asked at the desk", result: "done" });
    await published(suite, event!.eventId);
    expect((await carl.send("POST", "/api/holds/NO-SUCH-HOLD/cancel", { reason: "x" })).status).toBe(404);
  });

  it("answers 503 when a service does not answer, and records the action as failed", async () => {
    const carl = suite.client();
    await carl.login(STAFF.circulation.name, STAFF.circulation.password);
    // Last of the group: the fee service stays down for the rest of the file.
    await suite.stack().stopService("fee");
    const fees = await carl.send("GET", "/api/patrons/MAIN/P0002/fees");
    expect([fees.status, fees.body]).toEqual([503, { error: "service_unavailable", message: "the fee service did not answer" }]);
    const waive = await carl.send("POST", "/api/fees/any-fee/waive", { reason: "outage" });
    expect(waive.status).toBe(503);
    const [event] = (await recorded(suite, "fee.waive")).filter((e) => e.target === "fee any-fee");
    expect(event).toMatchObject({ staff: "carl", result: "failed", detail: expect.stringContaining("UNAVAILABLE") });
  });
}
