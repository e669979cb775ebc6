/**
 * One entry per SIP2 request message: the subcommand name, its options and a pure
 * `build` from option values to the request model. Both the one-shot commands
 * (`sip2 checkout …`) and the shell (`checkout …`) are generated from {@link REQUESTS}.
 */
import type { ParseArgsConfig } from "node:util";
import { FeeType, HoldMode, HoldType, Language, PaymentType, type RequestCode, ScStatusCode, type SipRequest } from "@circulate/sip2";
import { UsageError } from "../usage.js";
import { codeOption, dateOption, flag, type OptionValues, required, str, summaryOption } from "./values.js";

/** parseArgs option definitions. */
export type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;

/** What every request is built with besides its own options. */
export interface RequestContext {
  /** AO institution id (`--institution`). */
  institution: string;
  /** AC terminal password (`--terminal-password`); empty when unused. */
  terminalPassword: string;
  /** The terminal's location (`--location`): CP in the login, AP in checkin. */
  location: string;
  /** Terminal account (`--login`, `--password`), or null. */
  login: { user: string; password: string } | null;
  /** Zone SIP dates are written in. */
  timeZone: string;
  /** The transaction date. */
  now: Date;
}

/** One request subcommand. */
export interface RequestSpec {
  /** The SIP2 message it sends. */
  code: RequestCode;
  /** One line for `sip2 --help`. */
  summary: string;
  /** Its own options (connection options are added by the caller). */
  options: OptionsConfig;
  /** Synopsis of its own options, e.g. `--patron ID --item ID [--pin PIN]`. */
  synopsis: string;
  /** An example invocation without the `sip2 ` prefix. */
  example: string;
  /** Option values → request model. Throws {@link UsageError} for missing or bad values. */
  build(values: OptionValues, ctx: RequestContext): SipRequest;
}

const S = { type: "string" } as const;
const B = { type: "boolean" } as const;
const PATRON = { patron: S, pin: S } as const;

function nbDue(values: OptionValues, ctx: RequestContext): Date | null {
  const due = str(values, "due");
  if (due !== undefined && !flag(values, "no-block")) throw new UsageError("--due is the no-block (offline) due date: give --no-block too");
  return due === undefined ? null : dateOption(due, "due", ctx.timeZone);
}

function itemOrTitle(values: OptionValues): { itemIdentifier?: string; titleIdentifier?: string } {
  const item = str(values, "item");
  const title = str(values, "title");
  if (!item && !title) throw new UsageError("--item or --title is required");
  return { ...(item ? { itemIdentifier: item } : {}), ...(title ? { titleIdentifier: title } : {}) };
}

/** AD only when a PIN was given: some servers read an empty AD as a wrong PIN. */
function pin(values: OptionValues): { patronPassword?: string } {
  const p = str(values, "pin");
  return p === undefined ? {} : { patronPassword: p };
}

/** AC only when configured, except where the message requires it. */
function terminal(ctx: RequestContext): { terminalPassword?: string } {
  return ctx.terminalPassword === "" ? {} : { terminalPassword: ctx.terminalPassword };
}

function language(values: OptionValues): string {
  return codeOption(Language, str(values, "language") ?? "000", "language", 3);
}

/** All request subcommands by name. */
export const REQUESTS = {
  login: {
    code: "93",
    summary: "93 login with a terminal account (--login USER --password PW)",
    options: { login: S, password: S, location: S },
    synopsis: "--login USER --password PW [--location CODE]",
    example: "login --login kiosk1 --password s3cret --location MAIN",
    build(values, ctx) {
      const user = str(values, "login") ?? ctx.login?.user;
      const password = str(values, "password") ?? ctx.login?.password;
      if (!user) throw new UsageError("--login is required");
      const location = str(values, "location") ?? ctx.location;
      return {
        code: "93",
        uidAlgorithm: "0",
        pwdAlgorithm: "0",
        loginUserId: user,
        loginPassword: password ?? "",
        ...(location ? { locationCode: location } : {}),
      };
    },
  },
  status: {
    code: "99",
    summary: "99 SC status → 98 ACS status (what the server allows)",
    options: { "status-code": S, width: S, version: S },
    synopsis: "[--status-code ok|printer-out-of-paper|about-to-shut-down] [--width N] [--version 2.00]",
    example: "status",
    build(values) {
      const width = Number(str(values, "width") ?? "80");
      if (!Number.isInteger(width) || width < 0 || width > 999) throw new UsageError("--width: a number of columns 0–999");
      return {
        code: "99",
        statusCode: codeOption(ScStatusCode, str(values, "status-code") ?? "0", "status-code", 1),
        maxPrintWidth: width,
        protocolVersion: str(values, "version") ?? "2.00",
      };
    },
  },
  "patron-status": {
    code: "23",
    summary: "23 patron status → 24 (blocks, PIN check, fines)",
    options: { ...PATRON, language: S },
    synopsis: "--patron ID [--pin PIN] [--language CODE]",
    example: "patron-status --patron P0001 --pin 1234",
    build(values, ctx) {
      return {
        code: "23",
        language: language(values),
        transactionDate: ctx.now,
        institutionId: ctx.institution,
        patronIdentifier: required(values, "patron"),
        terminalPassword: ctx.terminalPassword,
        patronPassword: str(values, "pin") ?? "",
      };
    },
  },
  "patron-info": {
    code: "63",
    summary: "63 patron information → 64 (counts and one item list)",
    options: { ...PATRON, summary: S, start: S, end: S, language: S },
    synopsis: "--patron ID [--pin PIN] [--summary hold|overdue|charged|fine|recall|unavailable|fees] [--start N] [--end N]",
    example: "patron-info --patron P0001 --summary charged --start 1 --end 10",
    build(values, ctx) {
      const start = str(values, "start");
      const end = str(values, "end");
      return {
        code: "63",
        language: language(values),
        transactionDate: ctx.now,
        summary: summaryOption(str(values, "summary")),
        institutionId: ctx.institution,
        patronIdentifier: required(values, "patron"),
        ...terminal(ctx),
        ...pin(values),
        ...(start !== undefined ? { startItem: start } : {}),
        ...(end !== undefined ? { endItem: end } : {}),
      };
    },
  },
  checkout: {
    code: "11",
    summary: "11 checkout → 12",
    options: { ...PATRON, item: S, "no-block": B, due: S, "renewal-policy": B, cancel: B, "fee-acknowledged": B },
    synopsis: "--patron ID --item ID [--pin PIN] [--renewal-policy] [--no-block [--due DATE]] [--cancel] [--fee-acknowledged]",
    example: "checkout --patron P0001 --item I0001",
    build(values, ctx) {
      return {
        code: "11",
        scRenewalPolicy: flag(values, "renewal-policy"),
        noBlock: flag(values, "no-block"),
        transactionDate: ctx.now,
        nbDueDate: nbDue(values, ctx),
        institutionId: ctx.institution,
        patronIdentifier: required(values, "patron"),
        itemIdentifier: required(values, "item"),
        terminalPassword: ctx.terminalPassword,
        ...pin(values),
        ...(flag(values, "fee-acknowledged") ? { feeAcknowledged: true } : {}),
        ...(flag(values, "cancel") ? { cancel: true } : {}),
      };
    },
  },
  checkin: {
    code: "09",
    summary: "09 checkin → 10 (sort bin, holds, alerts)",
    options: { item: S, "no-block": B, "return-date": S, location: S, cancel: B },
    synopsis: "--item ID [--return-date DATE] [--location CODE] [--no-block] [--cancel]",
    example: "checkin --item I0001 --location MAIN",
    build(values, ctx) {
      const returned = str(values, "return-date");
      return {
        code: "09",
        noBlock: flag(values, "no-block"),
        transactionDate: ctx.now,
        returnDate: returned === undefined ? ctx.now : dateOption(returned, "return-date", ctx.timeZone),
        currentLocation: str(values, "location") ?? ctx.location,
        institutionId: ctx.institution,
        itemIdentifier: required(values, "item"),
        terminalPassword: ctx.terminalPassword,
        ...(flag(values, "cancel") ? { cancel: true } : {}),
      };
    },
  },
  renew: {
    code: "29",
    summary: "29 renew one item → 30",
    options: { ...PATRON, item: S, title: S, "no-block": B, due: S, "third-party": B, "fee-acknowledged": B },
    synopsis: "--patron ID (--item ID | --title ID) [--pin PIN] [--third-party] [--no-block [--due DATE]] [--fee-acknowledged]",
    example: "renew --patron P0001 --item I0001",
    build(values, ctx) {
      return {
        code: "29",
        thirdPartyAllowed: flag(values, "third-party"),
        noBlock: flag(values, "no-block"),
        transactionDate: ctx.now,
        nbDueDate: nbDue(values, ctx),
        institutionId: ctx.institution,
        patronIdentifier: required(values, "patron"),
        ...pin(values),
        ...itemOrTitle(values),
        ...terminal(ctx),
        ...(flag(values, "fee-acknowledged") ? { feeAcknowledged: true } : {}),
      };
    },
  },
  "renew-all": {
    code: "65",
    summary: "65 renew all of a patron's items → 66",
    options: { ...PATRON, "fee-acknowledged": B },
    synopsis: "--patron ID [--pin PIN] [--fee-acknowledged]",
    example: "renew-all --patron P0001 --pin 1234",
    build(values, ctx) {
      return {
        code: "65",
        transactionDate: ctx.now,
        institutionId: ctx.institution,
        patronIdentifier: required(values, "patron"),
        ...pin(values),
        ...terminal(ctx),
        ...(flag(values, "fee-acknowledged") ? { feeAcknowledged: true } : {}),
      };
    },
  },
  "item-info": {
    code: "17",
    summary: "17 item information → 18 (status, due date, location)",
    options: { item: S },
    synopsis: "--item ID",
    example: "item-info --item I0001",
    build(values, ctx) {
      return { code: "17", transactionDate: ctx.now, institutionId: ctx.institution, itemIdentifier: required(values, "item"), ...terminal(ctx) };
    },
  },
  "item-status": {
    code: "19",
    summary: "19 item status update (store item properties) → 20",
    options: { item: S, properties: S },
    synopsis: "--item ID --properties TEXT",
    example: "item-status --item I0001 --properties 'spine label reprinted'",
    build(values, ctx) {
      return {
        code: "19",
        transactionDate: ctx.now,
        institutionId: ctx.institution,
        itemIdentifier: required(values, "item"),
        ...terminal(ctx),
        itemProperties: required(values, "properties"),
      };
    },
  },
  "block-patron": {
    code: "01",
    summary: "01 block patron (card retained or reported) → 24",
    options: { patron: S, message: S, "card-retained": B },
    synopsis: "--patron ID [--message TEXT] [--card-retained]",
    example: "block-patron --patron P0001 --message 'card reported stolen' --card-retained",
    build(values, ctx) {
      return {
        code: "01",
        cardRetained: flag(values, "card-retained"),
        transactionDate: ctx.now,
        institutionId: ctx.institution,
        blockedCardMessage: str(values, "message") ?? "",
        patronIdentifier: required(values, "patron"),
        terminalPassword: ctx.terminalPassword,
      };
    },
  },
  "patron-enable": {
    code: "25",
    summary: "25 patron enable → 26",
    options: { ...PATRON },
    synopsis: "--patron ID [--pin PIN]",
    example: "patron-enable --patron P0001",
    build(values, ctx) {
      return { code: "25", transactionDate: ctx.now, institutionId: ctx.institution, patronIdentifier: required(values, "patron"), ...terminal(ctx), ...pin(values) };
    },
  },
  "end-session": {
    code: "35",
    summary: "35 end patron session → 36",
    options: { ...PATRON },
    synopsis: "--patron ID [--pin PIN]",
    example: "end-session --patron P0001",
    build(values, ctx) {
      return { code: "35", transactionDate: ctx.now, institutionId: ctx.institution, patronIdentifier: required(values, "patron"), ...terminal(ctx), ...pin(values) };
    },
  },
  "fee-paid": {
    code: "37",
    summary: "37 fee paid → 38",
    options: { ...PATRON, amount: S, "fee-type": S, "payment-type": S, currency: S, "fee-id": S, "transaction-id": S },
    synopsis:
      "--patron ID --amount 2.50 [--pin PIN] [--fee-type overdue|01–09] [--payment-type cash|visa|credit-card|00–99] [--currency USD] [--fee-id ID] [--transaction-id ID]",
    example: "fee-paid --patron P0001 --amount 2.50 --fee-type overdue --payment-type cash --currency USD --transaction-id T42",
    build(values, ctx) {
      const amount = required(values, "amount");
      if (!/^\d+(\.\d+)?$/.test(amount)) throw new UsageError(`--amount: not a decimal amount: ${JSON.stringify(amount)}`);
      const currency = str(values, "currency") ?? "USD";
      if (!/^[A-Za-z]{3}$/.test(currency)) throw new UsageError(`--currency: three letters (ISO 4217), got ${JSON.stringify(currency)}`);
      const feeId = str(values, "fee-id");
      const txId = str(values, "transaction-id");
      return {
        code: "37",
        transactionDate: ctx.now,
        feeType: codeOption(FeeType, str(values, "fee-type") ?? "01", "fee-type", 2),
        paymentType: codeOption(PaymentType, str(values, "payment-type") ?? "00", "payment-type", 2),
        currencyType: currency.toUpperCase(),
        feeAmount: amount,
        institutionId: ctx.institution,
        patronIdentifier: required(values, "patron"),
        ...terminal(ctx),
        ...pin(values),
        ...(feeId !== undefined ? { feeIdentifier: feeId } : {}),
        ...(txId !== undefined ? { transactionId: txId } : {}),
      };
    },
  },
  hold: {
    code: "15",
    summary: "15 place (+), cancel (-) or change (*) a hold → 16",
    options: { ...PATRON, item: S, title: S, mode: S, pickup: S, expires: S, "hold-type": S, "fee-acknowledged": B },
    synopsis:
      "--patron ID (--item ID | --title ID) [--mode + | - | *] [--pin PIN] [--pickup LOCATION] [--expires DATE] [--hold-type any-copy-of-title|specific-copy|1–4] [--fee-acknowledged]",
    example: "hold --patron P0001 --title T0001 --mode + --pickup EAST --expires 2025-03-01",
    build(values, ctx) {
      const pickup = str(values, "pickup");
      const expires = str(values, "expires");
      const holdType = str(values, "hold-type");
      return {
        code: "15",
        holdMode: codeOption(HoldMode, str(values, "mode") ?? "+", "mode", 1),
        transactionDate: ctx.now,
        ...(expires !== undefined ? { expirationDate: dateOption(expires, "expires", ctx.timeZone) } : {}),
        ...(pickup !== undefined ? { pickupLocation: pickup } : {}),
        ...(holdType !== undefined ? { holdType: codeOption(HoldType, holdType, "hold-type", 1) } : {}),
        institutionId: ctx.institution,
        patronIdentifier: required(values, "patron"),
        ...pin(values),
        ...itemOrTitle(values),
        ...terminal(ctx),
        ...(flag(values, "fee-acknowledged") ? { feeAcknowledged: true } : {}),
      };
    },
  },
  resend: {
    code: "97",
    summary: "97 ask the server to send its last response again",
    options: {},
    synopsis: "",
    example: "resend",
    build() {
      return { code: "97" };
    },
  },
} satisfies Record<string, RequestSpec>;

/** A request subcommand name. */
export type RequestName = keyof typeof REQUESTS;

// Every request message has a subcommand: adding a request code to libs/sip2 without one
// here fails to compile.
type Uncovered = Exclude<RequestCode, (typeof REQUESTS)[RequestName]["code"]>;
const everyRequestCovered: [Uncovered] extends [never] ? true : Uncovered = true;
void everyRequestCovered;

/** Looks a subcommand up by name. */
export function requestSpec(name: string): RequestSpec | undefined {
  return Object.hasOwn(REQUESTS, name) ? REQUESTS[name as RequestName] : undefined;
}
