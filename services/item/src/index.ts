// The package's public API: the shared domain, each command's decider or view, and the service.
export * from "./domain/index.js";
export { circulationStatus, type HoldFacts, type LoanFacts } from "./get-item-information/circulation-status.js";
export {
  type ItemFeeFacts,
  type ItemInformation,
  type ItemInformationFacts,
  itemInformation,
  unknownItemInformation,
} from "./get-item-information/item-information.js";
export { decideMarkInTransit, type MarkInTransit, type MarkInTransitRefusal, transitStarted } from "./mark-in-transit/mark-in-transit.decider.js";
export {
  decideMarkItemState,
  type MarkAvailable,
  type MarkClaimedReturned,
  type MarkInProcess,
  type MarkItemState,
  type MarkLost,
  type MarkMissing,
  type MarkOnLoan,
} from "./mark-item-state/mark-item-state.decider.js";
export { decideMarkOnHoldShelf, type MarkOnHoldShelf, placedOnHoldShelf } from "./mark-on-hold-shelf/mark-on-hold-shelf.decider.js";
export {
  decideMarkReturned,
  type MarkReturned,
  type MarkReturnedRefusal,
  placementAfterReturn,
  type ReturnPlacement,
} from "./mark-returned/mark-returned.decider.js";
export {
  decideRegisterItem,
  decideUpdateItem,
  type RegisterItem,
  type RegisterItemRefusal,
  type UpdateItem,
  type UpdateItemRefusal,
  type UpdateItemReply,
} from "./upsert-items/register-item.decider.js";
export { decideSetItemStatus, type SetItemStatus, type SetItemStatusRefusal } from "./set-item-status/set-item-status.decider.js";
export {
  decideUpdateItemStatus,
  type ItemPropertiesReply,
  type UpdateItemStatus,
  type UpdateItemStatusRefusal,
} from "./update-item-status/update-item-status.decider.js";
export {
  decideImportItem,
  evolveImportHistory,
  type ImportedState,
  type ImportHistory,
  type ImportItem,
  type ImportItemRefusal,
  type ImportItemReply,
} from "./upsert-items/import-item.decider.js";
export { itemService } from "./service.js";
