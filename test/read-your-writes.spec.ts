/**
 * Read-your-writes across gateway replicas: once a kiosk has its answer, a request from another
 * kiosk through another gateway sees the effect at once, though the service answering it learns
 * the change from another service's events. Two gateways in front of one stack and the demo
 * library. Changes the demo: I0001 and I0002 go out and come back, I0003 goes out to P0002,
 * P0002 pays 2.50.
 */
import type { ItemInformationResponse, PatronInformationResponse } from "@circulate/sip2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoDeployment, type E2eGateway, startDemo, startE2eGateway } from "./support/gateway.js";
import { waitFor } from "./support/wait.js";
import { Kiosk } from "./support/kiosk.js";
import * as rq from "./support/requests.js";

describe("read-your-writes: one kiosk acts through one gateway, another asks through another", () => {
  let demo: DemoDeployment;
  let second: E2eGateway;
  let a: Kiosk;
  let b: Kiosk;

  beforeAll(async () => {
    demo = await startDemo();
    second = await startE2eGateway(demo.stack);
    await waitFor(() => second.gateway.health.online(), "the second gateway to see every service");
    [a, b] = await Promise.all([Kiosk.connect(demo.gateway.tcpPort), Kiosk.connect(second.tcpPort)]);
    for (const k of [a, b]) expect((await k.ask(rq.login("kiosk1", "kiosk1pw"))).message).toMatchObject({ code: "94", ok: true });
  });
  afterAll(async () => {
    a?.close();
    b?.close();
    await second?.stop();
    await demo?.stop();
  });

  const status = async (k: Kiosk, item: string) => ((await k.ask(rq.itemInformation(item))).message as ItemInformationResponse).circulationStatus;

  it("11 then 17, 09 then 17: the item service shows each change at once, every time", async () => {
    for (let round = 0; round < 5; round++) {
      for (const item of ["I0001", "I0002"]) {
        expect((await a.ask(rq.checkout("P0001", item))).message).toMatchObject({ code: "12", ok: true });
        expect(await status(b, item), `${item} round ${round} after 11`).toBe("04");
        expect((await a.ask(rq.checkin(item))).message).toMatchObject({ code: "10", ok: true });
        expect(await status(b, item), `${item} round ${round} after 09`).toBe("03");
      }
    }
  });

  it("11 then 63: the patron service lists the item just checked out", async () => {
    expect((await a.ask(rq.checkout("P0001", "I0002"))).message).toMatchObject({ code: "12", ok: true });
    const info = (await b.ask(rq.patronInformation("P0001", "chargedItems"))).message as PatronInformationResponse;
    expect(info.chargedItems).toContain("I0002");
    expect((await a.ask(rq.checkin("I0002"))).message).toMatchObject({ code: "10", ok: true });
    const after = (await b.ask(rq.patronInformation("P0001", "chargedItems"))).message as PatronInformationResponse;
    expect(after.chargedItems ?? []).not.toContain("I0002");
  });

  it("37 then 11: a patron who paid down to the limit may borrow at once", async () => {
    // P0002 owes 12.50 against a 10.00 limit: refused first.
    expect((await b.ask(rq.checkout("P0002", "I0003"))).message).toMatchObject({ code: "12", ok: false });
    expect((await a.ask(rq.feePaid("P0002", "2.50"))).message).toMatchObject({ code: "38", paymentAccepted: true });
    expect((await b.ask(rq.checkout("P0002", "I0003"))).message).toMatchObject({ code: "12", ok: true });
  });
});
