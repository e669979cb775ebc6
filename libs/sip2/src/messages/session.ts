/** Session messages: 93/94 login, 99/98 status, 97/96 resend, 35/36 end patron session. */
import type { CodeOf, LoginAlgorithm, ProtocolVersion, ScStatusCode, SupportedMessages } from "../codes.js";
import { defineMessage, SCREEN_AND_PRINT, type SipMessageBase } from "../fields.js";
import type { ResponseBase } from "./common.js";

/** 93 Login (SC→ACS, v2). When used, it is the first message of a connection. */
export interface LoginRequest extends SipMessageBase {
  code: "93";
  /** UID algorithm — fixed 1, required; `0` = not encrypted. */
  uidAlgorithm: CodeOf<typeof LoginAlgorithm>;
  /** PWD algorithm — fixed 1, required; `0` = not encrypted. */
  pwdAlgorithm: CodeOf<typeof LoginAlgorithm>;
  /** CN login user id — variable, required (terminal account, not a patron). */
  loginUserId: string;
  /** CO login password — variable, required. */
  loginPassword: string;
  /** CP location code — variable, optional (the SC's location). */
  locationCode?: string;
}

export const loginRequest = defineMessage<LoginRequest>()({
  code: "93",
  name: "Login",
  direction: "request",
  fixed: [
    { name: "uidAlgorithm", kind: "code", length: 1, pad: "zero" },
    { name: "pwdAlgorithm", kind: "code", length: 1, pad: "zero" },
  ],
  fields: [
    { id: "CN", name: "loginUserId", kind: "text", required: true },
    { id: "CO", name: "loginPassword", kind: "text", required: true },
    { id: "CP", name: "locationCode", kind: "text" },
  ],
});

/** 94 Login Response (ACS→SC, v2). No tagged fields. */
export interface LoginResponse extends SipMessageBase {
  code: "94";
  /** ok — fixed 1, required; `1` = login accepted, `0` = refused. */
  ok: boolean;
}

export const loginResponse = defineMessage<LoginResponse>()({
  code: "94",
  name: "Login Response",
  direction: "response",
  fixed: [{ name: "ok", kind: "ok" }],
  fields: [],
});

/** 99 SC Status (SC→ACS). No tagged fields; often repeated as a keep-alive. */
export interface ScStatusRequest extends SipMessageBase {
  code: "99";
  /** status code — fixed 1, required; `0` OK, `1` printer out of paper, `2` about to shut down. */
  statusCode: CodeOf<typeof ScStatusCode>;
  /** max print width — fixed 3 digits, required; printer columns. */
  maxPrintWidth: number;
  /** protocol version — fixed 4, required; `x.xx`, e.g. `2.00`. */
  protocolVersion: CodeOf<typeof ProtocolVersion>;
}

export const scStatusRequest = defineMessage<ScStatusRequest>()({
  code: "99",
  name: "SC Status",
  direction: "request",
  fixed: [
    { name: "statusCode", kind: "code", length: 1, pad: "zero" },
    { name: "maxPrintWidth", kind: "number", length: 3 },
    { name: "protocolVersion", kind: "code", length: 4, pad: "space" },
  ],
  fields: [],
});

/** 98 ACS Status (ACS→SC): what the ACS allows the SC to do. */
export interface AcsStatusResponse extends ResponseBase {
  code: "98";
  /** on-line status — fixed 1 Y/N, required. */
  onlineStatus: boolean;
  /** checkin ok — fixed 1 Y/N, required; SC may check in. */
  checkinOk: boolean;
  /** checkout ok — fixed 1 Y/N, required; SC may check out. */
  checkoutOk: boolean;
  /** ACS renewal policy — fixed 1 Y/N, required; SC may renew. */
  acsRenewalPolicy: boolean;
  /** status update ok — fixed 1 Y/N, required; SC may change patron status. */
  statusUpdateOk: boolean;
  /** off-line ok — fixed 1 Y/N, required; ACS accepts store-and-forward transactions. */
  offlineOk: boolean;
  /** timeout period — fixed 3 digits, required; tenths of a second, `000` = not on-line, `999` = unknown. */
  timeoutPeriod: number;
  /** retries allowed — fixed 3 digits, required; `999` = unknown. */
  retriesAllowed: number;
  /** date/time sync — fixed 18, required; null is sent as 18 zeros ("not supported"). */
  dateTimeSync: Date | null;
  /** protocol version — fixed 4, required; `2.00` or `1.00`. */
  protocolVersion: CodeOf<typeof ProtocolVersion>;
  /** AO institution id — variable, required. */
  institutionId: string;
  /** AM library name — variable, optional. */
  libraryName?: string;
  /** BX supported messages — 16 Y/N, required (v2). */
  supportedMessages: SupportedMessages;
  /** AN terminal location — variable, optional. */
  terminalLocation?: string;
}

export const acsStatusResponse = defineMessage<AcsStatusResponse>()({
  code: "98",
  name: "ACS Status",
  direction: "response",
  fixed: [
    { name: "onlineStatus", kind: "yn" },
    { name: "checkinOk", kind: "yn" },
    { name: "checkoutOk", kind: "yn" },
    { name: "acsRenewalPolicy", kind: "yn" },
    { name: "statusUpdateOk", kind: "yn" },
    { name: "offlineOk", kind: "yn" },
    { name: "timeoutPeriod", kind: "number", length: 3 },
    { name: "retriesAllowed", kind: "number", length: 3 },
    { name: "dateTimeSync", kind: "syncDate" },
    { name: "protocolVersion", kind: "code", length: 4, pad: "space" },
  ],
  fields: [
    { id: "AO", name: "institutionId", kind: "text", required: true },
    { id: "AM", name: "libraryName", kind: "text" },
    { id: "BX", name: "supportedMessages", kind: "supported", required: true },
    { id: "AN", name: "terminalLocation", kind: "text" },
    ...SCREEN_AND_PRINT,
  ],
});

/** 97 Request ACS Resend (SC→ACS): the last response failed its checksum. Never carries AY. */
export interface RequestAcsResend extends SipMessageBase {
  code: "97";
}

export const requestAcsResend = defineMessage<RequestAcsResend>()({
  code: "97",
  name: "Request ACS Resend",
  direction: "request",
  fixed: [],
  fields: [],
});

/** 96 Request SC Resend (ACS→SC): the last request failed its checksum. Never carries AY. */
export interface RequestScResend extends SipMessageBase {
  code: "96";
}

export const requestScResend = defineMessage<RequestScResend>()({
  code: "96",
  name: "Request SC Resend",
  direction: "response",
  fixed: [],
  fields: [],
});

/** 35 End Patron Session (SC→ACS, v2). May come late or never. */
export interface EndPatronSessionRequest extends SipMessageBase {
  code: "35";
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

export const endPatronSessionRequest = defineMessage<EndPatronSessionRequest>()({
  code: "35",
  name: "End Patron Session",
  direction: "request",
  fixed: [{ name: "transactionDate", kind: "date" }],
  fields: [
    { id: "AO", name: "institutionId", kind: "text", required: true },
    { id: "AA", name: "patronIdentifier", kind: "text", required: true },
    { id: "AC", name: "terminalPassword", kind: "text" },
    { id: "AD", name: "patronPassword", kind: "text" },
  ],
});

/** 36 End Session Response (ACS→SC, v2). */
export interface EndSessionResponse extends ResponseBase {
  code: "36";
  /** end session — fixed 1 Y/N, required; N = error. */
  endSession: boolean;
  /** transaction date — fixed 18, required. */
  transactionDate: Date | null;
  /** AO institution id — variable, required. */
  institutionId: string;
  /** AA patron identifier — variable, required. */
  patronIdentifier: string;
}

export const endSessionResponse = defineMessage<EndSessionResponse>()({
  code: "36",
  name: "End Session Response",
  direction: "response",
  fixed: [
    { name: "endSession", kind: "yn" },
    { name: "transactionDate", kind: "date" },
  ],
  fields: [
    { id: "AO", name: "institutionId", kind: "text", required: true },
    { id: "AA", name: "patronIdentifier", kind: "text", required: true },
    ...SCREEN_AND_PRINT,
  ],
});
