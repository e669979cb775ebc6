import { accept, type Decision, fold, refuse } from "@circulate/domain";
import type { ItemId, ItemRecord, Location } from "../domain/item.record.js";
import { evolveItem, type ItemEvent, type ItemState } from "../domain/item.state.js";
import type { TransitionRefusal } from "../domain/item-transitions.js";
import { decideMarkInTransit } from "../mark-in-transit/mark-in-transit.decider.js";
import { decideMarkItemState, type MarkItemState } from "../mark-item-state/mark-item-state.decider.js";
import { decideMarkOnHoldShelf } from "../mark-on-hold-shelf/mark-on-hold-shelf.decider.js";
import { decideRegisterItem, decideUpdateItem } from "./register-item.decider.js";

/** The circulation state an import says the item is in now. */
export type ImportedState =
  | { readonly state: "available" }
  | { readonly state: "on_loan" }
  | { readonly state: "on_hold_shelf"; readonly pickup: Location }
  | { readonly state: "in_transit"; readonly destination: Location }
  | { readonly state: "missing" }
  | { readonly state: "lost" }
  | { readonly state: "claimed_returned" }
  | { readonly state: "in_process" };

/**
 * Admin import (UpsertItems): create or replace an item by barcode and, when
 * `state` is given, bring it into that state. Re-running the same import
 * emits nothing, so an importer can restart from the top.
 */
export interface ImportItem {
  readonly type: "ImportItem";
  readonly item: ItemId;
  readonly record: ItemRecord;
  /** Where a new item is; `null` = at home. An existing item stays where it is. */
  readonly currentLocation: Location | null;
  /** `null` = keep the state (new items: available). */
  readonly state: ImportedState | null;
}

/** What the item's stream says about imports: a state change other than an import's after the last import. */
export interface ImportHistory {
  readonly circulatedSinceImport: boolean;
}

export type ImportItemRefusal = "invalid_record" | TransitionRefusal | "already_at_destination";

export interface ImportItemReply {
  /** The barcode was new. */
  readonly created: boolean;
}

const MARK: Record<Exclude<ImportedState["state"], "on_hold_shelf" | "in_transit">, MarkItemState["type"]> = {
  available: "MarkAvailable",
  on_loan: "MarkOnLoan",
  missing: "MarkMissing",
  lost: "MarkLost",
  claimed_returned: "MarkClaimedReturned",
  in_process: "MarkInProcess",
};

function decideState(command: ImportItem, target: ImportedState, state: ItemState): Decision<ItemEvent, ImportItemRefusal> {
  switch (target.state) {
    case "on_hold_shelf":
      return decideMarkOnHoldShelf({ type: "MarkOnHoldShelf", item: command.item, pickup: target.pickup }, state);
    case "in_transit":
      // An import names no reason; "manual" is the one that claims nothing about holds or owners.
      return decideMarkInTransit(
        { type: "MarkInTransit", item: command.item, destination: target.destination, reason: "manual" },
        state,
      );
    default:
      return decideMarkItemState({ type: MARK[target.state], item: command.item }, state);
  }
}

/**
 * Register (new barcode) or update (known barcode) the record, then move the
 * item into the imported state through the ordinary transition rules (the
 * same table staff commands follow), all or nothing. The import is data from
 * the previous system, yet it does not override an open loan: an item this
 * service knows to be on loan is refused `item_on_loan` for "missing", as a
 * staff command would be, because the loan service holds that loan. And once
 * the item's state changed here other than by an import (a checkin, a loan, a
 * trap), the record's state is ignored: a re-run must not mark a found item
 * missing again. The record's fields are still applied.
 */
export function decideImportItem(
  command: ImportItem,
  state: ItemState,
  history: ImportHistory = { circulatedSinceImport: false },
): Decision<ItemEvent, ImportItemRefusal, ImportItemReply> {
  const created = state.status === "unregistered";
  const record = created
    ? decideRegisterItem({ type: "RegisterItem", item: command.item, record: command.record, currentLocation: command.currentLocation }, state)
    : decideUpdateItem({ type: "UpdateItem", item: command.item, record: command.record }, state);
  if (record.outcome === "refused") {
    // The only refusal left: registering is never "already registered" here, nor updating "not found".
    return refuse("invalid_record", record.detail);
  }
  // Once the item circulated here its state is Circulate's: the previous system's is out of date.
  if (!command.state || history.circulatedSinceImport) return accept(record.events, { created });
  const afterRecord = fold(evolveItem, state, record.events);
  const moved = decideState(command, command.state, afterRecord);
  if (moved.outcome === "refused") return refuse(moved.reason, moved.detail ?? `import: cannot make the item ${command.state.state}`);
  return accept([...record.events, ...moved.events], { created });
}

// Keyed by every event type, so a new one must be classed here. Types this service never records change nothing.
const MOVES_THE_ITEM: Record<ItemEvent["type"], boolean> = {
  ItemRegistered: false,
  ItemDetailsUpdated: false,
  ItemStatusUpdated: false,
  ItemMarkedOnLoan: true,
  ItemReturned: true,
  ItemPlacedOnHoldShelf: true,
  ItemTransitStarted: true,
  ItemMarkedMissing: true,
  ItemMarkedLost: true,
  ItemClaimedReturned: true,
  ItemMarkedInProcess: true,
  ItemMarkedAvailable: true,
  ItemLocationChanged: false,
  ItemFound: true,
  ItemTransitCompleted: false,
  ItemWithdrawn: false,
};

/**
 * Folds one more event of an item's stream into its import history: a state
 * change by an import starts it again, one by anything else (loan, hold, staff
 * or kiosk) is circulation; record edits change nothing.
 */
export function evolveImportHistory(history: ImportHistory, event: ItemEvent, byImport: boolean): ImportHistory {
  if (!MOVES_THE_ITEM[event.type]) return history;
  return { circulatedSinceImport: !byImport };
}
