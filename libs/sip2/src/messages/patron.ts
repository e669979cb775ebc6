/** Patron messages: 23/24 patron status, 01 block patron, 25/26 patron enable, 63/64 patron information. */
import type { CodeOf, Language, PatronStatus, Summary } from "../codes.js";
import { defineMessage, SCREEN_AND_PRINT, type SipMessageBase } from "../fields.js";
import type { ResponseBase } from "./common.js";

/** 23 Patron Status Request (SC→ACS). Answered with a 24. */
export interface PatronStatusRequest extends SipMessageBase {
  code: "23";
  /** language — fixed 3 digits, required (`000` unknown). */
  language: CodeOf<typeof Language>;
  /** transaction date — fixed 18, required. */
  transactionDate: Date | null;
  /** AO institution id — variable, required. */
  institutionId: string;
  /** AA patron identifier — variable, required. */
  patronIdentifier: string;
  /** AC terminal password — variable, required (sent empty, `AC|`, when unused). */
  terminalPassword: string;
  /** AD patron password — variable, required (sent empty, `AD|`, when unused). */
  patronPassword: string;
}

export const patronStatusRequest = defineMessage<PatronStatusRequest>()({
  code: "23",
  name: "Patron Status Request",
  direction: "request",
  fixed: [
    { name: "language", kind: "code", length: 3, pad: "zero" },
    { name: "transactionDate", kind: "date" },
  ],
  fields: [
    { id: "AO", name: "institutionId", kind: "text", required: true },
    { id: "AA", name: "patronIdentifier", kind: "text", required: true },
    { id: "AC", name: "terminalPassword", kind: "text", required: true },
    { id: "AD", name: "patronPassword", kind: "text", required: true },
  ],
});

/** 24 Patron Status Response (ACS→SC): answer to 23 and to 01. */
export interface PatronStatusResponse extends ResponseBase {
  code: "24";
  /** patron status — fixed 14 Y/blank flags, required. */
  patronStatus: PatronStatus;
  /** language — fixed 3 digits, required. */
  language: CodeOf<typeof Language>;
  /** transaction date — fixed 18, required. */
  transactionDate: Date | null;
  /** AO institution id — variable, required. */
  institutionId: string;
  /** AA patron identifier — variable, required (echo the request's value if unknown). */
  patronIdentifier: string;
  /** AE personal name — variable, required (empty if unknown). */
  personalName: string;
  /** BL valid patron — 1 Y/N, optional (v2). */
  validPatron?: boolean;
  /** CQ valid patron password — 1 Y/N, optional (v2). */
  validPatronPassword?: boolean;
  /** BH currency type — 3 chars, optional (v2). */
  currencyType?: string;
  /** BV fee amount — variable decimal, optional (v2); amount owed. */
  feeAmount?: string;
  /** BD home address — variable, optional (Evergreen extension in 24). */
  homeAddress?: string;
  /** BE e-mail address — variable, optional (Evergreen extension in 24). */
  emailAddress?: string;
  /** BF home phone number — variable, optional (Evergreen extension in 24). */
  homePhoneNumber?: string;
}

export const patronStatusResponse = defineMessage<PatronStatusResponse>()({
  code: "24",
  name: "Patron Status Response",
  direction: "response",
  fixed: [
    { name: "patronStatus", kind: "patronStatus" },
    { name: "language", kind: "code", length: 3, pad: "zero" },
    { name: "transactionDate", kind: "date" },
  ],
  fields: [
    { id: "AO", name: "institutionId", kind: "text", required: true },
    { id: "AA", name: "patronIdentifier", kind: "text", required: true },
    { id: "AE", name: "personalName", kind: "text", required: true },
    { id: "BL", name: "validPatron", kind: "flag" },
    { id: "CQ", name: "validPatronPassword", kind: "flag" },
    { id: "BH", name: "currencyType", kind: "text" },
    { id: "BV", name: "feeAmount", kind: "text" },
    { id: "BD", name: "homeAddress", kind: "text" },
    { id: "BE", name: "emailAddress", kind: "text" },
    { id: "BF", name: "homePhoneNumber", kind: "text" },
    ...SCREEN_AND_PRINT,
  ],
});

/** 01 Block Patron (SC→ACS): invalidate the card. Answered with a 24. */
export interface BlockPatronRequest extends SipMessageBase {
  code: "01";
  /** card retained — fixed 1 Y/N, required; the SC kept the card. */
  cardRetained: boolean;
  /** transaction date — fixed 18, required. */
  transactionDate: Date | null;
  /** AO institution id — variable, required. */
  institutionId: string;
  /** AL blocked card msg — variable, required; the reason. */
  blockedCardMessage: string;
  /** AA patron identifier — variable, required. */
  patronIdentifier: string;
  /** AC terminal password — variable, required. */
  terminalPassword: string;
}

export const blockPatronRequest = defineMessage<BlockPatronRequest>()({
  code: "01",
  name: "Block Patron",
  direction: "request",
  fixed: [
    { name: "cardRetained", kind: "yn" },
    { name: "transactionDate", kind: "date" },
  ],
  fields: [
    { id: "AO", name: "institutionId", kind: "text", required: true },
    { id: "AL", name: "blockedCardMessage", kind: "text", required: true },
    { id: "AA", name: "patronIdentifier", kind: "text", required: true },
    { id: "AC", name: "terminalPassword", kind: "text", required: true },
  ],
});

/** 25 Patron Enable (SC→ACS, v2): testing/validation only. */
export interface PatronEnableRequest extends SipMessageBase {
  code: "25";
  /** transaction date — fixed 18, required. */
  transactionDate: Date | null;
  /** AO institution id — variable, required. */
  institutionId: string;
  /** AA patron identifier — variable, required. */
  patronIdentifier: string;
  /** AC terminal password — variable, optional. */
  terminalPassword?: string;
  /** AD patron password — variable, optional. */
  patronPassword?: string;
}

export const patronEnableRequest = defineMessage<PatronEnableRequest>()({
  code: "25",
  name: "Patron Enable",
  direction: "request",
  fixed: [{ name: "transactionDate", kind: "date" }],
  fields: [
    { id: "AO", name: "institutionId", kind: "text", required: true },
    { id: "AA", name: "patronIdentifier", kind: "text", required: true },
    { id: "AC", name: "terminalPassword", kind: "text" },
    { id: "AD", name: "patronPassword", kind: "text" },
  ],
});

/** 26 Patron Enable Response (ACS→SC, v2). */
export interface PatronEnableResponse extends ResponseBase {
  code: "26";
  /** patron status — fixed 14 Y/blank flags, required. */
  patronStatus: PatronStatus;
  /** language — fixed 3 digits, required. */
  language: CodeOf<typeof Language>;
  /** transaction date — fixed 18, required. */
  transactionDate: Date | null;
  /** AO institution id — variable, required. */
  institutionId: string;
  /** AA patron identifier — variable, required. */
  patronIdentifier: string;
  /** AE personal name — variable, required. */
  personalName: string;
  /** BL valid patron — 1 Y/N, optional. */
  validPatron?: boolean;
  /** CQ valid patron password — 1 Y/N, optional. */
  validPatronPassword?: boolean;
}

export const patronEnableResponse = defineMessage<PatronEnableResponse>()({
  code: "26",
  name: "Patron Enable Response",
  direction: "response",
  fixed: [
    { name: "patronStatus", kind: "patronStatus" },
    { name: "language", kind: "code", length: 3, pad: "zero" },
    { name: "transactionDate", kind: "date" },
  ],
  fields: [
    { id: "AO", name: "institutionId", kind: "text", required: true },
    { id: "AA", name: "patronIdentifier", kind: "text", required: true },
    { id: "AE", name: "personalName", kind: "text", required: true },
    { id: "BL", name: "validPatron", kind: "flag" },
    { id: "CQ", name: "validPatronPassword", kind: "flag" },
    ...SCREEN_AND_PRINT,
  ],
});

/** 63 Patron Information (SC→ACS, v2). */
export interface PatronInformationRequest extends SipMessageBase {
  code: "63";
  /** language — fixed 3 digits, required. */
  language: CodeOf<typeof Language>;
  /** transaction date — fixed 18, required. */
  transactionDate: Date | null;
  /** summary — fixed 10 Y/blank, required; at most one category set (the list to return in the 64). */
  summary: Summary;
  /** AO institution id — variable, required. */
  institutionId: string;
  /** AA patron identifier — variable, required. */
  patronIdentifier: string;
  /** AC terminal password — variable, optional. */
  terminalPassword?: string;
  /** AD patron password — variable, optional; if present, answer CQ. */
  patronPassword?: string;
  /** BP start item — variable, optional; 1-based index into the selected list. */
  startItem?: string;
  /** BQ end item — variable, optional; 1-based, inclusive. */
  endItem?: string;
}

export const patronInformationRequest = defineMessage<PatronInformationRequest>()({
  code: "63",
  name: "Patron Information",
  direction: "request",
  fixed: [
    { name: "language", kind: "code", length: 3, pad: "zero" },
    { name: "transactionDate", kind: "date" },
    { name: "summary", kind: "summary" },
  ],
  fields: [
    { id: "AO", name: "institutionId", kind: "text", required: true },
    { id: "AA", name: "patronIdentifier", kind: "text", required: true },
    { id: "AC", name: "terminalPassword", kind: "text" },
    { id: "AD", name: "patronPassword", kind: "text" },
    { id: "BP", name: "startItem", kind: "text" },
    { id: "BQ", name: "endItem", kind: "text" },
  ],
});

export { type PatronInformationResponse, patronInformationResponse } from "./patron-information.js";
