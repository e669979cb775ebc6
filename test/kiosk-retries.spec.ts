/**
 * Retries against the whole stack and the demo library, as third-party kiosks send them: Koha's
 * emulator sends one transaction date for a whole run and no AY/AZ, so different transactions
 * arrive as identical bytes. A retry is only the same request sent again as the terminal's next
 * request; anything in between makes the same bytes a new transaction, and queries are always
 * asked afresh. Changes: I0001 and I0002 end on loan to P0001; I0003 is checked out and back.
 */
import type { ItemInformationResponse } from "@circulate/sip2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoDeployment, eventually, startDemo } from "./support/gateway.js";
import { Kiosk } from "./support/kiosk.js";
import * as rq from "./support/requests.js";

// A frozen kiosk clock: every request of the run carries this date.
const FROZEN = new Date(Date.now() - 60_000);
const frozen = { transactionDate: FROZEN };

describe("kiosk1 with a frozen clock: identical bytes are a retry only when sent again next", () => {
  let demo: DemoDeployment;
  const kiosks: Kiosk[] = [];
  const connect = async () => {
    const k = await Kiosk.connect(demo.gateway.tcpPort, { autoSequence: false });
    kiosks.push(k);
    expect((await k.ask(rq.login("kiosk1", "kiosk1pw"))).message).toMatchObject({ code: "94", ok: true });
    return k;
  };
  const charged = async (k: Kiosk, patron: string) => {
    const m = (await k.ask({ ...rq.patronInformation(patron, "chargedItems"), ...frozen })).message;
    return m.code === "64" ? (m.chargedItems ?? []) : [];
  };
  const statusBecomes = (k: Kiosk, barcode: string, status: string) =>
    eventually(
      async () => (await k.ask({ ...rq.itemInformation(barcode), ...frozen })).message as ItemInformationResponse,
      (m) => m.circulationStatus === status,
      `${barcode} to show circulation status ${status}`,
    );

  beforeAll(async () => {
    demo = await startDemo();
  });
  afterAll(async () => {
    for (const k of kiosks) k.close();
    await demo?.stop();
  });

  it("checkout, checkin, checkout of I0001 with one date: the second checkout is a real loan, not the first one's answer", async () => {
    const k = await connect();
    const out = k.encode({ ...rq.checkout("P0001", "I0001"), ...frozen });
    const first = await k.askRaw(out);
    expect(first.message).toMatchObject({ code: "12", ok: true });
    expect((await k.ask({ ...rq.checkin("I0001"), ...frozen, returnDate: FROZEN })).message).toMatchObject({ code: "10", ok: true });
    const second = await k.askRaw(out);
    expect(second.message).toMatchObject({ code: "12", ok: true });
    expect(await charged(k, "P0001")).toContain("I0001");
    await statusBecomes(k, "I0001", "04");
  });

  it("a checkout whose answer was lost, resent after reconnecting, gets the recorded outcome and makes one loan", async () => {
    const lost = await connect();
    const out = lost.encode({ ...rq.checkout("P0001", "I0002"), ...frozen });
    lost.sendRaw(out);
    // The kiosk never reads the answer: its connection drops.
    await new Promise((r) => setTimeout(r, 300));
    lost.close();
    const k = await connect();
    const resent = await k.askRaw(out);
    expect(resent.message).toMatchObject({ code: "12", ok: true, itemIdentifier: "I0002" });
    const again = await k.askRaw(out);
    expect(again.raw).toBe(resent.raw);
    const loans = (await charged(k, "P0001")).filter((b) => b === "I0002");
    expect(loans).toHaveLength(1);
  });

  it("17 with the same bytes as an earlier 17 is answered fresh: the status after a checkout, not the cached one", async () => {
    const k = await connect();
    const info = k.encode({ ...rq.itemInformation("I0003"), ...frozen });
    expect((await k.askRaw(info)).message).toMatchObject({ code: "18", circulationStatus: "03" });
    expect((await k.ask({ ...rq.checkout("P0001", "I0003"), ...frozen })).message).toMatchObject({ code: "12", ok: true });
    await eventually(
      () => k.askRaw(info),
      (r) => (r.message as ItemInformationResponse).circulationStatus === "04",
      "the same 17 bytes to show I0003 charged",
    );
    expect((await k.ask({ ...rq.checkin("I0003"), ...frozen, returnDate: FROZEN })).message).toMatchObject({ code: "10", ok: true });
  });
});
