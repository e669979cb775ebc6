/**
 * The backend goes down under a kiosk: the loan service stops. Its own deployment, because
 * the stack stays broken afterwards. The kiosk must still get one well-formed answer per
 * request within the account's timeout (5 s in the demo accounts), and 98 must say off-line
 * once the gateway's health check notices.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoDeployment, startDemo } from "./support/gateway.js";
import { Kiosk } from "./support/kiosk.js";
import * as rq from "./support/requests.js";

/** kiosk1's `timeoutMs` in infra/demo/accounts.yaml. */
const ACCOUNT_TIMEOUT_MS = 5_000;

describe("the loan service goes down under a logged-in kiosk", () => {
  let demo: DemoDeployment;
  let kiosk: Kiosk;

  beforeAll(async () => {
    demo = await startDemo();
    kiosk = await Kiosk.connect(demo.gateway.tcpPort);
    expect((await kiosk.ask(rq.login("kiosk1", "kiosk1pw"))).message.ok).toBe(true);
    expect((await kiosk.ask(rq.scStatus())).message.onlineStatus).toBe(true);
    await demo.stack.services.loan.stop();
  });
  afterAll(async () => {
    kiosk?.close();
    await demo?.stop();
  });

  it("a checkout right after the loan service stopped is answered ok=0 within the account timeout", async () => {
    const started = performance.now();
    const m = (await kiosk.ask(rq.checkout("P0001", "I0001"))).message;
    const ms = performance.now() - started;
    expect(m).toMatchObject({ code: "12", ok: false, desensitize: "N", patronIdentifier: "P0001", itemIdentifier: "I0001", dueDate: "" });
    // Before the health check notices, the command times out ("busy"); after, it is refused at once ("unavailable").
    expect(["System busy. Please try again.", "System unavailable. Please see staff."]).toContain(m.screenMessages?.[0]);
    expect(ms).toBeLessThan(ACCOUNT_TIMEOUT_MS);
  });

  it("98 reports on-line N, every flag N and timeout 000, once the health check notices", async () => {
    const until = Date.now() + 10_000;
    let m = (await kiosk.ask(rq.scStatus())).message;
    while (m.onlineStatus && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      m = (await kiosk.ask(rq.scStatus())).message;
    }
    expect(m).toMatchObject({
      code: "98",
      onlineStatus: false,
      checkinOk: false,
      checkoutOk: false,
      acsRenewalPolicy: false,
      statusUpdateOk: false,
      offlineOk: false,
      timeoutPeriod: 0,
      institutionId: "MAIN",
    });
  });

  it("then a checkout, a checkin and a renewal are refused at once as unavailable", async () => {
    for (const request of [rq.checkout("P0001", "I0002"), rq.checkin("I0005"), rq.renew("P0005", "I0005")]) {
      const started = performance.now();
      const m = (await kiosk.ask(request)).message;
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(m).toMatchObject({ ok: false, screenMessages: ["System unavailable. Please see staff."] });
    }
  });

  it("17 is answered at once and in full: the item service keeps the loan and hold facts it needs from their events", async () => {
    const started = performance.now();
    const m = (await kiosk.ask(rq.itemInformation("I0001"))).message;
    expect(performance.now() - started).toBeLessThan(1_000);
    // I0001's checkout above was refused: it is on the shelf.
    expect(m).toMatchObject({ code: "18", circulationStatus: "03", itemIdentifier: "I0001", titleIdentifier: "Sketch of the Analytical Engine" });
  });

  it("23 is answered at once and in full: the patron service decides from its own copy of the loan events", async () => {
    const started = performance.now();
    const m = (await kiosk.ask(rq.patronStatus("P0001"))).message;
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(m).toMatchObject({
      code: "24",
      patronStatus: { chargePrivilegesDenied: false, renewalPrivilegesDenied: false, recallPrivilegesDenied: false, holdPrivilegesDenied: false },
      patronIdentifier: "P0001",
      personalName: "Ada Lovelace",
      validPatron: true,
    });
    expect(m.screenMessages).toBeUndefined();
  });
});
