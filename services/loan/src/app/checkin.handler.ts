import type { CommandHandler } from "@circulate/commandbus";
import { acceptedOutcome, commands, common, type hold, refusedOutcome } from "@circulate/contracts";
import type { Routing } from "../adapters/events.codec.js";
import { type CheckInItem, type CheckinAlert, decideCheckin, loanStreamId } from "../domain/index.js";
import { callDeadline, decideOnStream, guarded, type LoanDeps } from "./command.js";
import type { ItemInfo } from "./facts.js";
import { foundItem, itemRefOf, offlineOccurredAt, peerFactsCurrent, terminalFacts } from "./lookups.js";
import { PeerError } from "./peers.js";
import { refusalReason } from "./refusals.js";
import { institutionTerms } from "./terms.js";

/**
 * SIP2 09 Checkin. Whether the returned copy is trapped for a hold is the
 * hold service's decision: asked on every return (not on a cancel) before
 * ours, with the command id as the check-in id, so a retry of the same
 * command gets the same answer. The response carries the alert, its type,
 * the destination (CT) and the hold patron (CY, DA).
 */
export function checkInItemHandler(deps: LoanDeps): CommandHandler<"checkInItem"> {
  return (command, envelope) => guarded(deps, envelope, () => checkIn(deps, command, envelope));
}

interface Alerting {
  readonly alert: boolean;
  readonly alertType: common.AlertType;
  readonly destination: string;
  readonly routing: Routing | null;
}

/** What the kiosk or sorter does with the copy: a hold first, then going home, then anything odd. */
function alerting(trap: hold.TrapOnCheckinResponse | null, alerts: readonly CheckinAlert[], item: ItemInfo): Alerting {
  const held = trap?.hold;
  if (trap && held) {
    const alertType =
      trap.alertType !== common.AlertType.UNSPECIFIED ? trap.alertType : trap.inTransit ? common.AlertType.REMOTE_HOLD : common.AlertType.LOCAL_HOLD;
    const destination = trap.destination || held.pickupLocation;
    return { alert: true, alertType, destination, routing: { holdId: held.holdId, destination, inTransit: trap.inTransit } };
  }
  if (alerts.includes("returned_to_other_institution")) {
    const destination = item.facts.found ? item.facts.permanentLocation || item.facts.owningInstitutionId : "";
    return { alert: true, alertType: common.AlertType.TRANSIT, destination, routing: { holdId: "", destination, inTransit: true } };
  }
  if (alerts.length > 0) return { alert: true, alertType: common.AlertType.OTHER, destination: "", routing: null };
  return { alert: false, alertType: common.AlertType.UNSPECIFIED, destination: "", routing: null };
}

/** The hold patron's display name (DA); a patron service that does not answer costs the name, not the return. */
async function holdPatronName(deps: LoanDeps, held: hold.Hold, deadline: Date): Promise<string> {
  const key = held.patronId ? { $case: "patronId" as const, value: held.patronId } : held.patron ? { $case: "patron" as const, value: held.patron } : undefined;
  if (!key) return "";
  try {
    return (await deps.peers.getPatron({ key }, deadline)).patron?.name ?? "";
  } catch (err) {
    if (!(err instanceof PeerError)) throw err;
    deps.logger.warn({ err, holdId: held.holdId }, "hold patron's name unavailable");
    return "";
  }
}

async function checkIn(deps: LoanDeps, command: commands.CheckInItem, envelope: commands.CommandEnvelope): Promise<commands.Outcome> {
  const deadline = callDeadline(envelope);
  const itemRef = itemRefOf(command.item, envelope);
  const location = command.currentLocation || envelope.terminal?.location || "";
  await peerFactsCurrent(deps, deadline);
  const item = await foundItem(deps.db, itemRef);
  const trap =
    item.facts.found && !command.cancel
      ? await deps.peers.trapOnCheckin(
          { checkInId: envelope.commandId, item: item.ref, itemId: item.item?.itemId ?? "", titleId: item.item?.titleId ?? "", location },
          deadline,
        )
      : null;
  const held = trap?.hold;
  const [institution, patronName] = await Promise.all([
    institutionTerms(deps.db, item.ref.institutionId, deps.defaultTimeZone),
    held ? holdPatronName(deps, held, deadline) : "",
  ]);

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
  const fresh = {
    loanId: "",
    itemId: item.item?.itemId ?? "",
    title: item.item?.title ?? "",
    titleId: item.item?.titleId ?? "",
    patronInstitutionId: "",
    currency: institution.currency,
    terminalAccount: terminal.terminalId,
  };

  return decideOnStream(deps, envelope, loanStreamId(item.ref.institutionId, item.ref.barcode), command.noBlock, (stream) => {
    const now = deps.now();
    const d = decideCheckin(decision, stream.state, { item: item.facts, terminal, time: institution.time }, now);
    const details = { timeZone: institution.time.timeZone, location, routing: null };
    if (d.outcome === "refused") {
      const extras = {
        item: item.facts.found ? item.summary : undefined,
        alertType: d.reason === "item_not_found" ? common.AlertType.OTHER : common.AlertType.UNSPECIFIED,
      };
      return { events: d.events, fresh, details, outcome: () => refusedOutcome(envelope, refusalReason(d.reason), d.detail ?? d.reason, extras, now) };
    }
    const { data } = d;
    const alert = alerting(trap, data.alerts, item);
    // The loan the checkin (or cancel) is about: the one current before it.
    const loanMeta = stream.current;
    return {
      events: d.events,
      fresh,
      details: { ...details, routing: alert.routing },
      occurredAt: offlineOccurredAt(envelope, command.noBlock, now),
      outcome: () =>
        acceptedOutcome(
          envelope,
          {
            $case: "checkInItem",
            value: commands.CheckInItemAccepted.fromPartial({
              loanId: data.kind === "not_on_loan" ? "" : (loanMeta?.loanId ?? ""),
              item: item.summary,
              borrower: data.patronBarcode ? { institutionId: loanMeta?.patronInstitutionId ?? "", barcode: data.patronBarcode } : undefined,
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
                    pickupBy: held.pickupBy,
                    inTransit: trap?.inTransit ?? false,
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
