/**
 * Re-importing the demo after kiosks used it must not undo their circulation:
 * I0007 checked in over SIP2 (its hold trapped for P0001) and I0008 found at a
 * checkin stay as the kiosk left them, and nothing is written anywhere.
 */
import { fileURLToPath } from "node:url";
import { type ImportSummary, loadImportInput, runImport } from "@circulate/import";
import type { ItemInformationResponse } from "@circulate/sip2";
import { readStream } from "@circulate/eventstore";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoDeployment, eventually, startDemo } from "./support/gateway.js";
import { Kiosk } from "./support/kiosk.js";
import * as rq from "./support/requests.js";

const DEMO = fileURLToPath(new URL("../infra/demo", import.meta.url));

describe("re-importing the demo after circulation at a kiosk", () => {
  let demo: DemoDeployment;
  let kiosk: Kiosk;
  let again: ImportSummary;
  let before: Record<string, number>;
  let after: Record<string, number>;
  let i0007Before: string[];

  const itemStatus = async (barcode: string) => (await kiosk.ask(rq.itemInformation(barcode))).message as ItemInformationResponse;
  const statusBecomes = (barcode: string, status: string) =>
    eventually(() => itemStatus(barcode), (m) => m.circulationStatus === status, `${barcode} to show circulation status ${status}`);
  const countEvents = async () =>
    Object.fromEntries(
      await Promise.all(
        Object.entries(demo.stack.services).map(async ([name, s]) => [name, Number((await sql<{ n: string }>`SELECT count(*) AS n FROM events`.execute(s.db)).rows[0]!.n)] as const),
      ),
    );
  const loanStreamOfI0007 = async () => (await readStream(demo.stack.services.loan.db, "loan-MAIN-I0007")).map((e) => e.type);

  beforeAll(async () => {
    demo = await startDemo();
    kiosk = await Kiosk.connect(demo.gateway.tcpPort);
    expect((await kiosk.ask(rq.login("kiosk1", "kiosk1pw"))).message).toMatchObject({ code: "94", ok: true });
    expect((await kiosk.ask(rq.checkin("I0007"))).message).toMatchObject({ code: "10", ok: true, alertType: "01", holdPatronId: "P0001" });
    expect((await kiosk.ask(rq.checkin("I0008"))).message).toMatchObject({ code: "10", ok: true });
    // The item service learns both checkins through JetStream: count only once it has.
    await statusBecomes("I0007", "08");
    await statusBecomes("I0008", "03");
    before = await countEvents();
    i0007Before = await loanStreamOfI0007();
    again = (await runImport(await loadImportInput(DEMO), { addresses: demo.stack.addresses })).summary!;
    after = await countEvents();
  });
  afterAll(async () => {
    kiosk?.close();
    await demo?.stop();
  });

  it("the import skips I0007's loan as circulated since, and reports every other section unchanged", () => {
    expect(again.loans).toEqual({
      imported: 0,
      unchanged: 1,
      skipped: 1,
      skippedLoans: [{ item: "MAIN/I0007", patron: "EAST/P0006", reason: "circulation since import" }],
    });
    expect(again.holds).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(again.items).toEqual({ created: 0, updated: 0, unchanged: 10 });
    expect(again.institutions).toEqual({
      patron: { created: 0, updated: 0, unchanged: 2 },
      loan: { created: 0, updated: 0, unchanged: 2 },
      fee: { created: 0, updated: 0, unchanged: 2 },
    });
    expect(again.calendars.created + again.calendars.updated).toBe(0);
    expect(again.charges).toEqual({ imported: 0, skipped: 2 });
  });

  it("no service wrote an event, and I0007's loan stream ends with the kiosk's checkin", async () => {
    expect(after).toEqual(before);
    expect(await loanStreamOfI0007()).toEqual(i0007Before);
    expect(i0007Before.at(-1)).toBe("ItemCheckedIn");
  });

  it("17 says I0007 is not on loan but on the hold shelf for P0001, and I0008 is available, not missing", async () => {
    const i0007 = await itemStatus("I0007");
    expect(i0007.circulationStatus).toBe("08");
    expect(i0007.dueDate).toBeUndefined();
    expect((await itemStatus("I0008")).circulationStatus).toBe("03");
  });
});
