import type { CommandHandler } from "@circulate/commandbus";
import { acceptedOutcome, commands, common, hold, refusedOutcome } from "@circulate/contracts";
import { commandHandler, peerDeadline } from "@circulate/service";
import type { LoanTrx } from "../adapters/db.js";
import { lockQueue, markTrapped, patronName, queueHolds } from "../adapters/peer-facts.repository.js";
import { decideTrap, loanStreamId, type Trap } from "../domain/index.js";
import { decideOnStream, type LoanDeps } from "../app/command.js";
import { type ItemInfo, queuedHold } from "../app/facts.js";
import { foundItem, itemRefOf, offlineOccurredAt, peerFactsCurrent, terminalFacts } from "../app/lookups.js";
import { refusalReason } from "../app/refusals.js";
import { institutionTerms } from "../app/terms.js";
import { type CheckInItem, decideCheckin } from "./checkin.decider.js";
import { alerting } from "./checkin.routing.js";

/**
 * SIP2 09 Checkin, decided from our own copies of the item and hold facts.
 * Whether the returned copy is trapped for a hold is decided here, in the
 * checkin's transaction (one title queue at a time), and carried by
 * ItemCheckedIn, from which the hold service applies it. The response carries
 * the alert, its type, the destination (CT) and the hold patron (CY, DA).
 */
export function checkInItemHandler(deps: LoanDeps): CommandHandler<"checkInItem"> {
  return commandHandler(deps, (command, envelope) => checkIn(deps, command, envelope));
}

/** The hold patron's display name (DA), from our copy of patrons' names; unknown costs the name, not the return. */
function holdPatronName(trx: LoanTrx, patronId: string): Promise<string> {
  return patronId ? patronName(trx, patronId) : Promise.resolve("");
}

/** Our copy of the hold as the trap leaves it, until the hold service's own event replaces it. */
function trappedCopy({ trap, held }: { trap: Trap; held: hold.Hold }, item: ItemInfo): hold.Hold {
  return { ...held, status: trap.inTransit ? hold.HoldStatus.IN_TRANSIT : hold.HoldStatus.AVAILABLE, trappedItem: item.ref };
}

/** The hold a copy checked in at `location` goes to, decided on the title queue under its lock. */
async function trapFor(trx: LoanTrx, item: ItemInfo, location: string, now: Date): Promise<{ trap: Trap; held: hold.Hold } | null> {
  if (!item.item || !item.facts.found) return null;
  const queue = { institutionId: item.ref.institutionId, titleId: item.item.titleId };
  if (queue.titleId === "") return null;
  await lockQueue(trx, queue);
  const holds = await queueHolds(trx, queue);
  const trap = decideTrap(holds.map(queuedHold), { barcode: item.ref.barcode, branch: item.facts.permanentLocation }, location, now);
  const held = trap && holds.find((h) => h.holdId === trap.holdId);
  return trap && held ? { trap, held } : null;
}

async function checkIn(deps: LoanDeps, command: commands.CheckInItem, envelope: commands.CommandEnvelope): Promise<commands.Outcome> {
  const deadline = peerDeadline(envelope);
  const itemRef = itemRefOf(command.item, envelope);
  const location = command.currentLocation || envelope.terminal?.location || "";
  await peerFactsCurrent(deps, deadline);
  const item = await foundItem(deps.db, itemRef);
  const institution = await institutionTerms(deps.db, item.ref.institutionId, deps.defaultTimeZone);

  const terminal = terminalFacts(envelope, { renewalAllowed: false, noBlock: command.noBlock, noBlockDueDate: undefined });
  const decision: CheckInItem = {
    type: "CheckInItem",
    institutionId: envelope.institutionId,
    itemBarcode: itemRef.barcode,
    cancel: command.cancel,
    returnedAt: command.returnDate ?? null,
    transactionAt: envelope.terminalTime ?? null,
    location,
  };

  return decideOnStream(deps, envelope, loanStreamId(item.ref.institutionId, item.ref.barcode), command.noBlock, async (stream, trx) => {
    const now = deps.now();
    const d = decideCheckin(decision, stream.state, { item: item.facts, terminal, time: institution.time }, now);
    if (d.outcome === "refused") {
      const extras = {
        item: item.facts.found ? item.summary : undefined,
        alertType: d.reason === "item_not_found" ? common.AlertType.OTHER : common.AlertType.UNSPECIFIED,
      };
      return { events: d.events, outcome: () => refusedOutcome(envelope, refusalReason(d.reason), d.detail ?? d.reason, extras, now) };
    }
    const { data } = d;
    const trapped = command.cancel ? null : await trapFor(trx, item, location, now);
    if (trapped) await markTrapped(trx, trappedCopy(trapped, item));
    const held = trapped?.held;
    const patronName = held ? await holdPatronName(trx, held.patronId) : "";
    const alert = alerting(trapped?.trap ?? null, data.alerts, item.facts);
    // The loan the checkin (or cancel) is about: the one current before it.
    const loan = stream.state.status === "on_loan" ? stream.state.loan : null;
    return {
      events: d.events,
      routing: alert.routing,
      occurredAt: offlineOccurredAt(envelope, command.noBlock, now),
      outcome: () =>
        acceptedOutcome(
          envelope,
          {
            $case: "checkInItem",
            value: commands.CheckInItemAccepted.fromPartial({
              loanId: data.kind === "not_on_loan" ? "" : (loan?.loanId ?? ""),
              item: item.summary,
              borrower: data.patronBarcode ? { institutionId: loan?.patron.institutionId ?? "", barcode: data.patronBarcode } : undefined,
              borrowerPatronId: data.patronId ?? "",
              dueAt: data.dueAt ? new Date(data.dueAt) : undefined,
              resensitize: true,
              alert: alert.alert,
              alertType: alert.alertType,
              destinationLocation: alert.destination,
              hold: held
                ? {
                    holdId: held.holdId,
                    patron: held.patron,
                    patronId: held.patronId,
                    patronName,
                    pickupLocation: held.pickupLocation,
                    inTransit: trapped?.trap.inTransit ?? false,
                  }
                : undefined,
              offline: data.offline,
              cancellation: data.kind === "checkout_cancelled" || data.kind === "renewal_cancelled",
            }),
          },
          now,
        ),
    };
  });
}
