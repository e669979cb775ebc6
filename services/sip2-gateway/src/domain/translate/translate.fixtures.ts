/** Builders for the translation unit specs (not built). */
import { type AcceptedPayload, commands, common, type RefusalExtras } from "@circulate/contracts";
import { encodeMessage, parseRequest, parseResponse, type SipResponse } from "@circulate/sip2";
import { expect } from "vitest";
import { DEFAULT_PROFILE } from "../profiles.js";
import { PERMISSIONS, type Permission, type TerminalAccount, type TerminalContext } from "../terminal.js";
import { isRoutedRequest, type RoutedRequest, type Translation } from "./index.js";

export const TZ = "America/Chicago";
/** 2025-01-15 10:31:00 in Chicago (UTC−6). */
export const NOW = new Date("2025-01-15T16:31:00Z");

export function account(overrides: Partial<TerminalAccount> = {}): TerminalAccount {
  return {
    login: "kiosk1",
    passwordHash: "scrypt$16384$8$1$c2FsdA==$aGFzaA==",
    terminalPassword: "required",
    institutionId: "MAIN",
    libraryName: "Main Library",
    location: "MAIN-KIOSK",
    allowedNetworks: [],
    bindAddresses: [],
    permissions: new Set<Permission>(PERMISSIONS),
    renewalPolicy: true,
    charset: "utf8",
    timeZone: TZ,
    timeoutMs: 5000,
    retryBudgetMs: 60_000,
    requireErrorDetection: false,
    resolution: "institution",
    replyTerminator: "cr",
    scStatusBeforeLogin: false,
    checkinNotOnLoan: "alert",
    responseProfile: DEFAULT_PROFILE,
    patronPinRequired: false,
    active: true,
    dueDateFormat: "sip2",
    acsStatus: {},
    ...overrides,
  };
}

export function context(overrides: Partial<TerminalAccount> = {}, location?: string): TerminalContext {
  const a = account(overrides);
  return { account: a, location: location ?? a.location, now: NOW };
}

export const CTX = context();

/** A request as a kiosk writes it on the wire (no trailer). */
export function request(text: string, ctx: TerminalContext = CTX): RoutedRequest {
  const parsed = parseRequest(text, { timeZone: ctx.account.timeZone, charset: "utf8" });
  if (!parsed.ok) throw new Error(`bad test request ${text}: ${parsed.error.reason}`);
  if (!isRoutedRequest(parsed.message)) throw new Error(`not a routed request: ${text}`);
  return parsed.message;
}

/** The response as the kiosk reads it (encoded in the terminal's zone); also proves it is well-formed. */
export function wire(response: SipResponse, ctx: TerminalContext = CTX): string {
  const bytes = encodeMessage(response, { timeZone: ctx.account.timeZone, charset: "utf8", terminator: "" });
  const text = Buffer.from(bytes).toString("utf8");
  const back = parseResponse(bytes, { timeZone: ctx.account.timeZone, charset: "utf8" });
  expect(back.ok, `re-parse of ${text}`).toBe(true);
  return text;
}

export function accepted(payload: AcceptedPayload): commands.Outcome {
  return commands.Outcome.create({ commandId: "c1", correlationId: "c1", result: { $case: "accepted", value: { payload } } });
}

export function refused(reason: commands.RefusalReason, extras: RefusalExtras = {}): commands.Outcome {
  return commands.Outcome.create({
    commandId: "c1",
    correlationId: "c1",
    result: { $case: "refused", value: commands.Refused.create({ ...extras, reason, detail: "SECRET internal detail: pg error 42P01" }) },
  });
}

export function money(currency: string, amountMinor: number): common.Money {
  return common.Money.create({ currency, amountMinor });
}

export function itemSummary(overrides: Partial<common.ItemSummary> = {}): common.ItemSummary {
  return common.ItemSummary.create({
    itemId: "i-1",
    item: { institutionId: "MAIN", barcode: "31234000067890" },
    title: "The Hobbit",
    mediaType: common.MediaType.BOOK,
    magneticMedia: false,
    permanentLocation: "MAIN-FIC",
    callNumber: "FIC TOL",
    collectionCode: "FIC",
    ...overrides,
  });
}

/** The command of a translation that must be sent on. */
export function commandOf(t: Translation): commands.CommandEnvelope["command"] {
  if (t.kind !== "command") throw new Error(`expected a command, got an answer ${JSON.stringify(t.response)}`);
  return t.command;
}

/** The answer of a translation refused locally. */
export function answerOf(t: Translation): SipResponse {
  if (t.kind !== "answer") throw new Error(`expected a local answer, got command ${t.command.$case}`);
  return t.response;
}
