export { circulationStatus, type HoldFacts, type LoanFacts } from "./circulation-status.js";
export {
  changedItemFields,
  homeOf,
  ITEM_RECORD_FIELDS,
  type ItemId,
  type ItemRecord,
  itemRecordProblem,
  type Lending,
  type Location,
  sameLocation,
} from "./item.record.js";
export {
  type Circulation,
  evolveItem,
  ITEM_STATUSES,
  type ItemEvent,
  type ItemState,
  type ItemStatus,
  initialItemState,
  itemStreamId,
  type RegisteredItem,
  type TransitReason,
  type UnregisteredItem,
} from "./item.state.js";
export {
  type ItemFeeFacts,
  type ItemInformation,
  type ItemInformationFacts,
  itemInformation,
  unknownItemInformation,
} from "./item-information.js";
export { ENTERABLE_FROM, type TransitionRefusal, transitionRefusal } from "./item-transitions.js";
export { decideMarkInTransit, type MarkInTransit, type MarkInTransitRefusal, transitStarted } from "./mark-in-transit.decider.js";
export {
  decideMarkItemState,
  type MarkAvailable,
  type MarkClaimedReturned,
  type MarkInProcess,
  type MarkItemState,
  type MarkLost,
  type MarkMissing,
  type MarkOnLoan,
} from "./mark-item-state.decider.js";
export { decideMarkOnHoldShelf, type MarkOnHoldShelf, placedOnHoldShelf } from "./mark-on-hold-shelf.decider.js";
export {
  decideMarkReturned,
  type MarkReturned,
  type MarkReturnedRefusal,
  placementAfterReturn,
  type ReturnPlacement,
} from "./mark-returned.decider.js";
export {
  decideRegisterItem,
  decideUpdateItem,
  type RegisterItem,
  type RegisterItemRefusal,
  type UpdateItem,
  type UpdateItemRefusal,
  type UpdateItemReply,
} from "./register-item.decider.js";
export {
  circulationStatusToProto,
  itemLevelStateToProto,
  type RecordFields,
  recordFields,
  recordOf,
  securityMarkerToProto,
} from "./proto-codes.js";
export {
  CIRCULATION_STATUS,
  type CirculationStatusCode,
  FEE_TYPE,
  type FeeTypeCode,
  isMediaTypeCode,
  isSecurityMarkerCode,
  MEDIA_TYPE,
  type MediaTypeCode,
  SECURITY_MARKER,
  type SecurityMarkerCode,
} from "./sip2-codes.js";
export {
  decideUpdateItemStatus,
  type ItemPropertiesReply,
  type UpdateItemStatus,
  type UpdateItemStatusRefusal,
} from "./update-item-status.decider.js";
export {
  decideImportItem,
  evolveImportHistory,
  type ImportedState,
  type ImportHistory,
  type ImportItem,
  type ImportItemRefusal,
  type ImportItemReply,
} from "./import-item.decider.js";
