/** Item messages: 17/18 item information, 19/20 item status update. */
import type { CirculationStatus, CodeOf, FeeType, MediaType, SecurityMarker } from "../codes.js";
import { defineMessage, SCREEN_AND_PRINT, type SipMessageBase } from "../fields.js";
import type { ResponseBase } from "./common.js";

/** 17 Item Information (SC→ACS, v2). */
export interface ItemInformationRequest extends SipMessageBase {
  code: "17";
  /** transaction date — fixed 18, required. */
  transactionDate: Date | null;
  /** AO institution id — variable, required. */
  institutionId: string;
  /** AB item identifier — variable, required. */
  itemIdentifier: string;
  /** AC terminal password — variable, optional. */
  terminalPassword?: string;
}

export const itemInformationRequest = defineMessage<ItemInformationRequest>()({
  code: "17",
  name: "Item Information",
  direction: "request",
  fixed: [{ name: "transactionDate", kind: "date" }],
  fields: [
    { id: "AO", name: "institutionId", kind: "text", required: true },
    { id: "AB", name: "itemIdentifier", kind: "text", required: true },
    { id: "AC", name: "terminalPassword", kind: "text" },
  ],
});

/** 18 Item Information Response (ACS→SC, v2). */
export interface ItemInformationResponse extends ResponseBase {
  code: "18";
  /** circulation status — fixed 2 digits, required. */
  circulationStatus: CodeOf<typeof CirculationStatus>;
  /** security marker — fixed 2 digits, required. */
  securityMarker: CodeOf<typeof SecurityMarker>;
  /** fee type — fixed 2 digits, required (no BT prefix here). */
  feeType: CodeOf<typeof FeeType>;
  /** transaction date — fixed 18, required. */
  transactionDate: Date | null;
  /** CF hold queue length — variable number, optional. */
  holdQueueLength?: string;
  /** AH due date — variable free format, optional. */
  dueDate?: string;
  /** CJ recall date — 18-char SIP date, optional. */
  recallDate?: Date;
  /** CM hold pickup date — 18-char SIP date, optional. */
  holdPickupDate?: Date;
  /** AB item identifier — variable, required. */
  itemIdentifier: string;
  /** AJ title identifier — variable, required (`AJ|` if unknown). */
  titleIdentifier: string;
  /** BG owner — variable, optional. */
  owner?: string;
  /** BH currency type — 3 chars, optional. */
  currencyType?: string;
  /** BV fee amount — variable decimal, optional. */
  feeAmount?: string;
  /** CK media type — 3 digits, optional. */
  mediaType?: CodeOf<typeof MediaType>;
  /** AQ permanent location — variable, optional. */
  permanentLocation?: string;
  /** AP current location — variable, optional. */
  currentLocation?: string;
  /** CH item properties — variable, optional. */
  itemProperties?: string;
  /** CR collection code — variable, optional (3M sorter extension). */
  collectionCode?: string;
  /** CS call number — variable, optional (3M sorter extension). */
  callNumber?: string;
  /** CT destination location — variable, optional (3M sorter extension). */
  destinationLocation?: string;
}

export const itemInformationResponse = defineMessage<ItemInformationResponse>()({
  code: "18",
  name: "Item Information Response",
  direction: "response",
  fixed: [
    { name: "circulationStatus", kind: "code", length: 2, pad: "zero" },
    { name: "securityMarker", kind: "code", length: 2, pad: "zero" },
    { name: "feeType", kind: "code", length: 2, pad: "zero" },
    { name: "transactionDate", kind: "date" },
  ],
  fields: [
    { id: "CF", name: "holdQueueLength", kind: "text" },
    { id: "AH", name: "dueDate", kind: "text" },
    { id: "CJ", name: "recallDate", kind: "date" },
    { id: "CM", name: "holdPickupDate", kind: "date" },
    { id: "AB", name: "itemIdentifier", kind: "text", required: true },
    { id: "AJ", name: "titleIdentifier", kind: "text", required: true },
    { id: "BG", name: "owner", kind: "text" },
    { id: "BH", name: "currencyType", kind: "text" },
    { id: "BV", name: "feeAmount", kind: "text" },
    { id: "CK", name: "mediaType", kind: "code", width: 3 },
    { id: "AQ", name: "permanentLocation", kind: "text" },
    { id: "AP", name: "currentLocation", kind: "text" },
    { id: "CH", name: "itemProperties", kind: "text" },
    { id: "CR", name: "collectionCode", kind: "text" },
    { id: "CS", name: "callNumber", kind: "text" },
    { id: "CT", name: "destinationLocation", kind: "text" },
    ...SCREEN_AND_PRINT,
  ],
});

/** 19 Item Status Update (SC→ACS, v2): store new item properties. */
export interface ItemStatusUpdateRequest extends SipMessageBase {
  code: "19";
  /** transaction date — fixed 18, required. */
  transactionDate: Date | null;
  /** AO institution id — variable, required. */
  institutionId: string;
  /** AB item identifier — variable, required. */
  itemIdentifier: string;
  /** AC terminal password — variable, optional. */
  terminalPassword?: string;
  /** CH item properties — variable, required; the properties to store. */
  itemProperties: string;
}

export const itemStatusUpdateRequest = defineMessage<ItemStatusUpdateRequest>()({
  code: "19",
  name: "Item Status Update",
  direction: "request",
  fixed: [{ name: "transactionDate", kind: "date" }],
  fields: [
    { id: "AO", name: "institutionId", kind: "text", required: true },
    { id: "AB", name: "itemIdentifier", kind: "text", required: true },
    { id: "AC", name: "terminalPassword", kind: "text" },
    { id: "CH", name: "itemProperties", kind: "text", required: true },
  ],
});

/** 20 Item Status Update Response (ACS→SC, v2). */
export interface ItemStatusUpdateResponse extends ResponseBase {
  code: "20";
  /** item properties ok — fixed 1, required; `1` = stored, anything else = not stored. */
  itemPropertiesOk: boolean;
  /** transaction date — fixed 18, required. */
  transactionDate: Date | null;
  /** AB item identifier — variable, required. */
  itemIdentifier: string;
  /** AJ title identifier — variable, optional. */
  titleIdentifier?: string;
  /** CH item properties — variable, optional. */
  itemProperties?: string;
}

export const itemStatusUpdateResponse = defineMessage<ItemStatusUpdateResponse>()({
  code: "20",
  name: "Item Status Update Response",
  direction: "response",
  fixed: [
    { name: "itemPropertiesOk", kind: "ok" },
    { name: "transactionDate", kind: "date" },
  ],
  fields: [
    { id: "AB", name: "itemIdentifier", kind: "text", required: true },
    { id: "AJ", name: "titleIdentifier", kind: "text" },
    { id: "CH", name: "itemProperties", kind: "text" },
    ...SCREEN_AND_PRINT,
  ],
});
