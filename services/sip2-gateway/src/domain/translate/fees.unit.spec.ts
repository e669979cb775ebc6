import { commands, common } from "@circulate/contracts";
import { describe, expect, it } from "vitest";
import { renderOutcome, renderUnavailable, translateRequest } from "./index.js";
import { accepted, answerOf, CTX, commandOf, money, refused, request, wire } from "./translate.fixtures.js";

const PAY = "3720250115    1030050400USDBV5.25|AOMAIN|AA21234000012345|CGf-1|BKdev-77|";
const R = commands.RefusalReason;

describe("37 Fee Paid → PayFee", () => {
  it("sends the exact amount in minor units, fee and payment types, fee id and device transaction id", () => {
    const cmd = commandOf(translateRequest(request(PAY), CTX));
    if (cmd?.$case !== "payFee") throw new Error("wrong case");
    expect(cmd.value.amount).toEqual({ currency: "USD", amountMinor: 525 });
    expect(cmd.value.feeType).toBe(common.FeeType.OVERDUE);
    expect(cmd.value.paymentType).toBe(common.PaymentType.CASH);
    expect(cmd.value.feeId).toBe("f-1");
    expect(cmd.value.transactionId).toBe("dev-77");
  });

  it("maps payment devices it does not know to OTHER and undefined fee types to any fee", () => {
    const cmd = commandOf(translateRequest(request("3720250115    1030051209JPYBV500|AOMAIN|AA2123|"), CTX));
    if (cmd?.$case !== "payFee") throw new Error("wrong case");
    expect(cmd.value.paymentType).toBe(common.PaymentType.OTHER);
    expect(cmd.value.feeType).toBe(common.FeeType.UNSPECIFIED);
    expect(cmd.value.amount).toEqual({ currency: "JPY", amountMinor: 500 });
  });

  it("refuses locally an amount it cannot read exactly, rather than round money", () => {
    for (const text of [
      "3720250115    1030050400USDBV5.255|AOMAIN|AA2123|",
      "3720250115    1030050400USDBVfive|AOMAIN|AA2123|",
      "3720250115    1030050400   BV5.00|AOMAIN|AA2123|",
    ]) {
      const out = wire(answerOf(translateRequest(request(text), CTX)));
      expect(out.slice(0, 3)).toBe("38N");
    }
  });
});

describe("38 Fee Paid Response", () => {
  it("accepts with the receipt id, a balance line and a printable receipt", () => {
    const outcome = accepted({
      $case: "payFee",
      value: commands.PayFeeAccepted.create({ paymentId: "pay-1", amountApplied: money("USD", 525), balanceRemaining: money("USD", 75) }),
    });
    expect(wire(renderOutcome(request(PAY), outcome, CTX))).toBe(
      "38Y20250115    103100AOMAIN|AA21234000012345|BKpay-1|AFPayment accepted. Thank you.|AFBalance owed: 0.75 USD.|" +
        "AGReceipt pay-1|AGPaid 5.25 USD|AGBalance 0.75 USD|",
    );
  });

  it("refuses with payment accepted N and the catalog message", () => {
    expect(wire(renderOutcome(request(PAY), refused(R.PAYMENT_EXCEEDS_BALANCE), CTX))).toBe(
      "38N20250115    103100AOMAIN|AA21234000012345|AFPayment is more than you owe.|",
    );
  });

  it("never reports a payment accepted when the backend did not answer", () => {
    expect(wire(renderUnavailable(request(PAY), CTX, "timeout")).slice(0, 3)).toBe("38N");
  });
});
