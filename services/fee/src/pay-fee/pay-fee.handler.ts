import type { CommandHandler } from "@circulate/commandbus";
import { acceptedOutcome, commands, common, refusedOutcome } from "@circulate/contracts";
import { handleCommand } from "@circulate/eventstore";
import { commandHandler, inCommitSpan, peerDeadline, storedOutcome } from "@circulate/service";
import { projectFeeEvents } from "../adapters/account.projection.js";
import { evolveStored, initialAccount, toAppend } from "../app/account.store.js";
import type { FeeDeps } from "../app/deps.js";
import { paymentIdFor } from "../app/ids.js";
import { institutionSettings } from "../app/institutions.js";
import { balance, evolve, type FeeAccount, feeStreamId, feeTypeCode, feeTypeOf, findCharge, money, paymentTypeCode } from "../domain/index.js";
import { decidePayFee, type PayerRefusal, type PayFee, type PayFeeRefusal, payerRefusal } from "./pay-fee.decider.js";

const Reason = commands.RefusalReason;

const PAYER_REFUSAL: Record<PayerRefusal, commands.RefusalReason> = {
  patron_not_found: Reason.PATRON_NOT_FOUND,
  pin_locked: Reason.PATRON_PIN_LOCKED,
  pin_invalid: Reason.PATRON_PIN_INVALID,
};

/** Each decider refusal as the contracts name it; the gateway turns it into a screen message. */
const REFUSAL: Record<PayFeeRefusal, commands.RefusalReason> = {
  amount_invalid: Reason.PAYMENT_INVALID,
  payment_type_unknown: Reason.PAYMENT_INVALID,
  currency_mismatch: Reason.PAYMENT_CURRENCY_MISMATCH,
  // Paying anything on a zero balance is paying more than is owed.
  nothing_owed: Reason.PAYMENT_EXCEEDS_BALANCE,
  fee_not_found: Reason.FEE_NOT_FOUND,
  // "does not exist or is closed"
  fee_already_paid: Reason.FEE_NOT_FOUND,
  overpayment: Reason.PAYMENT_EXCEEDS_BALANCE,
};

/**
 * SIP2 37 Fee Paid. Facts first (the patron service: exists, PIN; our own
 * institution settings), then one transaction on the patron's account stream:
 * fold, decide (who may pay, then the payment), append FeePaid, project,
 * record the outcome. A redelivered 37 is answered from its record before the
 * patron service is asked again (a PIN check counts towards the lock-out).
 */
export function payFeeHandler(deps: FeeDeps): CommandHandler<"payFee"> {
  return commandHandler(deps, (cmd, env) => payFee(deps, cmd, env));
}

async function payFee(deps: FeeDeps, cmd: commands.PayFee, env: commands.CommandEnvelope): Promise<commands.Outcome> {
  const institutionId = cmd.patron?.institutionId || env.institutionId;
  const barcode = cmd.patron?.barcode ?? "";
  if (!barcode || !institutionId) return refusedOutcome(env, Reason.INVALID_REQUEST, "37 without a patron barcode or institution");
  const ref: common.PatronRef = { institutionId, barcode, ownInstitutionOnly: cmd.patron?.ownInstitutionOnly };

  const [verified, settings] = await Promise.all([
    // The command id keys the PIN check: every attempt of one command counts a wrong PIN once.
    deps.patrons.verifyPatron({ patron: ref, pin: cmd.pin, correlationId: env.commandId }, peerDeadline(env)),
    institutionSettings(deps.db, institutionId, deps.defaults),
  ]);
  const patron = { institutionId, barcode };
  const payer = { found: verified.found, pinGiven: cmd.pin !== undefined, pinLocked: verified.pinLocked, pinValid: verified.standing?.pinValid };

  const standingWith = (state: FeeAccount): common.PatronStanding => ({
    ...(verified.standing ?? common.PatronStanding.create({ patron: ref })),
    patron: ref,
    validPatron: verified.found && (verified.standing?.validPatron ?? true),
    feesOwed: money(balance(state), state.currency ?? settings.currency),
  });

  const decide = (state: FeeAccount) => {
    const now = deps.now();
    const refused = (reason: commands.RefusalReason, detail: string, extras: Partial<commands.Refused> = {}) => ({
      events: [],
      outcome: commands.Outcome.toJSON(refusedOutcome(env, reason, detail, { patron: standingWith(state), ...extras }, now)),
    });
    const denied = payerRefusal(patron, payer);
    if (denied) return refused(PAYER_REFUSAL[denied.reason], denied.detail ?? "");

    const currency = cmd.amount?.currency || state.currency || settings.currency;
    const payment: PayFee = {
      paymentId: paymentIdFor(env.commandId),
      patron,
      amount: cmd.amount?.amountMinor ?? 0,
      feeType: feeTypeCode(cmd.feeType),
      paymentType: paymentTypeCode(cmd.paymentType),
      currency,
      feeId: cmd.feeId || null,
      transactionId: cmd.transactionId || null,
    };
    const decision = decidePayFee(payment, state);
    if (decision.outcome === "refused") {
      const charge = payment.feeId ? findCharge(state, payment.feeId) : undefined;
      const fee = charge
        ? common.FeeNotice.create({ feeId: charge.chargeId, feeType: feeTypeOf(charge.feeType), amount: money(charge.outstanding, currency) })
        : undefined;
      return refused(REFUSAL[decision.reason], `${decision.reason}: ${decision.detail ?? ""}`, { fee });
    }

    const after = decision.events.reduce(evolve, state);
    const receipt = decision.data;
    const lines = receipt.allocations.map((a) => {
      const charge = findCharge(after, a.chargeId);
      return commands.FeePaymentLine.create({
        feeId: a.chargeId,
        feeType: feeTypeOf(charge?.feeType ?? "01"),
        amountPaid: money(a.amount, currency),
        remaining: money(charge?.outstanding ?? 0, currency),
        title: charge?.title ?? "",
      });
    });
    const outcome = acceptedOutcome(
      env,
      {
        $case: "payFee",
        value: commands.PayFeeAccepted.create({
          paymentId: receipt.paymentId,
          amountApplied: money(receipt.amount, currency),
          balanceRemaining: money(receipt.balanceAfter, currency),
          lines,
        }),
      },
      now,
    );
    const facts = { patronId: verified.standing?.patronId ?? "", terminalAccount: env.terminal?.account, at: now };
    return {
      events: toAppend(decision.events, facts),
      outcome: commands.Outcome.toJSON(outcome),
    };
  };

  const result = await inCommitSpan(() =>
    handleCommand(deps.db, {
      commandId: env.commandId,
      deadline: env.deadline,
      streamId: feeStreamId(institutionId, barcode),
      initialState: initialAccount,
      evolve: evolveStored,
      decide,
      metadata: { institution: institutionId, correlationId: env.correlationId, causationId: env.commandId },
      projections: [projectFeeEvents],
    }),
  );
  if (result.events.length > 0) deps.eventsCommitted();
  return storedOutcome(result.outcome, result.replayed);
}
