import type { CommandHandler } from "@circulate/commandbus";
import { acceptedOutcome, commands, refusedOutcome } from "@circulate/contracts";
import { commandHandler, peerDeadline } from "@circulate/service";
import { loanStreamId, NO_RULE, pinToVerify } from "../domain/index.js";
import { chargedCount } from "../adapters/loans.repository.js";
import { decideOnStream, type LoanDeps } from "../app/command.js";
import { holdFacts } from "../app/facts.js";
import { currentLoanId } from "../app/loan-stream.js";
import { foundItem, holdQueue, itemRefOf, offlineOccurredAt, patronRefOf, peerFactsCurrent, terminalFacts, verifiedPatron } from "../app/lookups.js";
import { refusalReason } from "../app/refusals.js";
import { institutionTerms, ruleFor } from "../app/terms.js";
import { type CheckOutItem, decideCheckout } from "./checkout.decider.js";

/**
 * SIP2 11 Checkout. The patron service is asked for the standing and PIN check
 * while our copies of the item and hold facts catch up, then the rule and
 * calendar of the item's institution; the decision runs on the item's stream, so two checkouts of
 * one copy at once conflict and the second is decided on the first's result.
 */
export function checkOutItemHandler(deps: LoanDeps): CommandHandler<"checkOutItem"> {
  return commandHandler(deps, (command, envelope) => checkOut(deps, command, envelope));
}

async function checkOut(deps: LoanDeps, command: commands.CheckOutItem, envelope: commands.CommandEnvelope): Promise<commands.Outcome> {
  const deadline = peerDeadline(envelope);
  const patronRef = patronRefOf(command.patron, envelope);
  const itemRef = itemRefOf(command.item, envelope);
  const pin = pinToVerify(command.pin, command);
  const [patron] = await Promise.all([verifiedPatron(deps.peers, patronRef, pin, envelope, deadline), peerFactsCurrent(deps, deadline)]);
  const item = await foundItem(deps.db, itemRef);
  const queue = command.cancel ? null : await holdQueue(deps.db, item);
  const holds = holdFacts(queue, item, patron.facts.found ? patron.facts.patronId : null, deps.now());
  const owner = item.ref.institutionId;
  const [institution, rule] = await Promise.all([
    institutionTerms(deps.db, owner, deps.defaultTimeZone),
    patron.facts.found && item.facts.found
      ? ruleFor(deps.db, { institutionId: owner, patronType: patron.facts.patronType, itemType: item.facts.itemType })
      : { rule: NO_RULE, currency: "" },
  ]);

  const terminal = terminalFacts(envelope, command);
  const decision: CheckOutItem = {
    type: "CheckOutItem",
    institutionId: envelope.institutionId,
    patronBarcode: patronRef.barcode,
    itemBarcode: itemRef.barcode,
    cancel: command.cancel,
    transactionAt: envelope.terminalTime ?? null,
    loanId: deps.newId(),
  };
  const currency = rule.currency || institution.currency;
  const streamId = loanStreamId(owner, item.ref.barcode);

  return decideOnStream(deps, envelope, streamId, command.noBlock, async (stream, trx) => {
    const now = deps.now();
    const counted = patron.facts.found && !command.cancel && !command.noBlock;
    const patronFacts = counted && patron.facts.found ? { ...patron.facts, chargedCount: await chargedCount(trx, patron.facts.patronId) } : patron.facts;
    const d = decideCheckout(decision, stream.state, { patron: patronFacts, item: item.facts, holds, terminal, rule: rule.rule, currency, time: institution.time }, now);
    const occurredAt = offlineOccurredAt(envelope, command.noBlock, now);
    if (d.outcome === "refused") {
      const extras = {
        patron: patron.standing,
        item: item.facts.found ? item.summary : undefined,
        dueAt: stream.state.status === "on_loan" ? stream.state.loan.dueAt : undefined,
      };
      return { events: d.events, outcome: () => refusedOutcome(envelope, refusalReason(d.reason), d.detail ?? d.reason, extras, now) };
    }
    const { data } = d;
    return {
      events: d.events,
      occurredAt,
      outcome: (after) =>
        acceptedOutcome(
          envelope,
          {
            $case: "checkOutItem",
            value: commands.CheckOutItemAccepted.fromPartial({
              loanId: currentLoanId(after),
              patronId: data.patronId,
              item: item.summary,
              dueAt: new Date(data.dueAt),
              renewal: data.renewalOk,
              desensitize: true,
              offline: data.offline,
              cancellation: data.kind === "checkin_cancelled",
            }),
          },
          now,
        ),
    };
  });
}
