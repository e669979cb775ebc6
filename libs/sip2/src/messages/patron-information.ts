/** 64 Patron Information Response: the largest SIP2 message, with item lists and patron extensions. */
import type { CodeOf, Language, PatronStatus } from "../codes.js";
import { defineMessage, SCREEN_AND_PRINT } from "../fields.js";
import type { ResponseBase } from "./common.js";

/** 64 Patron Information Response (ACS→SC, v2). */
export interface PatronInformationResponse extends ResponseBase {
  code: "64";
  /** patron status — fixed 14 Y/blank flags, required. */
  patronStatus: PatronStatus;
  /** language — fixed 3 digits, required. */
  language: CodeOf<typeof Language>;
  /** transaction date — fixed 18, required. */
  transactionDate: Date | null;
  /** hold items count — fixed 4 digits, required; null is sent as 4 blanks (unsupported). */
  holdItemsCount: number | null;
  /** overdue items count — fixed 4 digits, required; null = 4 blanks. */
  overdueItemsCount: number | null;
  /** charged items count — fixed 4 digits, required; null = 4 blanks. */
  chargedItemsCount: number | null;
  /** fine items count — fixed 4 digits, required; null = 4 blanks. */
  fineItemsCount: number | null;
  /** recall items count — fixed 4 digits, required; null = 4 blanks. */
  recallItemsCount: number | null;
  /** unavailable holds count — fixed 4 digits, required; null = 4 blanks. */
  unavailableHoldsCount: number | null;
  /** AO institution id — variable, required. */
  institutionId: string;
  /** AA patron identifier — variable, required. */
  patronIdentifier: string;
  /** AE personal name — variable, required. */
  personalName: string;
  /** BZ hold items limit — 4 digits, optional. */
  holdItemsLimit?: number;
  /** CA overdue items limit — 4 digits, optional. */
  overdueItemsLimit?: number;
  /** CB charged items limit — 4 digits, optional. */
  chargedItemsLimit?: number;
  /** BL valid patron — 1 Y/N, optional. */
  validPatron?: boolean;
  /** CQ valid patron password — 1 Y/N, optional. */
  validPatronPassword?: boolean;
  /** BH currency type — 3 chars, optional. */
  currencyType?: string;
  /** BV fee amount — variable decimal, optional; total owed. */
  feeAmount?: string;
  /** CC fee limit — variable decimal, optional. */
  feeLimit?: string;
  /** AS hold items — variable, optional, repeatable; only when summary asks for holds. */
  holdItems?: readonly string[];
  /** AT overdue items — variable, optional, repeatable. */
  overdueItems?: readonly string[];
  /** AU charged items — variable, optional, repeatable. */
  chargedItems?: readonly string[];
  /** AV fine items — variable, optional, repeatable. */
  fineItems?: readonly string[];
  /** BU recall items — variable, optional, repeatable. */
  recallItems?: readonly string[];
  /** CD unavailable hold items — variable, optional, repeatable. */
  unavailableHoldItems?: readonly string[];
  /** BD home address — variable, optional. */
  homeAddress?: string;
  /** BE e-mail address — variable, optional. */
  emailAddress?: string;
  /** BF home phone number — variable, optional. */
  homePhoneNumber?: string;
  /**
   * PA — variable, optional, extension with COLLIDING meanings: patron expiration date
   * (Evergreen, Envisionware) or PAC access type (Koha, SIP2 Extensions v1.00). Emit only
   * for terminals known to expect it.
   */
  paExtension?: string;
  /** PB patron birth date — variable, optional extension (Envisionware; Polaris uses BC instead). */
  birthDate?: string;
  /** PC patron class / type — variable, optional extension (Koha category, Evergreen profile). */
  patronClass?: string;
  /** PI internet privileges — variable, optional extension (Koha, Evergreen). */
  internetPrivileges?: string;
  /** XI patron internal id — variable, optional extension (Evergreen). */
  patronInternalId?: string;
  /** AQ patron home library — variable, optional extension in 64 (Evergreen/PINES). */
  homeLibrary?: string;
}

export const patronInformationResponse = defineMessage<PatronInformationResponse>()({
  code: "64",
  name: "Patron Information Response",
  direction: "response",
  fixed: [
    { name: "patronStatus", kind: "patronStatus" },
    { name: "language", kind: "code", length: 3, pad: "zero" },
    { name: "transactionDate", kind: "date" },
    { name: "holdItemsCount", kind: "count", length: 4 },
    { name: "overdueItemsCount", kind: "count", length: 4 },
    { name: "chargedItemsCount", kind: "count", length: 4 },
    { name: "fineItemsCount", kind: "count", length: 4 },
    { name: "recallItemsCount", kind: "count", length: 4 },
    { name: "unavailableHoldsCount", kind: "count", length: 4 },
  ],
  fields: [
    { id: "AO", name: "institutionId", kind: "text", required: true },
    { id: "AA", name: "patronIdentifier", kind: "text", required: true },
    { id: "AE", name: "personalName", kind: "text", required: true },
    { id: "BZ", name: "holdItemsLimit", kind: "count" },
    { id: "CA", name: "overdueItemsLimit", kind: "count" },
    { id: "CB", name: "chargedItemsLimit", kind: "count" },
    { id: "BL", name: "validPatron", kind: "flag" },
    { id: "CQ", name: "validPatronPassword", kind: "flag" },
    { id: "BH", name: "currencyType", kind: "text" },
    { id: "BV", name: "feeAmount", kind: "text" },
    { id: "CC", name: "feeLimit", kind: "text" },
    { id: "AS", name: "holdItems", kind: "list" },
    { id: "AT", name: "overdueItems", kind: "list" },
    { id: "AU", name: "chargedItems", kind: "list" },
    { id: "AV", name: "fineItems", kind: "list" },
    { id: "BU", name: "recallItems", kind: "list" },
    { id: "CD", name: "unavailableHoldItems", kind: "list" },
    { id: "BD", name: "homeAddress", kind: "text" },
    { id: "BE", name: "emailAddress", kind: "text" },
    { id: "BF", name: "homePhoneNumber", kind: "text" },
    { id: "PA", name: "paExtension", kind: "text" },
    { id: "PB", name: "birthDate", kind: "text" },
    { id: "PC", name: "patronClass", kind: "text" },
    { id: "PI", name: "internetPrivileges", kind: "text" },
    { id: "XI", name: "patronInternalId", kind: "text" },
    { id: "AQ", name: "homeLibrary", kind: "text" },
    ...SCREEN_AND_PRINT,
  ],
});
