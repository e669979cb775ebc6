import { domainEvent } from "@circulate/contracts";
import { accept, type Decision, refuse } from "@circulate/domain";
import type { ItemId } from "../domain/item.record.js";
import type { ItemEvent, ItemState } from "../domain/item.state.js";

/** 19 Item Status Update: store the kiosk's item properties (`CH`). */
export interface UpdateItemStatus {
  readonly type: "UpdateItemStatus";
  readonly item: ItemId;
  readonly properties: string;
}

export type UpdateItemStatusRefusal = "item_not_found";

/** What 20 echoes back: `CH` as now stored. */
export interface ItemPropertiesReply {
  readonly properties: string;
}

/**
 * Stores the properties verbatim (SIP2 leaves their meaning to the site) and
 * answers `item properties ok` = 1. An empty value is stored too: it clears
 * them. The same value again is accepted without an event. An unknown item is
 * refused (20 with ok = 0).
 */
export function decideUpdateItemStatus(
  command: UpdateItemStatus,
  state: ItemState,
): Decision<ItemEvent, UpdateItemStatusRefusal, ItemPropertiesReply> {
  if (state.status === "unregistered") return refuse("item_not_found");
  const reply = { properties: command.properties };
  if (state.properties === command.properties) return accept([], reply);
  return accept([domainEvent("ItemStatusUpdated", { properties: command.properties })], reply);
}
