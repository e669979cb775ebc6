import { common, type DomainEvent, domainEvent } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { accountFrom } from "../domain/index.js";
import { type AssessOverdueFine, decideAssessOverdueFine } from "./assess-overdue-fine.decider.js";

type FeeEvent = DomainEvent<"fee">;

const P1 = { institutionId: "MAIN", barcode: "P1" };
const eur = (amountMinor: number): common.Money => ({ currency: "EUR", amountMinor });
const checkin: AssessOverdueFine = {
  chargeId: "c-1",
  loanId: "loan-1",
  checkinId: "evt-checkin-1",
  patron: P1,
  item: { institutionId: "MAIN", barcode: "I1" },
  title: "Middlemarch",
  dueAt: "2025-03-03T23:59:59+01:00",
  returnedAt: "2025-03-06T10:00:00+01:00",
  policy: { finePerDay: 25, maxFine: 300, graceDays: 0 },
  currency: "EUR",
  tz: "Europe/Paris",
};
const now = "2025-03-06T10:00:05+01:00";

const given = (...events: FeeEvent[]) => accountFrom(events);
const when = (command: Partial<AssessOverdueFine>, state = given(), at = now) => decideAssessOverdueFine({ ...checkin, ...command }, state, at);

const otherCharge = domainEvent("FeeCharged", {
  feeId: "c-0",
  feeType: common.FeeType.ADMINISTRATIVE,
  amount: eur(100),
  description: "card replacement",
  patron: P1,
  chargedAt: new Date("2025-01-01T10:00:00Z"),
  balanceAfter: eur(100),
});

describe("AssessOverdueFine", () => {
  it("charges an overdue fee (type 04) for each day late, with the item, title and loan", () => {
    const d = when({}, given(otherCharge));
    expect(d.outcome).toBe("accepted");
    expect(d.events).toEqual([
      domainEvent("FeeCharged", {
        feeId: "c-1",
        feeType: common.FeeType.OVERDUE,
        amount: eur(75),
        description: "overdue, 3 days late",
        item: { institutionId: "MAIN", barcode: "I1" },
        title: "Middlemarch",
        loanId: "loan-1",
        sourceId: "evt-checkin-1",
        patron: P1,
        chargedAt: new Date(checkin.returnedAt),
        daysLate: 3,
        chargeableDays: 3,
        balanceAfter: eur(175),
      }),
    ]);
    expect(d.outcome === "accepted" && d.data).toEqual({ chargeId: "c-1", amount: 75, daysLate: 3, chargeableDays: 3, alreadyAssessed: false });
  });

  it("records nothing when the item came back on time", () => {
    const d = when({ returnedAt: "2025-03-03T18:00:00+01:00" }, given(), "2025-03-03T18:00:01+01:00");
    expect(d).toEqual({ outcome: "accepted", events: [], data: { chargeId: null, amount: 0, daysLate: 0, chargeableDays: 0, alreadyAssessed: false } });
  });

  it("caps the fine at the loan rule's maximum", () => {
    const d = when({ returnedAt: "2025-04-30T10:00:00+02:00" }, given(), "2025-04-30T10:00:00+02:00");
    expect(d.events[0]).toMatchObject({ data: { amount: eur(300) } });
  });

  it("fines a backdated checkin up to its return date, not up to now", () => {
    // Book drop emptied two days after the item was dropped on the due day's evening.
    const d = when({ returnedAt: "2025-03-03T22:00:00+01:00" }, given(), "2025-03-05T09:00:00+01:00");
    expect(d.events).toEqual([]);
    const late = when({ returnedAt: "2025-03-04T22:00:00+01:00" }, given(), "2025-03-08T09:00:00+01:00");
    expect(late.events[0]).toMatchObject({ data: { amount: eur(25), chargedAt: new Date("2025-03-04T22:00:00+01:00") } });
  });

  it("never fines beyond now when the kiosk's return date lies in the future", () => {
    const d = when({ returnedAt: "2025-03-20T10:00:00+01:00" }, given(), "2025-03-04T10:00:00+01:00");
    expect(d.events[0]).toMatchObject({ data: { amount: eur(25), chargedAt: new Date("2025-03-04T10:00:00+01:00") } });
  });

  it("records an item of another institution and a checkin without item or title", () => {
    const d = when({ item: { institutionId: "BRANCH", barcode: "I1" } });
    expect(d.events[0]).toMatchObject({ data: { item: { institutionId: "BRANCH", barcode: "I1" } } });
    const bare = when({ item: { institutionId: "", barcode: "" }, title: null });
    expect(bare.events[0]?.data).toMatchObject({ item: undefined, title: "" });
  });

  it("assesses a redelivered checkin once and answers with the first charge", () => {
    const first = when({});
    const again = when({ chargeId: "c-2" }, given(...first.events));
    expect(again).toEqual({
      outcome: "accepted",
      events: [],
      data: { chargeId: "c-1", amount: 75, daysLate: 3, chargeableDays: 3, alreadyAssessed: true },
    });
  });

  it("refuses a fine in another currency than the account's", () => {
    expect(when({ currency: "USD" }, given(otherCharge))).toMatchObject({ outcome: "refused", reason: "currency_mismatch" });
  });

  it("refuses a fine policy it cannot apply and dates it cannot read", () => {
    expect(when({ policy: { finePerDay: -5, maxFine: null, graceDays: 0 } })).toMatchObject({ reason: "fine_policy_invalid" });
    expect(when({ policy: { finePerDay: 2.5, maxFine: null, graceDays: 0 } })).toMatchObject({ reason: "fine_policy_invalid" });
    expect(when({ dueAt: "2025-03-03 23:59" })).toMatchObject({ reason: "dates_invalid" });
    expect(when({ returnedAt: "2025-03-06T10:00:00" })).toMatchObject({ reason: "dates_invalid" });
    expect(when({ tz: "Mars/Olympus" })).toMatchObject({ reason: "dates_invalid" });
  });

  it("refuses to reuse a charge id for a new fine", () => {
    expect(when({ chargeId: "c-0" }, given(otherCharge))).toMatchObject({ outcome: "refused", reason: "charge_id_taken" });
  });
});
