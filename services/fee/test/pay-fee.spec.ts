import { commands, common, events, fee, unpackEvent } from "@circulate/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feeStreamId } from "../src/domain/index.js";
import { type FeeHarness, MAIN, nextPublished, startFeeHarness, usd } from "./support.js";

const Reason = commands.RefusalReason;
const ref = (barcode: string) => ({ institutionId: MAIN, barcode });

/** Imports open charges for a patron: `[external id, amount, days ago]`, oldest first or not. */
async function owes(h: FeeHarness, barcode: string, charges: [string, number, number][]): Promise<fee.Charge[]> {
  await h.api.importCharges({
    charges: charges.map(([externalId, amount, daysAgo]) =>
      fee.ChargeRecord.create({
        patron: ref(barcode),
        feeType: common.FeeType.OVERDUE,
        outstanding: usd(amount),
        description: `old fine ${externalId}`,
        item: { institutionId: MAIN, barcode: `I-${externalId}` },
        chargedAt: new Date(Date.now() - daysAgo * 86_400_000),
        externalId,
      }),
    ),
  });
  const res = await h.api.getAccount({ key: { $case: "patron", value: ref(barcode) } });
  return res.account!.charges;
}

const refusal = (o: commands.Outcome) => (o.result?.$case === "refused" ? o.result.value : undefined);
const accepted = (o: commands.Outcome) => (o.result?.$case === "accepted" && o.result.value.payload?.$case === "payFee" ? o.result.value.payload.value : undefined);

describe("37 Fee Paid", () => {
  let h: FeeHarness;

  beforeAll(async () => {
    h = await startFeeHarness({ patrons: ["P0001", "P0002", "P0003", "P0004", "P0005", "P0007"], slow: ["P0007"], slowMs: 400 });
  });
  afterAll(async () => h?.stop());

  it("pays a specific charge by fee id: command in, FeePaid stored, projection updated, reply delivered, event published", async () => {
    const [older, newer] = await owes(h, "P0002", [["P0002-1", 750, 30], ["P0002-2", 500, 10]]);
    const env = h.payFeeEnvelope({ patron: ref("P0002"), amount: usd(500), feeId: newer!.feeId, transactionId: "TX-1" });
    const outcome = await h.send(env);

    const receipt = accepted(outcome);
    expect(receipt).toMatchObject({ amountApplied: usd(500), balanceRemaining: usd(750) });
    expect(receipt?.lines).toEqual([
      commands.FeePaymentLine.create({ feeId: newer!.feeId, feeType: common.FeeType.OVERDUE, amountPaid: usd(500), remaining: usd(0) }),
    ]);

    const stored = await h.stream(feeStreamId(MAIN, "P0002"));
    expect(stored.map((e) => e.type)).toEqual(["FeeCharged", "FeeCharged", "FeePaid"]);
    expect(fee.FeePaid.fromJSON(stored[2]!.data)).toMatchObject({
      paymentId: receipt!.paymentId,
      patronId: "pid-P0002",
      amount: usd(500),
      paymentType: common.PaymentType.CASH,
      transactionId: "TX-1",
      terminalAccount: "kiosk1",
      allocations: [{ feeId: newer!.feeId, amount: usd(500) }],
      balanceAfter: usd(750),
    });

    const account = (await h.api.getAccount({ key: { $case: "patron", value: ref("P0002") } })).account!;
    expect(account.balance).toEqual(usd(750));
    expect(account.charges.map((c) => c.feeId)).toEqual([older!.feeId]);
    const row = await h.service.db.selectFrom("fee_charges").selectAll().where("fee_id", "=", newer!.feeId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "paid", outstanding_minor: "0" });

    const msg = await nextPublished(h.nc, h.feeStream, `${h.nats.subjectPrefix}.evt.fee.FeePaid`);
    const envelope = events.EventEnvelope.decode(msg.data);
    expect(envelope).toMatchObject({ type: "FeePaid", institutionId: MAIN, correlationId: env.correlationId, causationId: env.commandId });
    expect(unpackEvent(envelope)).toMatchObject({ type: "FeePaid", event: { paymentId: receipt!.paymentId, amount: usd(500) } });
  });

  it("applies a command delivered twice once and replies the same", async () => {
    await owes(h, "P0003", [["P0003-1", 400, 5]]);
    const env = h.payFeeEnvelope({ patron: ref("P0003"), amount: usd(100) });
    const first = await h.send(env);
    const verifications = h.patrons.calls.verifyPatron;
    const second = await h.send(env);

    expect(second.replayed).toBe(true);
    expect({ ...second, replayed: false }).toEqual(first);
    // The replay is answered from the record: the patron service is not asked again.
    expect(h.patrons.calls.verifyPatron).toBe(verifications);
    const stored = await h.stream(feeStreamId(MAIN, "P0003"));
    expect(stored.filter((e) => e.type === "FeePaid")).toHaveLength(1);
    expect((await h.api.getAccount({ key: { $case: "patron", value: ref("P0003") } })).account?.balance).toEqual(usd(300));
  });

  it("drops a command past its deadline without applying it", async () => {
    await owes(h, "P0004", [["P0004-1", 300, 5]]);
    const late = await h.send(h.payFeeEnvelope({ patron: ref("P0004"), amount: usd(300) }, { deadline: new Date(Date.now() - 1_000) }));
    expect(refusal(late)?.reason).toBe(Reason.DEADLINE_EXCEEDED);
    expect((await h.stream(feeStreamId(MAIN, "P0004"))).map((e) => e.type)).toEqual(["FeeCharged"]);
  });

  it("does not apply a payment whose deadline passes while the patron service answers", async () => {
    await owes(h, "P0007", [["P0007-1", 300, 5]]);
    const outcome = await h.send(h.payFeeEnvelope({ patron: ref("P0007"), amount: usd(300) }, { timeoutMs: 150 }));
    expect(outcome.result?.$case).toBe("refused");
    expect([Reason.DEADLINE_EXCEEDED, Reason.BACKEND_UNAVAILABLE]).toContain(refusal(outcome)?.reason);
    expect((await h.stream(feeStreamId(MAIN, "P0007"))).map((e) => e.type)).toEqual(["FeeCharged"]);
  });

  it("pays the balance oldest charge first when no fee id is given, leaving the rest of a partial payment outstanding", async () => {
    // Imported newest first: age, not import order, decides what is paid first.
    const charges = await owes(h, "P0005", [["P0005-new", 400, 2], ["P0005-old", 300, 20]]);
    const [oldest, newest] = charges;
    expect(oldest?.outstanding).toEqual(usd(300));

    const outcome = await h.send(h.payFeeEnvelope({ patron: ref("P0005"), amount: usd(500) }));
    const receipt = accepted(outcome);
    expect(receipt?.balanceRemaining).toEqual(usd(200));
    expect(receipt?.lines.map((l) => [l.feeId, l.amountPaid?.amountMinor, l.remaining?.amountMinor])).toEqual([
      [oldest!.feeId, 300, 0],
      [newest!.feeId, 200, 200],
    ]);
    const account = (await h.api.getAccount({ key: { $case: "patron", value: ref("P0005") } })).account!;
    expect(account.charges).toHaveLength(1);
    expect(account.charges[0]).toMatchObject({ feeId: newest!.feeId, amount: usd(400), outstanding: usd(200) });
  });

  it("refuses an overpayment as PAYMENT_EXCEEDS_BALANCE and records nothing", async () => {
    const before = await h.stream(feeStreamId(MAIN, "P0002"));
    const outcome = await h.send(h.payFeeEnvelope({ patron: ref("P0002"), amount: usd(751) }));
    expect(refusal(outcome)).toMatchObject({ reason: Reason.PAYMENT_EXCEEDS_BALANCE, patron: { feesOwed: usd(750), validPatron: true } });
    expect(await h.stream(feeStreamId(MAIN, "P0002"))).toHaveLength(before.length);
  });

  it("refuses a payment in another currency than the account's", async () => {
    const outcome = await h.send(h.payFeeEnvelope({ patron: ref("P0002"), amount: { currency: "EUR", amountMinor: 100 } }));
    expect(refusal(outcome)?.reason).toBe(Reason.PAYMENT_CURRENCY_MISMATCH);
  });

  it("refuses a patron the patron service does not know", async () => {
    const outcome = await h.send(h.payFeeEnvelope({ patron: ref("P9999"), amount: usd(100) }));
    expect(refusal(outcome)).toMatchObject({ reason: Reason.PATRON_NOT_FOUND, patron: { validPatron: false } });
    expect(await h.stream(feeStreamId(MAIN, "P9999"))).toEqual([]);
  });

  it("refuses a wrong PIN and a fee id that is not the patron's", async () => {
    expect(refusal(await h.send(h.payFeeEnvelope({ patron: ref("P0002"), pin: "0000", amount: usd(100) })))?.reason).toBe(Reason.PATRON_PIN_INVALID);
    expect(refusal(await h.send(h.payFeeEnvelope({ patron: ref("P0002"), amount: usd(100), feeId: "no-such-fee" })))?.reason).toBe(Reason.FEE_NOT_FOUND);
  });
});
