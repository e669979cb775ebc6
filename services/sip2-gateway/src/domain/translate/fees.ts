/** 37 Fee Paid → 38. */
import { commands, type common, moneyFromDecimal } from "@circulate/contracts";
import { NOTICES } from "../screen-messages.js";
import { feeTypeOf, paymentTypeOf } from "./codes.js";
import { feeIdentifierOf } from "./extensions.js";
import { blank, decimal, failureMessage, INVALID_REQUEST, opt, patronRef, pinOf, screen } from "./fields.js";
import type { MessageRoute } from "./types.js";

/** BV in the 37's currency, or undefined when either is unreadable (never rounded: money is exact). */
function amountOf(feeAmount: string, currencyType: string): common.Money | undefined {
  try {
    return moneyFromDecimal(feeAmount, currencyType.trim());
  } catch {
    return undefined;
  }
}

function amountText(money: common.Money | undefined): string | undefined {
  const d = decimal(money);
  return d === undefined ? undefined : `${d} ${money?.currency}`;
}

export const feePaidRoute: MessageRoute<"37"> = {
  permission: "feePaid",
  command: (req, ctx) => {
    const amount = amountOf(req.feeAmount, req.currencyType);
    if (blank(req.patronIdentifier) || amount === undefined) return INVALID_REQUEST;
    return {
      $case: "payFee",
      value: commands.PayFee.create({
        patron: patronRef(req.patronIdentifier, ctx),
        pin: pinOf(req.patronPassword),
        feeType: feeTypeOf(req.feeType),
        paymentType: paymentTypeOf(req.paymentType),
        amount,
        feeId: feeIdentifierOf(req, ctx),
        transactionId: req.transactionId ?? "",
      }),
    };
  },
  accepted: (req, payload, ctx) => {
    if (payload.$case !== "payFee") return undefined;
    const p = payload.value;
    const paid = amountText(p.amountApplied);
    const balance = amountText(p.balanceRemaining);
    // A receipt the terminal can print (AG): the receipt id, what was paid, what is still owed.
    const receipt = screen(
      opt(p.paymentId) === undefined ? undefined : `Receipt ${p.paymentId}`,
      paid === undefined ? undefined : `Paid ${paid}`,
      balance === undefined ? undefined : `Balance ${balance}`,
    );
    return {
      code: "38",
      paymentAccepted: true,
      transactionDate: ctx.now,
      institutionId: ctx.account.institutionId,
      patronIdentifier: req.patronIdentifier,
      ...(opt(p.paymentId) === undefined ? {} : { transactionId: p.paymentId }),
      screenMessages: screen(NOTICES.paymentAccepted, balance === undefined ? undefined : `Balance owed: ${balance}.`) ?? [],
      ...(receipt === undefined ? {} : { printLines: receipt }),
    };
  },
  refused: (req, failure, ctx) => ({
    code: "38",
    paymentAccepted: false,
    transactionDate: ctx.now,
    institutionId: ctx.account.institutionId,
    patronIdentifier: req.patronIdentifier,
    screenMessages: [failureMessage(failure)],
  }),
};
