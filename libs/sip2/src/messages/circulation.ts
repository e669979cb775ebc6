/** Circulation messages: 11/12 checkout, 09/10 checkin, 29/30 renew, 65/66 renew all. */
import type { CodeOf, FeeType, MediaType } from "../codes.js";
import { defineMessage, SCREEN_AND_PRINT, type SipMessageBase } from "../fields.js";
import type { ResponseBase } from "./common.js";

/** 11 Checkout (SC→ACS). */
export interface CheckoutRequest extends SipMessageBase {
  code: "11";
  /** SC renewal policy — fixed 1 Y/N, required; SC may renew an item the patron already has. */
  scRenewalPolicy: boolean;
  /** no block — fixed 1 Y/N, required; Y = done off-line, the ACS may not refuse it. */
  noBlock: boolean;
  /** transaction date — fixed 18, required. */
  transactionDate: Date | null;
  /** nb due date — fixed 18, required; due date given off-line; null = 18 blanks (usual on-line). */
  nbDueDate: Date | null;
  /** AO institution id — variable, required. */
  institutionId: string;
  /** AA patron identifier — variable, required. */
  patronIdentifier: string;
  /** AB item identifier — variable, required. */
  itemIdentifier: string;
  /** AC terminal password — variable, required. */
  terminalPassword: string;
  /** CH item properties — variable, optional (v2). */
  itemProperties?: string;
  /** AD patron password — variable, optional (v2). */
  patronPassword?: string;
  /** BO fee acknowledged — 1 Y/N, optional (v2). */
  feeAcknowledged?: boolean;
  /** BI cancel — 1 Y/N, optional (v2); Y = this checkout cancels a failed checkin. */
  cancel?: boolean;
}

export const checkoutRequest = defineMessage<CheckoutRequest>()({
  code: "11",
  name: "Checkout",
  direction: "request",
  fixed: [
    { name: "scRenewalPolicy", kind: "yn" },
    { name: "noBlock", kind: "yn" },
    { name: "transactionDate", kind: "date" },
    { name: "nbDueDate", kind: "date" },
  ],
  fields: [
    { id: "AO", name: "institutionId", kind: "text", required: true },
    { id: "AA", name: "patronIdentifier", kind: "text", required: true },
    { id: "AB", name: "itemIdentifier", kind: "text", required: true },
    { id: "AC", name: "terminalPassword", kind: "text", required: true },
    { id: "CH", name: "itemProperties", kind: "text" },
    { id: "AD", name: "patronPassword", kind: "text" },
    { id: "BO", name: "feeAcknowledged", kind: "flag" },
    { id: "BI", name: "cancel", kind: "flag" },
  ],
});

/** Fields shared by 12 Checkout Response and 30 Renew Response (same layout). */
export interface LoanResponseFields extends ResponseBase {
  /** ok — fixed 1 (1/0), required; 1 = checked out / renewed. */
  ok: boolean;
  /** renewal ok — fixed 1 Y/N, required; Y = the patron already had the item (a renewal). */
  renewalOk: boolean;
  /** magnetic media — fixed 1 Y/N/U, required. */
  magneticMedia: "Y" | "N" | "U";
  /** desensitize — fixed 1 Y/N/U, required; N for in-library-use items and refusals. */
  desensitize: "Y" | "N" | "U";
  /** transaction date — fixed 18, required. */
  transactionDate: Date | null;
  /** AO institution id — variable, required. */
  institutionId: string;
  /** AA patron identifier — variable, required. */
  patronIdentifier: string;
  /** AB item identifier — variable, required. */
  itemIdentifier: string;
  /** AJ title identifier — variable, required (sent `AJ|` if unknown). */
  titleIdentifier: string;
  /** AH due date — variable free format, required (sent `AH|` on failure). */
  dueDate: string;
  /** BT fee type — 2 digits, optional (v2). */
  feeType?: CodeOf<typeof FeeType>;
  /** CI security inhibit — 1 Y/N, optional (v2); Y = SC should ignore the item's security status. */
  securityInhibit?: boolean;
  /** BH currency type — 3 chars, optional (v2). */
  currencyType?: string;
  /** BV fee amount — variable decimal, optional (v2). */
  feeAmount?: string;
  /** CK media type — 3 digits, optional (v2). */
  mediaType?: CodeOf<typeof MediaType>;
  /** CH item properties — variable, optional (v2). */
  itemProperties?: string;
  /** BK transaction id — variable, optional (v2); ACS-assigned when a fee is involved. */
  transactionId?: string;
}

const LOAN_RESPONSE_FIXED = [
  { name: "ok", kind: "ok" },
  { name: "renewalOk", kind: "yn" },
  { name: "magneticMedia", kind: "ynu" },
  { name: "desensitize", kind: "ynu" },
  { name: "transactionDate", kind: "date" },
] as const;

const LOAN_RESPONSE_FIELDS = [
  { id: "AO", name: "institutionId", kind: "text", required: true },
  { id: "AA", name: "patronIdentifier", kind: "text", required: true },
  { id: "AB", name: "itemIdentifier", kind: "text", required: true },
  { id: "AJ", name: "titleIdentifier", kind: "text", required: true },
  { id: "AH", name: "dueDate", kind: "text", required: true },
  { id: "BT", name: "feeType", kind: "code", width: 2 },
  { id: "CI", name: "securityInhibit", kind: "flag" },
  { id: "BH", name: "currencyType", kind: "text" },
  { id: "BV", name: "feeAmount", kind: "text" },
  { id: "CK", name: "mediaType", kind: "code", width: 3 },
  { id: "CH", name: "itemProperties", kind: "text" },
  { id: "BK", name: "transactionId", kind: "text" },
  ...SCREEN_AND_PRINT,
] as const;

/** 12 Checkout Response (ACS→SC). */
export interface CheckoutResponse extends LoanResponseFields {
  code: "12";
}

export const checkoutResponse = defineMessage<CheckoutResponse>()({
  code: "12",
  name: "Checkout Response",
  direction: "response",
  fixed: LOAN_RESPONSE_FIXED,
  fields: LOAN_RESPONSE_FIELDS,
});

/** 29 Renew (SC→ACS, v2). */
export interface RenewRequest extends SipMessageBase {
  code: "29";
  /** third party allowed — fixed 1 Y/N, required; N = the ACS must refuse third-party renewals. */
  thirdPartyAllowed: boolean;
  /** no block — fixed 1 Y/N, required. */
  noBlock: boolean;
  /** transaction date — fixed 18, required. */
  transactionDate: Date | null;
  /** nb due date — fixed 18, required; null = 18 blanks. */
  nbDueDate: Date | null;
  /** AO institution id — variable, required. */
  institutionId: string;
  /** AA patron identifier — variable, required. */
  patronIdentifier: string;
  /** AD patron password — variable, optional. */
  patronPassword?: string;
  /** AB item identifier — variable, optional (AB and/or AJ). */
  itemIdentifier?: string;
  /** AJ title identifier — variable, optional. */
  titleIdentifier?: string;
  /** AC terminal password — variable, optional. */
  terminalPassword?: string;
  /** CH item properties — variable, optional. */
  itemProperties?: string;
  /** BO fee acknowledged — 1 Y/N, optional. */
  feeAcknowledged?: boolean;
}

export const renewRequest = defineMessage<RenewRequest>()({
  code: "29",
  name: "Renew",
  direction: "request",
  fixed: [
    { name: "thirdPartyAllowed", kind: "yn" },
    { name: "noBlock", kind: "yn" },
    { name: "transactionDate", kind: "date" },
    { name: "nbDueDate", kind: "date" },
  ],
  fields: [
    { id: "AO", name: "institutionId", kind: "text", required: true },
    { id: "AA", name: "patronIdentifier", kind: "text", required: true },
    { id: "AD", name: "patronPassword", kind: "text" },
    { id: "AB", name: "itemIdentifier", kind: "text" },
    { id: "AJ", name: "titleIdentifier", kind: "text" },
    { id: "AC", name: "terminalPassword", kind: "text" },
    { id: "CH", name: "itemProperties", kind: "text" },
    { id: "BO", name: "feeAcknowledged", kind: "flag" },
  ],
});

/** 30 Renew Response (ACS→SC, v2): same layout as 12. */
export interface RenewResponse extends LoanResponseFields {
  code: "30";
}

export const renewResponse = defineMessage<RenewResponse>()({
  code: "30",
  name: "Renew Response",
  direction: "response",
  fixed: LOAN_RESPONSE_FIXED,
  fields: LOAN_RESPONSE_FIELDS,
});

/** 09 Checkin (SC→ACS). */
export interface CheckinRequest extends SipMessageBase {
  code: "09";
  /** no block — fixed 1 Y/N, required. */
  noBlock: boolean;
  /** transaction date — fixed 18, required. */
  transactionDate: Date | null;
  /** return date — fixed 18, required; when the item was actually returned (book drop). */
  returnDate: Date | null;
  /** AP current location — variable, required (most SCs leave it empty). */
  currentLocation: string;
  /** AO institution id — variable, required. */
  institutionId: string;
  /** AB item identifier — variable, required. */
  itemIdentifier: string;
  /** AC terminal password — variable, required. */
  terminalPassword: string;
  /** CH item properties — variable, optional (v2). */
  itemProperties?: string;
  /** BI cancel — 1 Y/N, optional (v2); Y = this checkin cancels a failed checkout. */
  cancel?: boolean;
}

export const checkinRequest = defineMessage<CheckinRequest>()({
  code: "09",
  name: "Checkin",
  direction: "request",
  fixed: [
    { name: "noBlock", kind: "yn" },
    { name: "transactionDate", kind: "date" },
    { name: "returnDate", kind: "date" },
  ],
  fields: [
    { id: "AP", name: "currentLocation", kind: "text", required: true },
    { id: "AO", name: "institutionId", kind: "text", required: true },
    { id: "AB", name: "itemIdentifier", kind: "text", required: true },
    { id: "AC", name: "terminalPassword", kind: "text", required: true },
    { id: "CH", name: "itemProperties", kind: "text" },
    { id: "BI", name: "cancel", kind: "flag" },
  ],
});

