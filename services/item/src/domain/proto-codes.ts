import { common, item as itemPb } from "@circulate/contracts";
import type { ItemRecord, Lending } from "./item.record.js";
import type { ItemStatus, TransitReason } from "./item.state.js";
import type { CirculationStatusCode, MediaTypeCode, SecurityMarkerCode } from "./sip2-codes.js";

// The domain speaks SIP2 codes; the contracts speak protobuf enums (whose
// values are not SIP2 codes). These tables are the only place they meet.

const MEDIA: Record<MediaTypeCode, common.MediaType> = {
  "000": common.MediaType.OTHER,
  "001": common.MediaType.BOOK,
  "002": common.MediaType.MAGAZINE,
  "003": common.MediaType.BOUND_JOURNAL,
  "004": common.MediaType.AUDIO_TAPE,
  "005": common.MediaType.VIDEO_TAPE,
  "006": common.MediaType.CD,
  "007": common.MediaType.DISKETTE,
  "008": common.MediaType.BOOK_WITH_DISKETTE,
  "009": common.MediaType.BOOK_WITH_CD,
  "010": common.MediaType.BOOK_WITH_AUDIO_TAPE,
};

const SECURITY: Record<SecurityMarkerCode, common.SecurityMarker> = {
  "00": common.SecurityMarker.OTHER,
  "01": common.SecurityMarker.NONE,
  "02": common.SecurityMarker.TATTLE_TAPE,
  "03": common.SecurityMarker.WHISPER_TAPE,
};

const CIRCULATION: Record<CirculationStatusCode, common.CirculationStatus> = {
  "01": common.CirculationStatus.OTHER,
  "02": common.CirculationStatus.ON_ORDER,
  "03": common.CirculationStatus.AVAILABLE,
  "04": common.CirculationStatus.CHARGED,
  "05": common.CirculationStatus.CHARGED_NOT_RECALLABLE,
  "06": common.CirculationStatus.IN_PROCESS,
  "07": common.CirculationStatus.RECALLED,
  "08": common.CirculationStatus.WAITING_ON_HOLD_SHELF,
  "09": common.CirculationStatus.WAITING_TO_BE_RESHELVED,
  "10": common.CirculationStatus.IN_TRANSIT,
  "11": common.CirculationStatus.CLAIMED_RETURNED,
  "12": common.CirculationStatus.LOST,
  "13": common.CirculationStatus.MISSING,
};

const STATE: Record<ItemStatus, itemPb.ItemState> = {
  available: itemPb.ItemState.AVAILABLE,
  on_loan: itemPb.ItemState.ON_LOAN,
  on_hold_shelf: itemPb.ItemState.ON_HOLD_SHELF,
  in_transit: itemPb.ItemState.IN_TRANSIT,
  missing: itemPb.ItemState.MISSING,
  lost: itemPb.ItemState.LOST,
  claimed_returned: itemPb.ItemState.CLAIMED_RETURNED,
  in_process: itemPb.ItemState.IN_PROCESS,
};

const REASON: Record<TransitReason, itemPb.TransitReason> = {
  return_home: itemPb.TransitReason.RETURN_HOME,
  hold: itemPb.TransitReason.HOLD,
  manual: itemPb.TransitReason.MANUAL,
};

function invert<K extends string, V extends string>(table: Record<K, V>): Map<V, K> {
  return new Map(Object.entries(table).map(([k, v]) => [v as V, k as K]));
}
const MEDIA_CODE = invert(MEDIA);
const SECURITY_CODE = invert(SECURITY);
const STATUS_OF = invert(STATE);
const REASON_OF = invert(REASON);

export const mediaTypeToProto = (code: MediaTypeCode): common.MediaType => MEDIA[code];
/** Not recorded (UNSPECIFIED, or a value newer than this build) reads as "000" other. */
export const mediaTypeFromProto = (value: common.MediaType): MediaTypeCode => MEDIA_CODE.get(value) ?? "000";

export const securityMarkerToProto = (code: SecurityMarkerCode): common.SecurityMarker => SECURITY[code];
/** Not recorded reads as "00" other: a kiosk must not assume there is no security device. */
export const securityMarkerFromProto = (value: common.SecurityMarker): SecurityMarkerCode => SECURITY_CODE.get(value) ?? "00";

export const circulationStatusToProto = (code: CirculationStatusCode): common.CirculationStatus => CIRCULATION[code];

export const itemStateToProto = (state: ItemStatus): itemPb.ItemState => STATE[state];
export const itemStateFromProto = (value: itemPb.ItemState): ItemStatus | undefined => STATUS_OF.get(value);

/**
 * The item-level state GetItem reports. Loans belong to the loan service and
 * holds to the hold service (item.proto: AVAILABLE = "wherever the loan/hold
 * services say"), so an item on loan or on the hold shelf reads AVAILABLE to
 * peers, which ask the owners of those facts themselves.
 */
export function itemLevelStateToProto(state: ItemStatus): itemPb.ItemState {
  return state === "on_loan" || state === "on_hold_shelf" ? itemPb.ItemState.AVAILABLE : STATE[state];
}

export const transitReasonToProto = (reason: TransitReason): itemPb.TransitReason => REASON[reason];
/** An unknown reason reads as "manual", the one that claims nothing about holds or owners. */
export const transitReasonFromProto = (value: itemPb.TransitReason): TransitReason => REASON_OF.get(value) ?? "manual";

/** The proto has one bit; `in_library_use` items cannot be lent either, so they read as non-circulating. */
export const lendingToCirculating = (lending: Lending): boolean => lending === "lendable";
export const lendingFromCirculating = (circulating: boolean): Lending => (circulating ? "lendable" : "non_circulating");

/** The catalogue fields of every message that carries an item's record (events, Item, ItemRecord, ItemSummary). */
export type RecordFields = Pick<
  itemPb.ItemRecord,
  | "title"
  | "titleId"
  | "itemType"
  | "mediaType"
  | "magneticMedia"
  | "securityMarker"
  | "permanentLocation"
  | "callNumber"
  | "collectionCode"
  | "owner"
  | "circulating"
>;

/** A record as message fields: `null` is proto3's "not recorded" (empty string, unset). */
export function recordFields(record: ItemRecord): RecordFields {
  return {
    title: record.title,
    titleId: record.titleId,
    itemType: record.itemType,
    mediaType: mediaTypeToProto(record.mediaType),
    magneticMedia: record.magneticMedia ?? undefined,
    securityMarker: securityMarkerToProto(record.securityMarker),
    permanentLocation: record.permanentLocation,
    callNumber: record.callNumber ?? "",
    collectionCode: record.collectionCode ?? "",
    owner: record.owner,
    circulating: lendingToCirculating(record.lending),
  };
}

/** The record in a message's fields; empty strings and an unset bit read as `null`. */
export function recordOf(fields: RecordFields): ItemRecord {
  return {
    title: fields.title,
    titleId: fields.titleId,
    callNumber: fields.callNumber || null,
    collectionCode: fields.collectionCode || null,
    mediaType: mediaTypeFromProto(fields.mediaType),
    itemType: fields.itemType,
    owner: fields.owner,
    permanentLocation: fields.permanentLocation,
    lending: lendingFromCirculating(fields.circulating),
    magneticMedia: fields.magneticMedia ?? null,
    securityMarker: securityMarkerFromProto(fields.securityMarker),
  };
}
