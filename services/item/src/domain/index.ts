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
export { ENTERABLE_FROM, type TransitionRefusal, transitionRefusal } from "./item-transitions.js";
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
