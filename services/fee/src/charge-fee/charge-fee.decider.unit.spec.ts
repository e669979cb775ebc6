import { common, type DomainEvent, domainEvent } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { accountFrom } from "../domain/index.js";
import { type ChargeFee, decideChargeFee } from "./charge-fee.decider.js";

type FeeEvent = DomainEvent<"fee">;

const now = "2025-05-01T12:00:00Z";
const P1 = { institutionId: "MAIN", barcode: "P1" };
const usd = (amountMinor: number): common.Money => ({ currency: "USD", amountMinor });
const damage: ChargeFee = {
  chargeId: "c-1",
  patron: P1,
  feeType: "03",
  amount: 1500,
  currency: "USD",
  description: "water damage",
  item: { institutionId: "", barcode: "I1" },
  title: "Moby Dick",
  chargedAt: null,
};
const given = (...events: FeeEvent[]) => accountFrom(events);

describe("ChargeFee", () => {
  it("charges a fee of a SIP2 fee type, dated now unless imported with its own date", () => {
    const d = decideChargeFee(damage, given(), now);
    expect(d.events).toEqual([
      domainEvent("FeeCharged", {
        feeId: "c-1",
        feeType: common.FeeType.DAMAGE,
        amount: usd(1500),
        description: "water damage",
        item: { institutionId: "MAIN", barcode: "I1" },
        title: "Moby Dick",
        patron: P1,
        chargedAt: new Date(now),
        balanceAfter: usd(1500),
      }),
    ]);
    const imported = decideChargeFee({ ...damage, chargedAt: "2019-01-01T00:00:00Z" }, given(), now);
    expect(imported.events[0]).toMatchObject({ data: { chargedAt: new Date("2019-01-01T00:00:00Z") } });
  });

  it("records the loan and the request it came from, and an item of another institution as such", () => {
    const rental = decideChargeFee(
      { ...damage, feeType: "06", item: { institutionId: "BRANCH", barcode: "I2" }, title: null, loanId: "loan-9", sourceId: "evt-9" },
      given(),
      now,
    );
    expect(rental.events[0]).toMatchObject({
      data: { feeType: common.FeeType.RENTAL, item: { institutionId: "BRANCH", barcode: "I2" }, title: "", loanId: "loan-9", sourceId: "evt-9" },
    });
    const noItem = decideChargeFee({ ...damage, item: null }, given(), now);
    expect(noItem.events[0]?.data).toMatchObject({ item: undefined, loanId: "", sourceId: "" });
  });

  it("refuses a fee type outside the SIP2 table", () => {
    expect(decideChargeFee({ ...damage, feeType: "10" }, given(), now)).toMatchObject({ reason: "fee_type_unknown" });
  });

  it("refuses a zero, negative or fractional amount", () => {
    for (const amount of [0, -1, 1.5]) expect(decideChargeFee({ ...damage, amount }, given(), now)).toMatchObject({ reason: "amount_invalid" });
  });

  it("refuses a charge in another currency than the account's", () => {
    const state = given(...decideChargeFee(damage, given(), now).events);
    expect(decideChargeFee({ ...damage, chargeId: "c-2", currency: "EUR" }, state, now)).toMatchObject({ reason: "currency_mismatch" });
  });

  it("treats the same charge sent twice as one, and refuses other terms under a taken id", () => {
    const state = given(...decideChargeFee(damage, given(), now).events);
    expect(decideChargeFee(damage, state, now)).toEqual({ outcome: "accepted", events: [], data: { chargeId: "c-1", balance: 1500 } });
    expect(decideChargeFee({ ...damage, amount: 99 }, state, now)).toMatchObject({ reason: "charge_id_taken" });
  });
});
