/**
 * How many synchronous calls between services one SIP2 request costs, message by message,
 * counted where they are served (every service's gRPC server counts its calls). Services decide
 * from their own copies of their peers' facts (docs/peer-facts.md); the one question still asked
 * is the PIN check with the patron's standing (VerifyPatron), so no request may cost more than
 * one call and none may call back into its caller. The table below is the most each may cost.
 * Changes the demo: I0002 goes out and is renewed, a hold on I0003 comes and goes, P0002 pays
 * 2.50, P0004 is blocked again and enabled.
 */
import type { SipRequest } from "@circulate/sip2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoDeployment, startDemo } from "./support/gateway.js";
import { Kiosk } from "./support/kiosk.js";
import * as rq from "./support/requests.js";
import { STACK_SERVICES } from "./support/stack.js";

/** The most calls each request may cause (before this design: 23 2, 63 3, 17 3, 11 6, 29 5, 65 5, 09 2, 37 3, 15+ 5, 15− 3, 01 2, 25 2). */
const MOST: Record<string, number> = {
  "23 patron status": 0,
  "63 patron information": 0,
  "17 item information": 0,
  "11 checkout": 1, // VerifyPatron
  "29 renew": 1, // VerifyPatron
  "65 renew all": 1, // VerifyPatron
  "09 checkin": 0,
  "37 fee paid": 1, // VerifyPatron
  "15 hold +": 1, // VerifyPatron
  "15 hold -": 1, // VerifyPatron
  "19 item status update": 0,
  "01 block patron": 0,
  "25 patron enable": 0,
  "35 end session": 0,
};

const REQUESTS: [string, SipRequest][] = [
  ["23 patron status", rq.patronStatus("P0001")],
  ["63 patron information", rq.patronInformation("P0001", "chargedItems")],
  ["17 item information", rq.itemInformation("I0001")],
  ["11 checkout", rq.checkout("P0001", "I0002")],
  ["29 renew", rq.renew("P0001", "I0002")],
  ["65 renew all", rq.renewAll("P0001")],
  ["09 checkin", rq.checkin("I0002")],
  ["37 fee paid", rq.feePaid("P0002", "2.50")],
  ["15 hold +", rq.hold("+", "P0001", "I0003")],
  ["15 hold -", rq.hold("-", "P0001", "I0003")],
  ["19 item status update", rq.itemStatusUpdate("I0003", "shelf")],
  ["01 block patron", rq.blockPatron("P0004", "Card reported stolen")],
  ["25 patron enable", rq.patronEnable("P0004")],
  ["35 end session", rq.endSession("P0001")],
];

describe("synchronous calls between services, per SIP2 request", () => {
  let demo: DemoDeployment;
  let kiosk: Kiosk;
  const served = () => {
    const all: Record<string, number> = {};
    for (const name of STACK_SERVICES) for (const [path, n] of Object.entries(demo.stack.services[name].grpcCallsServed())) all[path] = n;
    return all;
  };

  beforeAll(async () => {
    demo = await startDemo();
    kiosk = await Kiosk.connect(demo.gateway.tcpPort);
    expect((await kiosk.ask(rq.login("kiosk1", "kiosk1pw"))).message).toMatchObject({ code: "94", ok: true });
  });
  afterAll(async () => {
    kiosk?.close();
    await demo?.stop();
  });

  it("counts every call one request causes: at most the PIN check, and none where no PIN is checked", async () => {
    const rows: { request: string; calls: number; methods: Record<string, number> }[] = [];
    for (const [label, request] of REQUESTS) {
      const before = served();
      await kiosk.ask(request);
      // Work the request set off after its answer (event consumers) is counted against it too.
      await new Promise((r) => setTimeout(r, 300));
      const after = served();
      const methods = Object.fromEntries(
        Object.entries(after)
          .map(([path, n]) => [path.split("/").pop() ?? path, n - (before[path] ?? 0)] as const)
          .filter(([, n]) => n > 0),
      );
      rows.push({ request: label, calls: Object.values(methods).reduce((a, b) => a + b, 0), methods });
    }
    console.info(rows.map((r) => `${r.request.padEnd(24)} ${String(r.calls).padStart(2)}  ${JSON.stringify(r.methods)}`).join("\n"));
    for (const r of rows) {
      expect(r.calls, r.request).toBeLessThanOrEqual(MOST[r.request] ?? 0);
      for (const method of Object.keys(r.methods)) expect(method, r.request).toBe("VerifyPatron");
    }
  });
});
