/** Registry of all SIP2 2.00 messages: codes, model unions and definitions by code. */
import type { MessageDef } from "../fields.js";
import { type CheckinResponse, checkinResponse, type RenewAllRequest, type RenewAllResponse, renewAllRequest, renewAllResponse } from "./checkin-renew-all.js";
import {
  type CheckinRequest,
  type CheckoutRequest,
  type CheckoutResponse,
  checkinRequest,
  checkoutRequest,
  checkoutResponse,
  type RenewRequest,
  type RenewResponse,
  renewRequest,
  renewResponse,
} from "./circulation.js";
import { type FeePaidRequest, type FeePaidResponse, feePaidRequest, feePaidResponse, type HoldRequest, type HoldResponse, holdRequest, holdResponse } from "./holds-fees.js";
import {
  type ItemInformationRequest,
  type ItemInformationResponse,
  type ItemStatusUpdateRequest,
  type ItemStatusUpdateResponse,
  itemInformationRequest,
  itemInformationResponse,
  itemStatusUpdateRequest,
  itemStatusUpdateResponse,
} from "./items.js";
import {
  type BlockPatronRequest,
  blockPatronRequest,
  type PatronEnableRequest,
  type PatronEnableResponse,
  type PatronInformationRequest,
  type PatronInformationResponse,
  type PatronStatusRequest,
  type PatronStatusResponse,
  patronEnableRequest,
  patronEnableResponse,
  patronInformationRequest,
  patronInformationResponse,
  patronStatusRequest,
  patronStatusResponse,
} from "./patron.js";
import {
  type AcsStatusResponse,
  acsStatusResponse,
  type EndPatronSessionRequest,
  type EndSessionResponse,
  endPatronSessionRequest,
  endSessionResponse,
  type LoginRequest,
  type LoginResponse,
  loginRequest,
  loginResponse,
  type RequestAcsResend,
  type RequestScResend,
  requestAcsResend,
  requestScResend,
  type ScStatusRequest,
  scStatusRequest,
} from "./session.js";

/** Message codes by name (sip2-reference.md §7.2). */
export const MessageCode = {
  blockPatron: "01",
  checkin: "09",
  checkinResponse: "10",
  checkout: "11",
  checkoutResponse: "12",
  hold: "15",
  holdResponse: "16",
  itemInformation: "17",
  itemInformationResponse: "18",
  itemStatusUpdate: "19",
  itemStatusUpdateResponse: "20",
  patronStatusRequest: "23",
  patronStatusResponse: "24",
  patronEnable: "25",
  patronEnableResponse: "26",
  renew: "29",
  renewResponse: "30",
  endPatronSession: "35",
  endSessionResponse: "36",
  feePaid: "37",
  feePaidResponse: "38",
  patronInformation: "63",
  patronInformationResponse: "64",
  renewAll: "65",
  renewAllResponse: "66",
  login: "93",
  loginResponse: "94",
  requestScResend: "96",
  requestAcsResend: "97",
  acsStatus: "98",
  scStatus: "99",
} as const;
export type MessageCode = (typeof MessageCode)[keyof typeof MessageCode];

/** Every message an SC (kiosk) sends. */
export type SipRequest =
  | BlockPatronRequest
  | CheckinRequest
  | CheckoutRequest
  | HoldRequest
  | ItemInformationRequest
  | ItemStatusUpdateRequest
  | PatronStatusRequest
  | PatronEnableRequest
  | RenewRequest
  | EndPatronSessionRequest
  | FeePaidRequest
  | PatronInformationRequest
  | RenewAllRequest
  | LoginRequest
  | RequestAcsResend
  | ScStatusRequest;

/** Every message an ACS (server) sends. */
export type SipResponse =
  | CheckinResponse
  | CheckoutResponse
  | HoldResponse
  | ItemInformationResponse
  | ItemStatusUpdateResponse
  | PatronStatusResponse
  | PatronEnableResponse
  | RenewResponse
  | EndSessionResponse
  | FeePaidResponse
  | PatronInformationResponse
  | RenewAllResponse
  | LoginResponse
  | RequestScResend
  | AcsStatusResponse;

/** Any SIP2 message, discriminated by `code`. */
export type SipMessage = SipRequest | SipResponse;
/** Codes of messages an SC sends (use `satisfies Record<RequestCode, Handler>` for handler tables). */
export type RequestCode = SipRequest["code"];
/** Codes of messages an ACS sends. */
export type ResponseCode = SipResponse["code"];
/** The model type of a message code, e.g. `MessageOf<"11">` = CheckoutRequest. */
export type MessageOf<C extends MessageCode> = Extract<SipMessage, { code: C }>;

/** Definitions of all messages by code. */
export const MESSAGE_DEFS: { readonly [C in MessageCode]: MessageDef<MessageOf<C>> } = {
  "01": blockPatronRequest,
  "09": checkinRequest,
  "10": checkinResponse,
  "11": checkoutRequest,
  "12": checkoutResponse,
  "15": holdRequest,
  "16": holdResponse,
  "17": itemInformationRequest,
  "18": itemInformationResponse,
  "19": itemStatusUpdateRequest,
  "20": itemStatusUpdateResponse,
  "23": patronStatusRequest,
  "24": patronStatusResponse,
  "25": patronEnableRequest,
  "26": patronEnableResponse,
  "29": renewRequest,
  "30": renewResponse,
  "35": endPatronSessionRequest,
  "36": endSessionResponse,
  "37": feePaidRequest,
  "38": feePaidResponse,
  "63": patronInformationRequest,
  "64": patronInformationResponse,
  "65": renewAllRequest,
  "66": renewAllResponse,
  "93": loginRequest,
  "94": loginResponse,
  "96": requestScResend,
  "97": requestAcsResend,
  "98": acsStatusResponse,
  "99": scStatusRequest,
};

/** The definition for a code, or undefined for a code SIP2 2.00 does not define. */
export function messageDef(code: string): MessageDef | undefined {
  return Object.hasOwn(MESSAGE_DEFS, code) ? (MESSAGE_DEFS[code as MessageCode] as MessageDef) : undefined;
}

/**
 * The response code that answers each request code (24 answers both 23 and 01; 97 is
 * answered by re-sending the previous response, so it has none).
 */
export const ResponseCodeFor = {
  "01": "24",
  "09": "10",
  "11": "12",
  "15": "16",
  "17": "18",
  "19": "20",
  "23": "24",
  "25": "26",
  "29": "30",
  "35": "36",
  "37": "38",
  "63": "64",
  "65": "66",
  "93": "94",
  "97": null,
  "99": "98",
} as const satisfies Record<RequestCode, ResponseCode | null>;

export * from "./checkin-renew-all.js";
export * from "./circulation.js";
export * from "./common.js";
export * from "./holds-fees.js";
export * from "./items.js";
export * from "./patron.js";
export * from "./session.js";
