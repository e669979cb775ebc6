/**
 * Peers down, decisions go on: with the item, hold and fee services stopped, the loan service
 * decides checkouts, checkins (a trap included) and renewals of known items from its own copies
 * of their facts; started again, the stopped services catch up from the streams. Changes the
 * demo: I0001 goes out, is renewed and comes back; I0007 comes back and is trapped for P0001.
 */
import type { ItemInformationResponse } from "@circulate/sip2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoDeployment, eventually, startDemo } from "./support/gateway.js";
import { Kiosk } from "./support/kiosk.js";
import * as rq from "./support/requests.js";

const PEERS = ["item", "hold", "fee"] as const;

describe("checkouts, checkins and renewals with the item, hold and fee services stopped", () => {
  let demo: DemoDeployment;
  let kiosk: Kiosk;

  beforeAll(async () => {
    demo = await startDemo();
    kiosk = await Kiosk.connect(demo.gateway.tcpPort);
    expect((await kiosk.ask(rq.login("kiosk1", "kiosk1pw"))).message).toMatchObject({ code: "94", ok: true });
    for (const name of PEERS) await demo.stack.stopService(name);
  });
  afterAll(async () => {
    kiosk?.close();
    await demo?.stop();
  });

  it("decides each one correctly from local facts", async () => {
    expect((await kiosk.ask(rq.checkout("P0001", "I0001"))).message).toMatchObject({ code: "12", ok: true, itemIdentifier: "I0001" });
    // The rules still apply: a missing item, a reference item, a copy on the hold shelf for someone else.
    expect((await kiosk.ask(rq.checkout("P0001", "I0008"))).message).toMatchObject({ code: "12", ok: false });
    expect((await kiosk.ask(rq.checkout("P0001", "I0004"))).message).toMatchObject({ code: "12", ok: false });
    expect((await kiosk.ask(rq.checkout("P0001", "I0006"))).message).toMatchObject({ code: "12", ok: false });
    expect((await kiosk.ask(rq.renew("P0001", "I0001"))).message).toMatchObject({ code: "30", ok: true });
    expect((await kiosk.ask(rq.checkin("I0001"))).message).toMatchObject({ code: "10", ok: true, alert: false });
    expect((await kiosk.ask(rq.checkin("I0007"))).message).toMatchObject({
      code: "10",
      ok: true,
      alert: true,
      alertType: "01",
      holdPatronId: "P0001",
      holdPatronName: "Ada Lovelace",
    });
  });

  it("started again, the stopped services catch up from the streams", async () => {
    for (const name of PEERS) await demo.stack.startService(name);
    const item = async (barcode: string) => (await kiosk.ask(rq.itemInformation(barcode))).message as ItemInformationResponse;
    // I0001 came back: available again; I0007 is on the hold shelf for P0001 (the hold service applied the trap).
    await eventually(() => item("I0001"), (m) => m.circulationStatus === "03", "I0001 available in the item service");
    await eventually(() => item("I0007"), (m) => m.circulationStatus === "08", "I0007 on the hold shelf in the item service");
    for (const name of PEERS) {
      const ready = await eventually(
        () => fetch(`${demo.stack.services[name].ops.url}/readyz`).then((r) => r.status),
        (s) => s === 200,
        `${name} ready (its copies caught up)`,
      );
      expect(ready).toBe(200);
    }
  });
});
