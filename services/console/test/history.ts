import { commands, common } from "@circulate/contracts";
import { GatewayStandIn } from "@circulate/service/testing";
import { connect } from "@nats-io/transport-node";
import { expect, it } from "vitest";
import { STAFF } from "./support/fixtures.js";
import type { Suite } from "./support/suite.js";

/** What the history routes answer, as far as these tests read it. */
interface Entry {
  service: string;
  kind: "event" | "refusal";
  type: string;
  terminal: string;
  patron: { institution: string; barcode: string };
  item: { institution: string; barcode: string };
  reason: string;
  screenMessage: string;
  at: string;
}
interface History {
  entries: Entry[];
  more: boolean;
  unavailable: string[];
}

const KIOSK = common.Terminal.fromPartial({ account: "history-kiosk", institutionId: "MAIN", location: "MAIN" });

export function historyTests(suite: Suite): void {
  it("answers why a kiosk checkout was refused (P0004 is blocked) on the patron's history, once however often it was sent, and the item's checkout and checkin on the item's", async () => {
    const stack = suite.stack();
    const nc = await connect({ servers: stack.nats.url });
    const gateway = await GatewayStandIn.start(nc, stack.nats.subjectPrefix, KIOSK);
    try {
      const checkout = (patron: string) =>
        gateway.envelope({ $case: "checkOutItem", value: commands.CheckOutItem.fromPartial({ patron: { institutionId: "MAIN", barcode: patron }, item: { institutionId: "MAIN", barcode: "I0002" }, pin: "1234" }) });
      const [refused, again] = await gateway.publish(checkout("P0004"), 2);
      expect([refused?.result?.$case, again?.replayed]).toEqual(["refused", true]);
      expect((await gateway.publish(checkout("P0001")))[0]?.result?.$case).toBe("accepted");
      const checkin = gateway.envelope({ $case: "checkInItem", value: commands.CheckInItem.fromPartial({ item: { institutionId: "MAIN", barcode: "I0002" } }) });
      expect((await gateway.publish(checkin))[0]?.result?.$case).toBe("accepted");
    } finally {
      await gateway.close();
      await nc.close();
    }

    // A service down (the staff actions' outage test stops this one too) is named, and the others answer.
    await stack.stopService("fee");
    const viewer = suite.client();
    await viewer.login(STAFF.viewer.name, STAFF.viewer.password);
    const answer = await viewer.send("GET", "/api/patrons/MAIN/P0004/history");
    expect(answer.status).toBe(200);
    const p4 = answer.body as History;
    expect(p4.unavailable).toEqual(["fee"]);
    const refusals = p4.entries.filter((e) => e.kind === "refusal");
    expect(refusals).toEqual([
      expect.objectContaining({ service: "loan", type: "checkOutItem", terminal: "history-kiosk", item: { institution: "MAIN", barcode: "I0002" }, reason: "REFUSAL_REASON_PATRON_BLOCKED", screenMessage: "Your account is blocked. Please see staff." }),
    ]);
    // The patron service's own record of the patron is in the same history, older than the refusal.
    expect(p4.entries.some((e) => e.service === "patron" && e.type === "PatronRegistered")).toBe(true);
    expect(p4.entries.map((e) => e.at)).toEqual([...p4.entries.map((e) => e.at)].sort().reverse());

    const i2 = (await viewer.send("GET", "/api/items/MAIN/I0002/history")).body as History;
    const atKiosk = i2.entries.filter((e) => e.terminal === "history-kiosk").map((e) => [e.service, e.kind, e.type, e.patron.barcode]);
    expect(atKiosk).toEqual([
      ["loan", "event", "ItemCheckedIn", "P0001"],
      ["loan", "event", "ItemCheckedOut", "P0001"],
      ["loan", "refusal", "checkOutItem", "P0004"],
    ]);
    // The item service's own events (registered at import) are found by what they name too.
    expect(i2.entries.some((e) => e.service === "item" && e.type === "ItemRegistered")).toBe(true);

    const first = (await viewer.send("GET", "/api/items/MAIN/I0002/history?limit=1")).body as History;
    expect([first.entries.length, first.more]).toEqual([1, true]);
    const next = (await viewer.send("GET", `/api/items/MAIN/I0002/history?limit=1&before=${encodeURIComponent(first.entries[0]!.at)}`)).body as History;
    expect(next.entries[0]!.at < first.entries[0]!.at).toBe(true);
  });

  it("answers 400 to a limit over 500 or a before that is no instant", async () => {
    const viewer = suite.client();
    await viewer.login(STAFF.viewer.name, STAFF.viewer.password);
    expect((await viewer.send("GET", "/api/patrons/MAIN/P0004/history?limit=501")).status).toBe(400);
    const bad = await viewer.send("GET", "/api/patrons/MAIN/P0004/history?before=yesterday");
    expect([bad.status, bad.body]).toEqual([400, { error: "bad_request", message: "before must be an ISO 8601 instant" }]);
  });
}
