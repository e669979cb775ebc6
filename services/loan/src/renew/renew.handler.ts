import type { CommandHandler } from "@circulate/commandbus";
import { acceptedOutcome, commands, type common, refusedOutcome } from "@circulate/contracts";
import { commandHandler, peerDeadline } from "@circulate/service";
import { loanStreamId, pinToVerify, renewalsLeft } from "../domain/index.js";
import { decideOnStream, type LoanDeps } from "../app/command.js";
import { holdFacts } from "../app/facts.js";
import { loanOfTitle } from "../adapters/loans.repository.js";
import { foundItem, holdQueue, itemRefOf, offlineOccurredAt, patronRefOf, peerFactsCurrent, terminalFacts, verifiedPatron } from "../app/lookups.js";
import { refusalReason } from "../app/refusals.js";
import { institutionTerms } from "../app/terms.js";
import { decideRenew, type RenewLoan } from "./renew.decider.js";

/**
 * SIP2 29 Renew. The item is named by barcode or, failing that, by title
 * (AJ): then it is the patron's loan of that title, found once we know who
 * the patron is. Third-party renewals are not supported: an item on loan to
 * someone else is refused ITEM_ON_LOAN_TO_OTHER whatever the terminal allows.
 */
export function renewItemHandler(deps: LoanDeps): CommandHandler<"renewItem"> {
  return commandHandler(deps, (command, envelope) => renew(deps, command, envelope));
}

async function renew(deps: LoanDeps, command: commands.RenewItem, envelope: commands.CommandEnvelope): Promise<commands.Outcome> {
  const deadline = peerDeadline(envelope);
  const patronRef = patronRefOf(command.patron, envelope);
  const pin = pinToVerify(command.pin, { noBlock: command.noBlock, cancel: false });
  let itemRef: common.ItemRef = itemRefOf(command.item, envelope);
  const [patron] = await Promise.all([verifiedPatron(deps.peers, patronRef, pin, envelope, deadline), peerFactsCurrent(deps, deadline)]);
  if (!itemRef.barcode) {
    const loan = patron.facts.found && command.titleIdentifier ? await loanOfTitle(deps.db, patron.facts.patronId, command.titleIdentifier) : undefined;
    if (loan) itemRef = { institutionId: loan.item_institution_id, barcode: loan.item_barcode };
  }
  const item = await foundItem(deps.db, itemRef);
  const queue = await holdQueue(deps.db, item);
  const holds = holdFacts(queue, item, patron.facts.found ? patron.facts.patronId : null, deps.now());
  const institution = await institutionTerms(deps.db, item.ref.institutionId, deps.defaultTimeZone);

  // 29 is an explicit request to renew: whether this terminal may is the gateway's business.
  const terminal = terminalFacts(envelope, { renewalAllowed: true, noBlock: command.noBlock, noBlockDueDate: command.noBlockDueDate });
  const decision: RenewLoan = {
    type: "RenewLoan",
    institutionId: envelope.institutionId,
    patronBarcode: patronRef.barcode,
    itemBarcode: itemRef.barcode,
    transactionAt: envelope.terminalTime ?? null,
  };

  return decideOnStream(deps, envelope, loanStreamId(item.ref.institutionId, item.ref.barcode), command.noBlock, (stream) => {
    const now = deps.now();
    const d = decideRenew(decision, stream.state, { patron: patron.facts, item: item.facts, holds, terminal, time: institution.time }, now);
    const loan = stream.state.status === "on_loan" ? stream.state.loan : null;
    if (d.outcome === "refused") {
      const extras = { patron: patron.standing, item: item.facts.found ? item.summary : undefined, dueAt: loan?.dueAt };
      return { events: d.events, outcome: () => refusedOutcome(envelope, refusalReason(d.reason), d.detail ?? d.reason, extras, now) };
    }
    const { data } = d;
    return {
      events: d.events,
      occurredAt: offlineOccurredAt(envelope, command.noBlock, now),
      outcome: () =>
        acceptedOutcome(
          envelope,
          {
            $case: "renewItem",
            value: commands.RenewItemAccepted.fromPartial({
              loanId: loan?.loanId ?? "",
              patronId: data.patronId,
              item: item.summary,
              dueAt: new Date(data.dueAt),
              previousDueAt: loan?.dueAt,
              renewalCount: data.renewals,
              renewalsRemaining: renewalsLeft(loan?.terms, data.renewals),
              desensitize: true,
              offline: data.offline,
            }),
          },
          now,
        ),
    };
  });
}
