import { type DomainEventOf, domainEvent } from "@circulate/contracts";
import { accept, type Decision, refuse } from "@circulate/domain";
import { activeHoldOf, copyRef, type HoldQueue, holdTrappingItem, targetMatches } from "../domain/index.js";

type FulfilEvent = DomainEventOf<"HoldTrapReleased"> | DomainEventOf<"HoldFulfilled">;

/** Sent by the loan service after a checkout (11) of a copy of this title was accepted. */
export interface FulfilHold {
  readonly patronKey: string;
  /** The queue: the institution whose copies fill it, and the title. */
  readonly institution: string;
  readonly titleKey: string;
  readonly itemBarcode: string;
  readonly itemBranch: string | null;
  /** The checkout was no-block: it happened whatever the rules say, so it is never refused here. */
  readonly offline: boolean;
}

export type FulfilHoldRefusal = "item_on_hold_for_other";

export interface FulfilResult {
  /** The patron's hold this checkout filled; `null` = the patron had none this copy could fill. */
  readonly fulfilledHoldId: string | null;
  /** Another copy that had been trapped for the patron and now waits for the next hold. */
  readonly releasedItem: string | null;
  /** Someone else's hold that lost this copy to a no-block checkout and waits again. */
  readonly untrappedHoldId: string | null;
}

/**
 * The patron's own hold on the title is filled by any copy they borrow (not only
 * the trapped one), as in Koha: they have what they asked for. A copy-specific
 * hold is filled only by that copy. The copy's id and the loan are the app's to add.
 */
export function decideFulfilHold(command: FulfilHold, queue: HoldQueue): Decision<FulfilEvent, FulfilHoldRefusal, FulfilResult> {
  const events: FulfilEvent[] = [];
  const item = copyRef(command.institution, command.itemBarcode);
  let untrappedHoldId: string | null = null;

  const trappedFor = holdTrappingItem(queue, command.itemBarcode);
  if (trappedFor && trappedFor.patronKey !== command.patronKey) {
    // The loan service refuses such a checkout online (holdFactsForItem); reaching here online is a race.
    if (!command.offline) return refuse("item_on_hold_for_other", `${command.itemBarcode} is trapped for ${trappedFor.holdId}`);
    untrappedHoldId = trappedFor.holdId;
    events.push(
      domainEvent("HoldTrapReleased", {
        holdId: trappedFor.holdId,
        patronId: trappedFor.patronId,
        titleId: command.titleKey,
        item,
        reason: "checked_out_to_other",
      }),
    );
  }

  const own = activeHoldOf(queue, command.patronKey);
  const fills = own && (own.target.kind !== "item" || targetMatches(own, command));
  if (!own || !fills) return accept(events, { fulfilledHoldId: null, releasedItem: null, untrappedHoldId });

  const releasedItem = own.status !== "waiting" && own.trap.itemBarcode !== command.itemBarcode ? own.trap.itemBarcode : null;
  events.push(
    domainEvent("HoldFulfilled", {
      holdId: own.holdId,
      patronId: own.patronId,
      titleId: command.titleKey,
      item,
      releasedItem: copyRef(command.institution, releasedItem),
    }),
  );
  return accept(events, { fulfilledHoldId: own.holdId, releasedItem, untrappedHoldId });
}
