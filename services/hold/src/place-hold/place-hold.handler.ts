import type { CommandHandler } from "@circulate/commandbus";
import { acceptedOutcome, commands, type common, refusedOutcome, uuidv7 } from "@circulate/contracts";
import { commandHandler, peerDeadline, recordOutcome } from "@circulate/service";
import { decideQueueCommand, type HoldDeps, Reason } from "../app/command.support.js";
import { copyOnLoan, isKnownTitle, type KnownItem, resolveItem } from "../app/item-facts.js";
import { type HoldQueue, holdPrivilegeReason, holdTypeCode, initialHoldQueue, instantOf, patronGate } from "../domain/index.js";
import {
  copyAvailableNow,
  copyHoldable,
  decidePlaceHold,
  type NamedCopy,
  type PlaceHold,
  type PlaceHoldFacts,
  type PlaceHoldRefusal,
} from "./place-hold.decider.js";

const PLACE_REFUSAL: Record<Exclude<PlaceHoldRefusal, "hold_privileges_denied">, commands.RefusalReason> = {
  patron_not_found: Reason.PATRON_NOT_FOUND,
  hold_type_unknown: Reason.INVALID_REQUEST,
  item_required: Reason.INVALID_REQUEST,
  item_not_found: Reason.ITEM_NOT_FOUND,
  title_not_found: Reason.ITEM_NOT_FOUND,
  item_not_holdable: Reason.ITEM_NOT_CIRCULATING,
  pickup_location_required: Reason.PICKUP_LOCATION_INVALID,
  pickup_location_invalid: Reason.PICKUP_LOCATION_INVALID,
  dates_invalid: Reason.INVALID_REQUEST,
  expiry_in_past: Reason.INVALID_REQUEST,
  duplicate_hold: Reason.HOLD_ALREADY_PLACED,
  // A fresh UUIDv7 colliding is not the kiosk's fault.
  hold_id_taken: Reason.INTERNAL_ERROR,
};

/**
 * The copy and whether it is on loan (under its owner's institution). The loan
 * only sets the reply's available flag, so loan facts not caught up make the
 * reply say "not available" rather than refuse the hold.
 */
async function copyFacts(deps: HoldDeps, ref: common.ItemRef, deadline: Date): Promise<{ known: KnownItem | undefined; onLoan: boolean | "unknown" }> {
  const known = await resolveItem(deps, ref, deadline);
  if (!known) return { known, onLoan: "unknown" };
  return { known, onLoan: await copyOnLoan(deps, { institutionId: known.institution, barcode: known.barcode }, deadline) };
}

/**
 * 15 `+`. Facts first, outside the transaction: the patron's standing and PIN
 * (the patron service, the one question asked), in parallel with the copy and
 * its loan as this service knows them from the item and loan services' events.
 */
export function placeHoldHandler(deps: HoldDeps): CommandHandler<"placeHold"> {
  return commandHandler(deps, async (cmd, env) => {
    if (!cmd.patron?.barcode) return recordOutcome(deps.db, env, refusedOutcome(env, Reason.INVALID_REQUEST, "no patron identifier"));
    const patronRef: common.PatronRef = { institutionId: cmd.patron.institutionId || env.institutionId, barcode: cmd.patron.barcode, ownInstitutionOnly: cmd.patron.ownInstitutionOnly };
    const itemRef: common.ItemRef | undefined = cmd.item?.barcode
      ? { institutionId: cmd.item.institutionId || env.institutionId, barcode: cmd.item.barcode, ownInstitutionOnly: cmd.item.ownInstitutionOnly }
      : undefined;
    const titleIdentifier = cmd.titleIdentifier.trim();
    if (!itemRef && titleIdentifier === "")
      return recordOutcome(deps.db, env, refusedOutcome(env, Reason.INVALID_REQUEST, "neither item nor title identifier"));

    const deadline = peerDeadline(env);
    const [verified, copy] = await Promise.all([
      // The command id keys the PIN check: every attempt of one command counts a wrong PIN once.
      deps.peers.verifyPatron({ patron: patronRef, pin: cmd.pin, correlationId: env.commandId }, deadline),
      itemRef ? copyFacts(deps, itemRef, deadline) : undefined,
    ]);
    const gate = patronGate(verified, cmd.pin !== undefined);
    if (gate) return recordOutcome(deps.db, env, refusedOutcome(env, gate.reason, gate.detail, { patron: verified.standing }));

    const known = copy?.known;
    let titleId = titleIdentifier;
    let targetFound: boolean;
    if (itemRef) {
      if (known) titleId = known.titleId;
      targetFound = known !== undefined;
    } else {
      // A title id is accepted once some copy (or hold) of it is known here (see README).
      targetFound = await isKnownTitle(deps, titleId, deadline);
    }

    const named: NamedCopy | undefined =
      itemRef && known ? { barcode: itemRef.barcode, circulating: known.circulating, state: known.state, onLoan: copy?.onLoan ?? "unknown" } : undefined;
    const facts = (queue: HoldQueue): PlaceHoldFacts => ({
      patron: { found: true, holdPrivilegesDenied: verified.standing?.status?.holdPrivilegesDenied ?? false },
      target: { found: targetFound, holdable: named === undefined || copyHoldable(named), availableNow: copyAvailableNow(named, queue) },
      defaultPickupLocation: verified.homeLocation || env.terminal?.location || null,
      pickupLocations: deps.settings.pickupLocations,
    });
    const now = deps.now();
    const institution = itemRef?.institutionId ?? env.institutionId;
    const command: PlaceHold = {
      holdId: uuidv7(now.getTime()),
      patron: patronRef,
      institution,
      titleKey: titleId,
      holdType: holdTypeCode(cmd.holdType),
      itemBarcode: itemRef?.barcode ?? null,
      pickupLocation: cmd.pickupLocation.trim() || null,
      expiresAt: instantOf(cmd.expiresAt),
    };
    const refused = (reason: PlaceHoldRefusal, detail: string | undefined) =>
      refusedOutcome(env, reason === "hold_privileges_denied" ? holdPrivilegeReason(verified) : PLACE_REFUSAL[reason], detail ?? reason, {
        patron: verified.standing,
      });

    if (!targetFound) {
      // No queue to read: the decider still orders the refusals (privileges before the item).
      const d = decidePlaceHold(command, initialHoldQueue, facts(initialHoldQueue), now.toISOString());
      if (d.outcome === "refused") return recordOutcome(deps.db, env, refused(d.reason, d.detail));
    }

    return decideQueueCommand(deps, env, { institution, titleId }, (state) => {
      const d = decidePlaceHold(command, state.queue, facts(state.queue), now.toISOString());
      if (d.outcome === "refused") return { events: [], outcome: refused(d.reason, d.detail) };
      // What the decider cannot know: the patron service's id, the copy's id and title, the terminal.
      const events = d.events.map((e) => ({
        ...e,
        data: {
          ...e.data,
          patronId: verified.standing?.patronId ?? "",
          itemId: e.data.item ? (known?.itemId ?? "") : "",
          title: known?.title ?? "",
          terminalAccount: env.terminal?.account ?? "",
        },
      }));
      const reply = d.data;
      const outcome = acceptedOutcome(
        env,
        {
          $case: "placeHold",
          value: commands.HoldAccepted.fromPartial({
            holdId: reply.holdId,
            available: reply.available,
            queuePosition: reply.queuePosition,
            expiresAt: cmd.expiresAt,
            pickupLocation: reply.pickupLocation,
            item: itemRef,
            titleIdentifier: titleId,
            title: known?.title ?? "",
          }),
        },
        now,
      );
      return { events, outcome, at: now };
    });
  });
}
