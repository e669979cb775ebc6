/**
 * The fields a response profile adds or leaves out, per message: what each extension
 * carries from the outcome, and the pass that removes what the profile hides.
 */
import type { commands, common } from "@circulate/contracts";
import { formatSipDate, messageDef, type SipField, type SipResponse } from "@circulate/sip2";
import type { Extension, ResponseProfile } from "../profiles.js";
import type { TerminalContext } from "../terminal.js";
import { FEE_TYPE_CODES, FEE_TYPE_NAMES } from "./codes.js";
import { decimal, opt } from "./fields.js";

function has(ctx: TerminalContext, extension: Extension): boolean {
  return ctx.account.responseProfile.add.has(extension);
}

/**
 * Personal data may go to the terminal unless the patron's PIN was given and wrong: a
 * barcode alone must not read out where somebody lives.
 */
export function mayShowPersonalData(standing: common.PatronStanding | undefined): boolean {
  return standing !== undefined && standing.pinValid !== false;
}

/** BD/BE/BF from whatever the outcome holds (empty values left out). */
export function contactFields(c: { homeAddress: string; email: string; phone: string }) {
  return {
    ...(opt(c.homeAddress) === undefined ? {} : { homeAddress: c.homeAddress }),
    ...(opt(c.email) === undefined ? {} : { emailAddress: c.email }),
    ...(opt(c.phone) === undefined ? {} : { homePhoneNumber: c.phone }),
  };
}

/** 24: contact data, for profiles that put it there (contactInPatronStatus). */
export function patronStatusExtensions(status: commands.GetPatronStatusAccepted, ctx: TerminalContext) {
  return has(ctx, "contactInPatronStatus") && mayShowPersonalData(status.standing) ? contactFields(status) : {};
}

/** One Extended Fines and Fees group: every field present (empty when unknown) so groups keep their shape. */
function feeGroup(entry: commands.PatronListEntry): SipField[] {
  return [
    { id: "EB", value: entry.item?.barcode ?? "" },
    { id: "ET", value: entry.title ?? "" },
    { id: "EC", value: FEE_TYPE_CODES[entry.feeType] ?? "" },
    { id: "ED", value: FEE_TYPE_NAMES[entry.feeType] ?? "" },
    { id: "EF", value: decimal(entry.amount) ?? "" },
    { id: "EK", value: entry.feeId ?? "" },
    { id: "BZ", value: entry.feeId ?? "" },
  ];
}

/**
 * 64: the extension fields the profile adds. `fees` are the charges listed in this 64 (the
 * fine list the 63 asked for, within its range), for extendedFees.
 */
export function patronInformationExtensions(
  info: commands.GetPatronInformationAccepted,
  fees: readonly commands.PatronListEntry[],
  ctx: TerminalContext,
) {
  const personal = mayShowPersonalData(info.standing);
  const extra: SipField[] = [];
  if (has(ctx, "borrowerType") && opt(info.patronType) !== undefined) {
    extra.push({ id: "FU", value: info.patronType });
    if (opt(info.patronTypeDescription) !== undefined) extra.push({ id: "FV", value: info.patronTypeDescription });
  }
  if (has(ctx, "extendedFees")) for (const fee of fees) extra.push(...feeGroup(fee));
  const birth = /^(\d{4})-(\d{2})-(\d{2})$/.exec(info.birthDate);
  return {
    ...(has(ctx, "patronType") && opt(info.patronType) !== undefined ? { patronClass: info.patronType } : {}),
    ...(has(ctx, "patronExpiry") && info.expiresAt !== undefined
      ? { paExtension: formatSipDate(info.expiresAt, { timeZone: ctx.account.timeZone, style: "local" }) }
      : {}),
    ...(has(ctx, "birthDate") && personal && birth !== null ? { birthDate: `${birth[1]}${birth[2]}${birth[3]}` } : {}),
    ...(has(ctx, "internetPrivileges") ? { internetPrivileges: info.internetPrivileges ? "Y" : "N" } : {}),
    ...(has(ctx, "homeLibrary") && opt(info.homeLocation) !== undefined ? { homeLibrary: info.homeLocation } : {}),
    ...(extra.length === 0 ? {} : { unknownFields: extra }),
  };
}

/** True when BZ carries fee ids (extendedFees), so it cannot also be the hold items limit. */
export function bzCarriesFees(ctx: TerminalContext): boolean {
  return has(ctx, "extendedFees");
}

/** 12 and 30: CS call number and CR collection, for profiles that add them. */
export function itemExtensions(item: common.ItemSummary | undefined, ctx: TerminalContext): { unknownFields?: SipField[] } {
  const extra: SipField[] = [];
  if (has(ctx, "callNumber") && opt(item?.callNumber) !== undefined) extra.push({ id: "CS", value: item?.callNumber ?? "" });
  if (has(ctx, "collectionCode") && opt(item?.collectionCode) !== undefined) extra.push({ id: "CR", value: item?.collectionCode ?? "" });
  return extra.length === 0 ? {} : { unknownFields: extra };
}

/** 37: the fee named by CG, else (extendedFees) by EK, else by BZ. */
export function feeIdentifierOf(req: { feeIdentifier?: string; unknownFields?: readonly SipField[] }, ctx: TerminalContext): string {
  const cg = req.feeIdentifier?.trim() ?? "";
  if (cg !== "" || !has(ctx, "extendedFees")) return cg;
  const named = (id: string) => req.unknownFields?.find((f) => f.id === id)?.value.trim() ?? "";
  return named("EK") || named("BZ");
}

/** The response without what the profile hides; a field the message requires always stays. */
export function shaped<R extends SipResponse>(response: R, profile: ResponseProfile): R {
  if (profile.hide.size === 0) return response;
  const out: Record<string, unknown> = { ...response };
  for (const f of messageDef(response.code)?.fields ?? []) if (profile.hide.has(f.id) && !f.required) delete out[f.name];
  if (response.unknownFields !== undefined) out.unknownFields = response.unknownFields.filter((f) => !profile.hide.has(f.id));
  return out as R;
}
