import type { common, patron } from "@circulate/contracts";
import { languageOfCode } from "./language.js";
import { expiryInstant, isLocalDate, type LocalDate } from "./local-date.js";

/**
 * Who a patron is: a barcode within an institution. The institution is the
 * namespace the barcode is unique in (SIP2 `AO`); it need not be the patron's
 * home library in a consortium, which is why the record has `homeInstitution`.
 */
export interface PatronId {
  readonly institution: string;
  readonly barcode: string;
}

/**
 * The imported, descriptive part of a patron. Every value is a JSON primitive
 * (absent = `null`, never `undefined`) so that a record survives the event
 * store's JSON round trip unchanged and import idempotency can compare fields
 * with `===`.
 */
export interface PatronRecord {
  /** SIP2 `AE` personal name. */
  readonly name: string;
  /** Selects the patron-type policy (limits) and, in the loan service, loan rules. */
  readonly patronType: string;
  readonly homeInstitution: string;
  /** Last day the card is valid, in the home institution's zone; `null` = never expires. */
  readonly expiryDate: LocalDate | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly address: string | null;
  readonly birthDate: LocalDate | null;
  /** SIP2 3-digit language code; `000` = unknown. */
  readonly language: string;
}

// A Record keyed by every field makes the compiler flag a field added to
// PatronRecord but forgotten in the comparison below.
const FIELDS: Record<keyof PatronRecord, true> = {
  name: true,
  patronType: true,
  homeInstitution: true,
  expiryDate: true,
  email: true,
  phone: true,
  address: true,
  birthDate: true,
  language: true,
};

export const PATRON_RECORD_FIELDS = Object.keys(FIELDS) as readonly (keyof PatronRecord)[];

/** Fields whose values differ; empty means an update would change nothing. */
export function changedPatronFields(before: PatronRecord, after: PatronRecord): (keyof PatronRecord)[] {
  return PATRON_RECORD_FIELDS.filter((f) => before[f] !== after[f]);
}

/** What is wrong with a record to import, or `undefined` when it is acceptable. */
export function patronRecordProblem(record: PatronRecord): string | undefined {
  if (record.name.trim() === "") return "name is empty";
  if (record.patronType.trim() === "") return "patron type is empty";
  if (record.homeInstitution.trim() === "") return "home institution is empty";
  if (record.expiryDate !== null && !isLocalDate(record.expiryDate)) return `expiry date is not YYYY-MM-DD: ${record.expiryDate}`;
  if (record.birthDate !== null && !isLocalDate(record.birthDate)) return `birth date is not YYYY-MM-DD: ${record.birthDate}`;
  if (!/^\d{3}$/.test(record.language)) return `language is not a 3-digit SIP2 code: ${record.language}`;
  return undefined;
}

/** Only the record's own keys, so extra properties on the caller's object never reach an event. */
export function pickPatronRecord(record: PatronRecord): PatronRecord {
  return {
    name: record.name,
    patronType: record.patronType,
    homeInstitution: record.homeInstitution,
    expiryDate: record.expiryDate,
    email: record.email,
    phone: record.phone,
    address: record.address,
    birthDate: record.birthDate,
    language: record.language,
  };
}

/** The home institution's zone, in which registrations and updates state when the card expires. */
export interface PatronRecordFacts {
  readonly timeZone: string;
}

/** The contract's reference to a patron. */
export function patronRefOf(id: PatronId): common.PatronRef {
  return { institutionId: id.institution, barcode: id.barcode };
}

/**
 * A record as the registration and update messages state it: proto3 has no
 * null, so an absent value is `""` (or unset), the expiry date is the instant
 * the card stops working in the home institution's zone, the language its enum.
 */
export function patronDetails(record: PatronRecord, timeZone: string): Partial<patron.PatronRegistered> {
  return {
    name: record.name,
    patronType: record.patronType,
    homeLocation: record.homeInstitution,
    email: record.email ?? "",
    phone: record.phone ?? "",
    homeAddress: record.address ?? "",
    language: languageOfCode(record.language),
    expiresAt: record.expiryDate === null ? undefined : expiryInstant(record.expiryDate, timeZone),
    birthDate: record.birthDate ?? "",
  };
}
