/** 10 Checkin Response (with the 3M sorter extensions) and 65/66 Renew All. */
import type { AlertType, CodeOf, MediaType } from "../codes.js";
import { defineMessage, SCREEN_AND_PRINT, type SipMessageBase } from "../fields.js";
import type { ResponseBase } from "./common.js";

/** 10 Checkin Response (ACS→SC). Sorters/AMH read the 3M extension fields CR…DA. */
export interface CheckinResponse extends ResponseBase {
  code: "10";
  /** ok — fixed 1 (1/0), required; 1 = checked in. */
  ok: boolean;
  /** resensitize — fixed 1 Y/N, required; N for items that must not be resensitized. */
  resensitize: boolean;
  /** magnetic media — fixed 1 Y/N/U, required. */
  magneticMedia: "Y" | "N" | "U";
  /** alert — fixed 1 Y/N, required; Y = the SC should alert staff (hold, other branch…). */
  alert: boolean;
  /** transaction date — fixed 18, required. */
  transactionDate: Date | null;
  /** AO institution id — variable, required. */
  institutionId: string;
  /** AB item identifier — variable, required. */
  itemIdentifier: string;
  /** AQ permanent location — variable, required. */
  permanentLocation: string;
  /** AJ title identifier — variable, optional. */
  titleIdentifier?: string;
  /** CL sort bin — variable, optional (v2). */
  sortBin?: string;
  /** AA patron identifier — variable, optional (v2); the patron who had the item. */
  patronIdentifier?: string;
  /** CK media type — 3 digits, optional (v2). */
  mediaType?: CodeOf<typeof MediaType>;
  /** CH item properties — variable, optional (v2). */
  itemProperties?: string;
  /** CR collection code — variable, optional (3M sorter extension). */
  collectionCode?: string;
  /** CS call number — variable, optional (3M sorter extension). */
  callNumber?: string;
  /** CT destination location — variable, optional (3M sorter extension); where the item must go. */
  destinationLocation?: string;
  /** CV alert type — 2 digits, optional (3M sorter extension); send with alert = Y. */
  alertType?: CodeOf<typeof AlertType>;
  /** CY hold patron id — variable, optional (3M sorter extension); the patron the hold is for. */
  holdPatronId?: string;
  /** DA hold patron name — variable, optional (3M sorter extension). */
  holdPatronName?: string;
  /** BF hold patron phone — variable, optional (Evergreen extension in 10). */
  holdPatronPhone?: string;
}

export const checkinResponse = defineMessage<CheckinResponse>()({
  code: "10",
  name: "Checkin Response",
  direction: "response",
  fixed: [
    { name: "ok", kind: "ok" },
    { name: "resensitize", kind: "yn" },
    { name: "magneticMedia", kind: "ynu" },
    { name: "alert", kind: "yn" },
    { name: "transactionDate", kind: "date" },
  ],
  fields: [
    { id: "AO", name: "institutionId", kind: "text", required: true },
    { id: "AB", name: "itemIdentifier", kind: "text", required: true },
    { id: "AQ", name: "permanentLocation", kind: "text", required: true },
    { id: "AJ", name: "titleIdentifier", kind: "text" },
    { id: "CL", name: "sortBin", kind: "text" },
    { id: "AA", name: "patronIdentifier", kind: "text" },
    { id: "CK", name: "mediaType", kind: "code", width: 3 },
    { id: "CH", name: "itemProperties", kind: "text" },
    { id: "CR", name: "collectionCode", kind: "text" },
    { id: "CS", name: "callNumber", kind: "text" },
    { id: "CT", name: "destinationLocation", kind: "text" },
    { id: "CV", name: "alertType", kind: "code", width: 2 },
    { id: "CY", name: "holdPatronId", kind: "text" },
    { id: "DA", name: "holdPatronName", kind: "text" },
    { id: "BF", name: "holdPatronPhone", kind: "text" },
    ...SCREEN_AND_PRINT,
  ],
});

/** 65 Renew All (SC→ACS, v2). */
export interface RenewAllRequest extends SipMessageBase {
  code: "65";
  /** transaction date — fixed 18, required. */
  transactionDate: Date | null;
  /** AO institution id — variable, required. */
  institutionId: string;
  /** AA patron identifier — variable, required. */
  patronIdentifier: string;
  /** AD patron password — variable, optional. */
  patronPassword?: string;
  /** AC terminal password — variable, optional. */
  terminalPassword?: string;
  /** BO fee acknowledged — 1 Y/N, optional; Y = all fees agreed. */
  feeAcknowledged?: boolean;
}

export const renewAllRequest = defineMessage<RenewAllRequest>()({
  code: "65",
  name: "Renew All",
  direction: "request",
  fixed: [{ name: "transactionDate", kind: "date" }],
  fields: [
    { id: "AO", name: "institutionId", kind: "text", required: true },
    { id: "AA", name: "patronIdentifier", kind: "text", required: true },
    { id: "AD", name: "patronPassword", kind: "text" },
    { id: "AC", name: "terminalPassword", kind: "text" },
    { id: "BO", name: "feeAcknowledged", kind: "flag" },
  ],
});

/** 66 Renew All Response (ACS→SC, v2). */
export interface RenewAllResponse extends ResponseBase {
  code: "66";
  /** ok — fixed 1 (1/0), required. */
  ok: boolean;
  /** renewed count — fixed 4 digits, required. */
  renewedCount: number;
  /** unrenewed count — fixed 4 digits, required. */
  unrenewedCount: number;
  /** transaction date — fixed 18, required. */
  transactionDate: Date | null;
  /** AO institution id — variable, required. */
  institutionId: string;
  /** BM renewed items — variable, optional, repeatable. */
  renewedItems?: readonly string[];
  /** BN unrenewed items — variable, optional, repeatable (may carry a reason). */
  unrenewedItems?: readonly string[];
}

export const renewAllResponse = defineMessage<RenewAllResponse>()({
  code: "66",
  name: "Renew All Response",
  direction: "response",
  fixed: [
    { name: "ok", kind: "ok" },
    { name: "renewedCount", kind: "number", length: 4 },
    { name: "unrenewedCount", kind: "number", length: 4 },
    { name: "transactionDate", kind: "date" },
  ],
  fields: [
    { id: "AO", name: "institutionId", kind: "text", required: true },
    { id: "BM", name: "renewedItems", kind: "list" },
    { id: "BN", name: "unrenewedItems", kind: "list" },
    ...SCREEN_AND_PRINT,
  ],
});
