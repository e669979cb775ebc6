import { common, fee } from "@circulate/contracts";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feeStreamId } from "../src/domain/index.js";
import { type FeeHarness, MAIN, startFeeHarness, usd } from "./support.js";

const ref = (barcode: string) => ({ institutionId: MAIN, barcode });
const charge = (externalId: string, amountMinor: number) =>
  fee.ChargeRecord.create({ patron: ref("P0002"), feeType: common.FeeType.OVERDUE, outstanding: usd(amountMinor), description: `old fine ${externalId}`, externalId });

describe("fee admin imports, run again", () => {
  let h: FeeHarness;
  const eventCount = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM events`.execute(h.service.db)).rows[0]!.n);

  beforeAll(async () => {
    h = await startFeeHarness({ patrons: ["P0002"] });
  });
  afterAll(async () => h?.stop());

  it("a charge paid at a kiosk since the import is not charged again", async () => {
    const records = [charge("again-1", 750), charge("again-2", 500)];
    expect(await h.api.importCharges({ charges: records })).toEqual({ imported: 2, skipped: 0 });
    const charges = (await h.api.getAccount({ key: { $case: "patron", value: ref("P0002") } })).account!.charges;
    const paid = charges.find((c) => c.amount?.amountMinor === 500)!;
    const outcome = await h.send(h.payFeeEnvelope({ patron: ref("P0002"), amount: usd(500), feeId: paid.feeId, transactionId: "TX-again" }));
    expect(outcome.result?.$case).toBe("accepted");
    const before = await eventCount();

    expect(await h.api.importCharges({ charges: records })).toEqual({ imported: 0, skipped: 2 });
    expect(await eventCount()).toBe(before);
    expect((await h.stream(feeStreamId(MAIN, "P0002"))).map((e) => e.type)).toEqual(["FeeCharged", "FeeCharged", "FeePaid"]);
    expect((await h.api.getAccount({ key: { $case: "patron", value: ref("P0002") } })).account?.balance).toEqual(usd(750));
  });

  it("UpsertInstitutions counts only what it changed: the same institutions again are neither created nor updated", async () => {
    const main = fee.Institution.create({ institutionId: MAIN, name: "Main Library", timeZone: "America/New_York", currency: "USD", closedWeekdays: [0, 6] });
    const east = fee.Institution.create({ institutionId: "EAST", name: "East Branch", timeZone: "America/New_York", currency: "USD", closedDates: ["2025-12-25"] });
    expect(await h.api.upsertInstitutions({ institutions: [main, east] })).toEqual({ created: 2, updated: 0 });
    const stamped = await h.service.db.selectFrom("fee_institutions").select(["institution_id", "updated_at"]).orderBy("institution_id").execute();

    expect(await h.api.upsertInstitutions({ institutions: [main, { ...east, closedWeekdays: [] }] })).toEqual({ created: 0, updated: 0 });
    // Same days in another order or repeated are the same calendar.
    expect(await h.api.upsertInstitutions({ institutions: [{ ...main, closedWeekdays: [6, 0, 0] }] })).toEqual({ created: 0, updated: 0 });
    expect(await h.service.db.selectFrom("fee_institutions").select(["institution_id", "updated_at"]).orderBy("institution_id").execute()).toEqual(stamped);

    expect(await h.api.upsertInstitutions({ institutions: [main, { ...east, name: "East Branch Library" }] })).toEqual({ created: 0, updated: 1 });
  });
});
