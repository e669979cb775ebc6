import { common, events, fee, unpackEvent } from "@circulate/contracts";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feeStreamId } from "../src/domain/index.js";
import { type FeeHarness, MAIN, nextPublished, startFeeHarness, usd } from "./support.js";

const ref = (barcode: string) => ({ institutionId: MAIN, barcode });
const day = 86_400_000;

// The demo library's P0002 Charles Babbage: fines of 12.50 in two charges (over his 10.00 limit).
const babbage = (now: number) => [
  fee.ChargeRecord.create({
    patron: ref("P0002"),
    feeType: common.FeeType.OVERDUE,
    outstanding: usd(750),
    description: "overdue: Passages from the Life of a Philosopher",
    item: { institutionId: MAIN, barcode: "I0003" },
    chargedAt: new Date(now - 40 * day),
    externalId: "demo-P0002-1",
  }),
  fee.ChargeRecord.create({
    patron: ref("P0002"),
    feeType: common.FeeType.DAMAGE,
    outstanding: usd(500),
    description: "damaged dust jacket",
    chargedAt: new Date(now - 12 * day),
    externalId: "demo-P0002-2",
  }),
];

const statusOf = (p: Promise<unknown>) => p.then(() => grpc.status.OK, (err: grpc.ServiceError) => err.code);

describe("Fees admin and query API", () => {
  let h: FeeHarness;
  const now = Date.now();

  beforeAll(async () => {
    h = await startFeeHarness({ patrons: ["P0001", "P0002", "P0006"] });
  });
  afterAll(async () => h?.stop());

  it("ImportCharges is idempotent: run twice, P0002 owes 12.50 in the same two charges", async () => {
    const first = await h.api.importCharges({ charges: babbage(now) });
    const second = await h.api.importCharges({ charges: babbage(now) });
    expect(first).toEqual({ imported: 2, skipped: 0 });
    expect(second).toEqual({ imported: 0, skipped: 2 });

    const stored = await h.stream(feeStreamId(MAIN, "P0002"));
    expect(stored.map((e) => e.type)).toEqual(["FeeCharged", "FeeCharged"]);
    const account = (await h.api.getAccount({ key: { $case: "patron", value: ref("P0002") } })).account!;
    expect(account.balance).toEqual(usd(1250));
    expect(account.charges).toHaveLength(2);
  });

  it("GetAccount returns the balance and the open charges (fine items) oldest first, by barcode or internal id", async () => {
    const byBarcode = (await h.api.getAccount({ key: { $case: "patron", value: ref("P0002") } })).account!;
    const byId = (await h.api.getAccount({ key: { $case: "patronId", value: "pid-P0002" } })).account!;
    expect(byId).toEqual(byBarcode);
    expect(byBarcode.patronId).toBe("pid-P0002");
    expect(byBarcode.charges.map((c) => [c.feeType, c.amount?.amountMinor, c.outstanding?.amountMinor, c.description, c.item?.barcode ?? ""])).toEqual([
      [common.FeeType.OVERDUE, 750, 750, "overdue: Passages from the Life of a Philosopher", "I0003"],
      [common.FeeType.DAMAGE, 500, 500, "damaged dust jacket", ""],
    ]);
    expect(byBarcode.charges[0]?.chargedAt).toEqual(new Date(now - 40 * day));
  });

  it("GetAccount answers a zero balance for a patron without fees", async () => {
    const account = (await h.api.getAccount({ key: { $case: "patron", value: ref("P0001") } })).account!;
    expect(account).toMatchObject({ balance: usd(0), charges: [] });
    expect(await statusOf(h.api.getAccount({ key: undefined }))).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it("ImportCharges skips unknown patrons and rejects a malformed batch before writing anything", async () => {
    const stranger = fee.ChargeRecord.create({ patron: ref("P9999"), feeType: common.FeeType.OTHER, outstanding: usd(100), externalId: "x-1" });
    expect(await h.api.importCharges({ charges: [stranger] })).toEqual({ imported: 0, skipped: 1 });

    const good = fee.ChargeRecord.create({ patron: ref("P0001"), feeType: common.FeeType.OTHER, outstanding: usd(100), externalId: "x-2" });
    const bad = fee.ChargeRecord.create({ patron: ref("P0001"), feeType: common.FeeType.OTHER, outstanding: usd(-5), externalId: "x-3" });
    expect(await statusOf(h.api.importCharges({ charges: [good, bad] }))).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await h.stream(feeStreamId(MAIN, "P0001"))).toEqual([]);
  });

  it("ChargeFee charges once per request id and answers the same charge", async () => {
    const request = fee.ChargeFeeRequest.create({
      requestId: "staff-1",
      patronId: "pid-P0006",
      feeType: common.FeeType.REPLACEMENT,
      amount: usd(2500),
      description: "lost: A Discipline of Programming",
      item: { institutionId: MAIN, barcode: "I0007" },
    });
    const first = await h.api.chargeFee(request);
    const again = await h.api.chargeFee(request);
    expect(again).toEqual(first);
    expect(first.charge).toMatchObject({ patronId: "pid-P0006", feeType: common.FeeType.REPLACEMENT, amount: usd(2500), outstanding: usd(2500) });
    expect(await h.stream(feeStreamId(MAIN, "P0006"))).toHaveLength(1);
    expect(await statusOf(h.api.chargeFee({ ...request, requestId: "staff-2", patronId: "pid-nobody" }))).toBe(grpc.status.NOT_FOUND);
    expect(await statusOf(h.api.chargeFee({ ...request, requestId: "staff-3", amount: usd(0) }))).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it("WaiveFee forgives part, then the rest, once per request id, and FeeWaived names who forgave it", async () => {
    const charge = (await h.api.getAccount({ key: { $case: "patronId", value: "pid-P0006" } })).account!.charges[0]!;
    const part = await h.api.waiveFee({ requestId: "w-1", feeId: charge.feeId, amount: usd(1000), reason: "goodwill", staff: "jdoe" });
    expect(part.charge?.outstanding).toEqual(usd(1500));
    expect(await h.api.waiveFee({ requestId: "w-1", feeId: charge.feeId, amount: usd(1000), reason: "goodwill", staff: "jdoe" })).toEqual(part);
    const rest = await h.api.waiveFee({ requestId: "w-2", feeId: charge.feeId, amount: undefined, reason: "found the book", staff: " asmith " });
    expect(rest.charge?.outstanding).toEqual(usd(0));
    const stored = await h.stream(feeStreamId(MAIN, "P0006"));
    expect(stored.map((e) => e.type)).toEqual(["FeeCharged", "FeeWaived", "FeeWaived"]);
    expect(stored.slice(1).map((e) => e.data)).toMatchObject([
      { reason: "goodwill", staff: "jdoe", amount: usd(1000) },
      { reason: "found the book", staff: "asmith", amount: usd(1500) },
    ]);
    const msg = await nextPublished(h.nc, h.feeStream, `${h.nats.subjectPrefix}.evt.fee.FeeWaived`);
    expect(unpackEvent(events.EventEnvelope.decode(msg.data))).toMatchObject({ type: "FeeWaived", event: { staff: "jdoe", reason: "goodwill" } });
    expect((await h.api.getAccount({ key: { $case: "patronId", value: "pid-P0006" } })).account?.balance).toEqual(usd(0));
    expect(await statusOf(h.api.waiveFee({ requestId: "w-3", feeId: charge.feeId, amount: undefined, reason: "again", staff: "jdoe" }))).toBe(grpc.status.OK);
    expect(await statusOf(h.api.waiveFee({ requestId: "w-4", feeId: "nope", amount: undefined, reason: "", staff: "jdoe" }))).toBe(grpc.status.NOT_FOUND);
  });

  it("WaiveFee from a caller that names no staff still waives (callers older than the field) and records staff empty", async () => {
    const request = fee.ChargeFeeRequest.create({ requestId: "staff-old", patronId: "pid-P0006", feeType: common.FeeType.OTHER, amount: usd(300), description: "lost card" });
    const charge = (await h.api.chargeFee(request)).charge!;
    const waived = await h.api.waiveFee(fee.WaiveFeeRequest.fromPartial({ requestId: "w-old", feeId: charge.feeId, reason: "old caller" }));
    expect(waived.charge?.outstanding).toEqual(usd(0));
    const last = (await h.stream(feeStreamId(MAIN, "P0006"))).at(-1)!;
    expect(last).toMatchObject({ type: "FeeWaived", data: { feeId: charge.feeId, reason: "old caller" } });
    expect((last.data as { staff?: string }).staff ?? "").toBe("");
  });

  it("UpsertInstitutions creates, then replaces, and rejects an unknown time zone", async () => {
    const main = fee.Institution.create({ institutionId: MAIN, name: "Main Library", timeZone: "America/New_York", currency: "USD", closedWeekdays: [0] });
    const east = fee.Institution.create({ institutionId: "EAST", name: "East Branch", timeZone: "America/New_York", currency: "USD" });
    expect(await h.api.upsertInstitutions({ institutions: [main, east] })).toEqual({ created: 2, updated: 0 });
    expect(await h.api.upsertInstitutions({ institutions: [{ ...east, closedDates: ["2025-12-25"] }] })).toEqual({ created: 0, updated: 1 });
    const row = await h.service.db.selectFrom("fee_institutions").selectAll().where("institution_id", "=", "EAST").executeTakeFirstOrThrow();
    expect(row).toMatchObject({ time_zone: "America/New_York", currency: "USD", closed_dates: ["2025-12-25"], closed_weekdays: [] });
    expect(await statusOf(h.api.upsertInstitutions({ institutions: [{ ...east, timeZone: "Mars/Olympus" }] }))).toBe(grpc.status.INVALID_ARGUMENT);
  });
});
