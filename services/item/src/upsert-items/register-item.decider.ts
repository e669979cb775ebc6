import { domainEvent, item as itemPb } from "@circulate/contracts";
import { accept, type Decision, refuse } from "@circulate/domain";
import { changedItemFields, homeOf, type ItemId, type ItemRecord, itemRecordProblem, type Location, pickItemRecord } from "../domain/item.record.js";
import type { ItemEvent, ItemState } from "../domain/item.state.js";
import { recordFields } from "../domain/proto-codes.js";

/** Import of a new item. It starts available; other states follow from their own commands. */
export interface RegisterItem {
  readonly type: "RegisterItem";
  readonly item: ItemId;
  readonly record: ItemRecord;
  /** Where it is now; `null` = at home (owner, permanent location). */
  readonly currentLocation: Location | null;
}

/** Import of changes to a known item: the full record as the catalogue has it now. */
export interface UpdateItem {
  readonly type: "UpdateItem";
  readonly item: ItemId;
  readonly record: ItemRecord;
}

export type RegisterItemRefusal = "invalid_record" | "item_already_registered";
export type UpdateItemRefusal = "invalid_record" | "item_not_found";

/** The fields an update changes (empty: nothing to record). */
export interface UpdateItemReply {
  readonly changed: readonly (keyof ItemRecord)[];
}

/**
 * Registers an item. The same import again is a no-op so an importer can
 * restart from the top; an existing barcode with different data is refused
 * (that is an UpdateItem). Only the record is compared: where the item is now
 * is circulation's business once it exists.
 */
export function decideRegisterItem(command: RegisterItem, state: ItemState): Decision<ItemEvent, RegisterItemRefusal> {
  const problem = itemRecordProblem(command.record);
  if (problem) return refuse("invalid_record", problem);
  const record = pickItemRecord(command.record);
  if (state.status === "registered") {
    return changedItemFields(state.record, record).length === 0
      ? accept([])
      : refuse("item_already_registered", "use UpdateItem to change an existing item");
  }
  const at = command.currentLocation ?? homeOf(record);
  return accept([
    domainEvent("ItemRegistered", {
      item: { institutionId: command.item.institution, barcode: command.item.barcode },
      ...recordFields(record),
      state: itemPb.ItemState.AVAILABLE,
      currentLocation: at.location,
      currentInstitutionId: at.institution,
    }),
  ]);
}

/**
 * Replaces the record; identical data emits nothing. A new permanent location
 * does not move the item: it is wherever it physically is until it is next
 * returned or sent.
 */
export function decideUpdateItem(command: UpdateItem, state: ItemState): Decision<ItemEvent, UpdateItemRefusal, UpdateItemReply> {
  if (state.status === "unregistered") return refuse("item_not_found");
  const problem = itemRecordProblem(command.record);
  if (problem) return refuse("invalid_record", problem);
  const record = pickItemRecord(command.record);
  const changed = changedItemFields(state.record, record);
  if (changed.length === 0) return accept([], { changed });
  const item = { institutionId: state.id.institution, barcode: state.id.barcode };
  return accept([domainEvent("ItemDetailsUpdated", { item, ...recordFields(record) })], { changed });
}
