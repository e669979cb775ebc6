/** Hold and fee messages: 15/16 hold, 37/38 fee paid. */
import type { CodeOf, FeeType, HoldMode, HoldType, PaymentType } from "../codes.js";
import { defineMessage, SCREEN_AND_PRINT, type SipMessageBase } from "../fields.js";
import type { ResponseBase } from "./common.js";

/** 15 Hold (SC→ACS, v2). SPEC's syntax line lists BW/BS/BY before AO, but they are tagged fields. */
export interface HoldRequest extends SipMessageBase {
  code: "15";
  /** hold mode — fixed 1, required; `+` add, `-` delete, `*` change. */
  holdMode: CodeOf<typeof HoldMode>;
  /** transaction date — fixed 18, required. */
  transactionDate: Date | null;
  /** BW expiration date — 18-char SIP date, optional. */
  expirationDate?: Date;
  /** BS pickup location — variable, optional. */
  pickupLocation?: string;
  /** BY hold type — 1 char, optional. */
  holdType?: CodeOf<typeof HoldType>;
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
  /** BO fee acknowledged — 1 Y/N, optional; hold fee agreed. */
  feeAcknowledged?: boolean;
}

export const holdRequest = defineMessage<HoldRequest>()({
  code: "15",
  name: "Hold",
  direction: "request",
  fixed: [
    { name: "holdMode", kind: "code", length: 1, pad: "space" },
    { name: "transactionDate", kind: "date" },
  ],
  fields: [
    { id: "BW", name: "expirationDate", kind: "date" },
    { id: "BS", name: "pickupLocation", kind: "text" },
    { id: "BY", name: "holdType", kind: "code", width: 1 },
    { id: "AO", name: "institutionId", kind: "text", required: true },
    { id: "AA", name: "patronIdentifier", kind: "text", required: true },
    { id: "AD", name: "patronPassword", kind: "text" },
    { id: "AB", name: "itemIdentifier", kind: "text" },
    { id: "AJ", name: "titleIdentifier", kind: "text" },
    { id: "AC", name: "terminalPassword", kind: "text" },
    { id: "BO", name: "feeAcknowledged", kind: "flag" },
  ],
});

/** 16 Hold Response (ACS→SC, v2). */
export interface HoldResponse extends ResponseBase {
  code: "16";
  /** ok — fixed 1 (1/0), required. */
  ok: boolean;
  /** available — fixed 1 Y/N, required; item not checked out or on hold. */
  available: boolean;
  /** transaction date — fixed 18, required. */
  transactionDate: Date | null;
  /** BW expiration date — 18-char SIP date, optional. */
  expirationDate?: Date;
  /** BR queue position — variable number, optional. */
  queuePosition?: string;
  /** BS pickup location — variable, optional. */
  pickupLocation?: string;
  /** AO institution id — variable, required. */
  institutionId: string;
  /** AA patron identifier — variable, required. */
  patronIdentifier: string;
  /** AB item identifier — variable, optional. */
  itemIdentifier?: string;
  /** AJ title identifier — variable, optional. */
  titleIdentifier?: string;
}

export const holdResponse = defineMessage<HoldResponse>()({
  code: "16",
  name: "Hold Response",
  direction: "response",
  fixed: [
    { name: "ok", kind: "ok" },
    { name: "available", kind: "yn" },
    { name: "transactionDate", kind: "date" },
  ],
  fields: [
    { id: "BW", name: "expirationDate", kind: "date" },
    { id: "BR", name: "queuePosition", kind: "text" },
    { id: "BS", name: "pickupLocation", kind: "text" },
    { id: "AO", name: "institutionId", kind: "text", required: true },
    { id: "AA", name: "patronIdentifier", kind: "text", required: true },
    { id: "AB", name: "itemIdentifier", kind: "text" },
    { id: "AJ", name: "titleIdentifier", kind: "text" },
    ...SCREEN_AND_PRINT,
  ],
});

/** 37 Fee Paid (SC→ACS, v2). Retransmissions must not be executed twice. */
export interface FeePaidRequest extends SipMessageBase {
  code: "37";
  /** transaction date — fixed 18, required. */
  transactionDate: Date | null;
  /** fee type — fixed 2 digits, required. */
  feeType: CodeOf<typeof FeeType>;
  /** payment type — fixed 2 digits, required. */
  paymentType: CodeOf<typeof PaymentType>;
  /** currency type — fixed 3 (ISO 4217), required. */
  currencyType: string;
  /** BV fee amount — variable decimal, required; amount paid. */
  feeAmount: string;
  /** AO institution id — variable, required. */
  institutionId: string;
  /** AA patron identifier — variable, required. */
  patronIdentifier: string;
  /** AC terminal password — variable, optional. */
  terminalPassword?: string;
  /** AD patron password — variable, optional. */
  patronPassword?: string;
  /** CG fee identifier — variable, optional; pay one specific fee. */
  feeIdentifier?: string;
  /** BK transaction id — variable, optional; assigned by the payment device. */
  transactionId?: string;
  /** OR register login — variable, optional extension (Envisionware). */
  registerLogin?: string;
  /** RN check number — variable, optional extension (Envisionware). */
  checkNumber?: string;
}

export const feePaidRequest = defineMessage<FeePaidRequest>()({
  code: "37",
  name: "Fee Paid",
  direction: "request",
  fixed: [
    { name: "transactionDate", kind: "date" },
    { name: "feeType", kind: "code", length: 2, pad: "zero" },
    { name: "paymentType", kind: "code", length: 2, pad: "zero" },
    { name: "currencyType", kind: "code", length: 3, pad: "space" },
  ],
  fields: [
    { id: "BV", name: "feeAmount", kind: "text", required: true },
    { id: "AO", name: "institutionId", kind: "text", required: true },
    { id: "AA", name: "patronIdentifier", kind: "text", required: true },
    { id: "AC", name: "terminalPassword", kind: "text" },
    { id: "AD", name: "patronPassword", kind: "text" },
    { id: "CG", name: "feeIdentifier", kind: "text" },
    { id: "BK", name: "transactionId", kind: "text" },
    { id: "OR", name: "registerLogin", kind: "text" },
    { id: "RN", name: "checkNumber", kind: "text" },
  ],
});

/** 38 Fee Paid Response (ACS→SC, v2). */
export interface FeePaidResponse extends ResponseBase {
  code: "38";
  /** payment accepted — fixed 1 Y/N, required. */
  paymentAccepted: boolean;
  /** transaction date — fixed 18, required. */
  transactionDate: Date | null;
  /** AO institution id — variable, required. */
  institutionId: string;
  /** AA patron identifier — variable, required. */
  patronIdentifier: string;
  /** BK transaction id — variable, optional; the ACS receipt id. */
  transactionId?: string;
}

export const feePaidResponse = defineMessage<FeePaidResponse>()({
  code: "38",
  name: "Fee Paid Response",
  direction: "response",
  fixed: [
    { name: "paymentAccepted", kind: "yn" },
    { name: "transactionDate", kind: "date" },
  ],
  fields: [
    { id: "AO", name: "institutionId", kind: "text", required: true },
    { id: "AA", name: "patronIdentifier", kind: "text", required: true },
    { id: "BK", name: "transactionId", kind: "text" },
    ...SCREEN_AND_PRINT,
  ],
});
